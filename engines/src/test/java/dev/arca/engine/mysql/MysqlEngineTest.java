package dev.arca.engine.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arca.engine.files.ContentStream;
import dev.arca.engine.files.SnapshotWalker;
import dev.arca.format.repo.Repository;
import dev.arca.format.testing.TestRepos;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backup, binlog capture, table restore and the errors, against one live server. */
class MysqlEngineTest {
    static TestServer server;
    /** 1920 bytes of a row that do not repeat, so content-defined chunking finds cut points. */
    static final String HASHES = "SHA2(seq * 16 + 0, 512), SHA2(seq * 16 + 1, 512), SHA2(seq * 16 + 2, 512), SHA2(seq * 16 + 3, 512), SHA2(seq * 16 + 4, 512), SHA2(seq * 16 + 5, 512), SHA2(seq * 16 + 6, 512), SHA2(seq * 16 + 7, 512), SHA2(seq * 16 + 8, 512), SHA2(seq * 16 + 9, 512), SHA2(seq * 16 + 10, 512), SHA2(seq * 16 + 11, 512), SHA2(seq * 16 + 12, 512), SHA2(seq * 16 + 13, 512), SHA2(seq * 16 + 14, 512)";

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start();
        server.root("CREATE DATABASE shop; CREATE DATABASE crm; "
                + "CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(40), price DECIMAL(8,2)); "
                + "CREATE TABLE shop.orders (id INT PRIMARY KEY, item INT, qty INT); "
                + "CREATE TABLE crm.people (id INT PRIMARY KEY, name VARCHAR(40)); "
                + "USE shop; CREATE TRIGGER qty_positive BEFORE INSERT ON orders FOR EACH ROW SET NEW.qty = ABS(NEW.qty); "
                + "INSERT INTO shop.items VALUES (1, 'tea', 3.50), (2, 'cake', 2.00), (3, NULL, 0); "
                + "INSERT INTO shop.orders VALUES (1, 1, 2), (2, 2, -5); "
                + "INSERT INTO crm.people VALUES (1, 'Ada'), (2, 'Linus');");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static MysqlBackup.Options opts(List<String> dbs) {
        return new MysqlBackup.Options(dbs, false, "db1", "u", List.of());
    }

    @Test
    void tableRestoreBringsExactlyThoseTablesIntoTheNamedDatabase() throws IOException {
        try (Repository repo = TestRepos.memory()) {
            new MysqlBackup(repo, server.uri(), opts(List.of())).run();
            TableRestore.Result r = new TableRestore(repo, server.uri(), new TableRestore.Options(
                    List.of("shop.orders", "crm.people"), "rescue", null, null, null)).run();
            assertEquals(java.util.Set.of("shop.orders", "crm.people"), r.tables());
            assertEquals("orders\npeople", server.root("SHOW TABLES FROM rescue"));
            assertEquals("1\t1\t2\n2\t2\t5", server.root("SELECT * FROM rescue.orders ORDER BY id"));
            assertEquals("1\tAda\n2\tLinus", server.root("SELECT * FROM rescue.people ORDER BY id"));
            assertEquals("qty_positive", server.root("SELECT trigger_name FROM information_schema.triggers "
                    + "WHERE trigger_schema = 'rescue'"));
            assertEquals("3", server.root("SELECT COUNT(*) FROM shop.items"), "the source is untouched");

            MysqlException e = assertThrows(MysqlException.class, () -> new TableRestore(repo, server.uri(),
                    new TableRestore.Options(List.of("shop.items", "shop.nope"), "rescue2", null, null, null)).run());
            assertTrue(e.getMessage().contains("shop.nope") && e.getMessage().contains("nothing was restored"), e.getMessage());
            assertEquals("", server.root("SHOW DATABASES LIKE 'rescue2'"));
        } finally {
            server.root("DROP DATABASE IF EXISTS rescue");
        }
    }

    @Test
    void aSecondDumpAddsLittleAndTheDumpIsStoredVerbatim() throws IOException {
        try (Repository repo = TestRepos.memory()) {
            server.root("CREATE TABLE shop.big (id INT PRIMARY KEY, payload VARCHAR(200)); "
                    + "INSERT INTO shop.big SELECT seq, CONCAT('row-', seq, '-', REPEAT(MD5(seq), 5)) FROM shop.seq_1_to_30000;");
            MysqlBackup.Result first = new MysqlBackup(repo, server.uri(), opts(List.of("shop"))).run();
            server.root("UPDATE shop.big SET payload = 'changed' WHERE id = 15000");
            MysqlBackup.Result second = new MysqlBackup(repo, server.uri(), opts(List.of("shop"))).run();
            long total = second.snapshot().summary.totalBytesProcessed;
            assertTrue(total > 5_000_000, "the dump is large enough to chunk: " + total);
            assertTrue(second.snapshot().summary.dataAdded < total / 3,
                    "a one-row change adds " + second.snapshot().summary.dataAdded + " of " + total);
            assertTrue(first.snapshot().summary.dataBlobs > 4, "several chunks: " + first.snapshot().summary.dataBlobs);
            byte[] stored;
            var n = new SnapshotWalker(repo).resolve(second.snapshot().treeId(), "/dump.sql");
            try (InputStream in = new ContentStream(repo, n)) {
                stored = in.readAllBytes();
            }
            String text = new String(stored, java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(text.contains("-- CHANGE MASTER TO MASTER_LOG_FILE='"), "the native dump");
            assertTrue(text.contains("(15000,'changed')"));
            assertTrue(text.stripTrailing().endsWith(text.lines().reduce((a, b) -> b).orElseThrow().stripTrailing()));
            assertEquals(total, stored.length);
        } finally {
            server.root("DROP TABLE IF EXISTS shop.big");
        }
    }

    @Test
    void aGrownBinlogAddsOnlyItsNewBytes() throws IOException {
        try (Repository repo = TestRepos.memory()) {
            server.root("FLUSH BINARY LOGS; CREATE TABLE crm.blob_rows (id INT PRIMARY KEY, b TEXT); "
                    + "INSERT INTO crm.blob_rows SELECT seq, CONCAT(" + HASHES + ") FROM crm.seq_1_to_3000");
            BinlogCapture capture = new BinlogCapture(repo, server.uri(), new BinlogCapture.Options("h", "u", List.of()),
                    w -> { });
            BinlogCapture.Result first = capture.round();
            server.root("INSERT INTO crm.blob_rows VALUES (5000, 'one more')");
            BinlogCapture.Result second = capture.round();
            String last = first.files().get(first.files().size() - 1);
            assertEquals(last, second.files().get(0), "the second round starts where the first ended");
            var s = second.snapshot().summary;
            assertTrue(s.totalBytesProcessed > 5_000_000, "the binlog is large: " + s.totalBytesProcessed);
            assertTrue(s.dataAdded < s.totalBytesProcessed / 3, "added " + s.dataAdded + " of " + s.totalBytesProcessed);
            var f = second.snapshot().engineMetadata.path("files").get(0);
            assertEquals(Files.size(server.dataDir().resolve(last)), f.path("size").asLong());
            byte[] stored;
            var n = new SnapshotWalker(repo).resolve(second.snapshot().treeId(), "/binlog/" + last);
            try (InputStream in = new ContentStream(repo, n)) {
                stored = in.readAllBytes();
            }
            byte[] onServer = Files.readAllBytes(server.dataDir().resolve(last));
            onServer[BinlogVerifier.MAGIC.length + 17] &= ~1; // the server's in-use flag, clear in a copy
            stored[BinlogVerifier.MAGIC.length + 17] &= ~1;
            assertTrue(java.util.Arrays.equals(onServer, stored), "the original bytes");
        } finally {
            server.root("DROP TABLE IF EXISTS crm.blob_rows");
        }
    }

    @Test
    void aFailingDumpMakesNoSnapshot() throws IOException {
        try (Repository repo = TestRepos.memory()) {
            MysqlException e = assertThrows(MysqlException.class, () -> new MysqlBackup(repo, server.uri(),
                    opts(List.of("shop", "no_such_db"))).run());
            assertTrue(e.getMessage().contains("mariadb-dump exited with status") && e.getMessage().contains("no_such_db")
                    && e.getMessage().contains("no snapshot was made"), e.getMessage());
            assertEquals(0, repo.snapshotIds().size());
        }
    }

    @Test
    void wrongCredentialsAreAClearErrorAndNoSnapshot() throws IOException {
        try (Repository repo = TestRepos.memory()) {
            MysqlException e = assertThrows(MysqlException.class, () -> new MysqlBackup(repo,
                    server.uri().withPassword("wrong"), opts(List.of())).run());
            assertTrue(e.getMessage().contains("Access denied"), e.getMessage());
            e = assertThrows(MysqlException.class, () -> new BinlogCapture(repo, server.uri().withPassword("wrong"),
                    new BinlogCapture.Options("h", "u", List.of()), w -> { }).round());
            assertTrue(e.getMessage().contains("Access denied"), e.getMessage());
            assertEquals(0, repo.snapshotIds().size());
        }
    }

    @Test
    void aSecondBeforeTheFirstBackupOrAfterTheLastBinlogIsRefusedAndNothingIsCreated(@TempDir Path tmp)
            throws IOException {
        ZoneId zone = ZoneId.systemDefault();
        try (Repository repo = TestRepos.memory()) {
            MysqlBackup.Result full = new MysqlBackup(repo, server.uri(), opts(List.of())).run();
            BinlogCapture.Result bl = new BinlogCapture(repo, server.uri(), new BinlogCapture.Options("h", "u", List.of()),
                    w -> { }).round();
            Path dir = tmp.resolve("new");
            String before = LocalDateTime.ofInstant(full.snapshot().instant().minusSeconds(5), zone).format(PitrRestore.AT);
            MysqlException e = assertThrows(MysqlException.class, () -> new PitrRestore(repo,
                    new PitrRestore.Options(before, zone, dir, 1, false, null), m -> { }).run());
            assertTrue(e.getMessage().contains("before the first full backup"), e.getMessage());
            String after = LocalDateTime.ofInstant(bl.snapshot().instant().plusSeconds(5), zone).format(PitrRestore.AT);
            e = assertThrows(MysqlException.class, () -> new PitrRestore(repo,
                    new PitrRestore.Options(after, zone, dir, 1, false, null), m -> { }).run());
            assertTrue(e.getMessage().contains("after the last binlog capture"), e.getMessage());
            assertFalse(Files.exists(dir), "nothing was created");
            assertThrows(IllegalArgumentException.class, () -> new PitrRestore(repo,
                    new PitrRestore.Options("yesterday", zone, dir, 1, false, null), m -> { }).run());
        }
    }

    @Test
    void aCorruptBinlogEventIsNamedByFileAndOffset() throws IOException {
        server.root("INSERT INTO crm.people VALUES (100, 'check') ON DUPLICATE KEY UPDATE name = 'check'; FLUSH BINARY LOGS");
        String name = server.root("SHOW BINARY LOGS").lines().findFirst().orElseThrow().split("\t")[0];
        byte[] bytes = Files.readAllBytes(server.dataDir().resolve(name));
        BinlogVerifier ok = new BinlogVerifier(new ByteArrayInputStream(bytes), name);
        ok.drain();
        assertTrue(ok.checksums());
        assertTrue(ok.events() > 3);
        assertEquals(bytes.length, ok.size());
        assertTrue(ok.firstTimestamp() > Instant.now().minusSeconds(3600).getEpochSecond());
        assertFalse(ok.gtids().isEmpty());

        byte[] bad = bytes.clone();
        int at = bytes.length - 30;
        bad[at] ^= 0x40;
        BinlogVerifier.CorruptBinlogException e = assertThrows(BinlogVerifier.CorruptBinlogException.class,
                () -> new BinlogVerifier(new ByteArrayInputStream(bad), name).drain());
        assertTrue(e.getMessage().contains(name) && e.getMessage().contains("CRC32 mismatch in the event at offset"),
                e.getMessage());
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 7);
        e = assertThrows(BinlogVerifier.CorruptBinlogException.class,
                () -> new BinlogVerifier(new ByteArrayInputStream(cut), name).drain());
        assertTrue(e.getMessage().contains("ends inside the event"), e.getMessage());
    }

    @Test
    void aCaptureThatReadsACorruptEventRecordsNothing() throws IOException {
        server.root("FLUSH BINARY LOGS; INSERT INTO crm.people VALUES (200, 'corrupt me') "
                + "ON DUPLICATE KEY UPDATE name = 'corrupt me'; FLUSH BINARY LOGS");
        List<String> logs = server.root("SHOW BINARY LOGS").lines().map(l -> l.split("\t")[0]).toList();
        String victim = logs.get(logs.size() - 2);
        Path file = server.dataDir().resolve(victim);
        byte[] bytes = Files.readAllBytes(file);
        int at = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("corrupt me");
        assertTrue(at > 0);
        bytes[at] ^= 0x20;
        Files.write(file, bytes);
        try (Repository repo = TestRepos.memory()) {
            MysqlException e = assertThrows(MysqlException.class, () -> new BinlogCapture(repo, server.uri(),
                    new BinlogCapture.Options("h", "u", List.of()), w -> { }).round());
            assertTrue(e.getMessage().contains(victim) && e.getMessage().contains("CRC32 mismatch"), e.getMessage());
            assertEquals(0, repo.snapshotIds().size());
        } finally {
            server.root("PURGE BINARY LOGS TO '" + logs.get(logs.size() - 1) + "'");
        }
    }

    @Test
    void aServerWithoutBinaryLoggingIsRefused() throws IOException {
        try (TestServer nolog = TestServer.start(7, false); Repository repo = TestRepos.memory()) {
            nolog.root("CREATE DATABASE x");
            MysqlException e = assertThrows(MysqlException.class, () -> new MysqlBackup(repo, nolog.uri(),
                    opts(List.of())).run());
            assertTrue(e.getMessage().contains("binary logging is off"), e.getMessage());
            e = assertThrows(MysqlException.class, () -> new BinlogCapture(repo, nolog.uri(),
                    new BinlogCapture.Options("h", "u", List.of()), w -> { }).round());
            assertTrue(e.getMessage().contains("binary logging is off"), e.getMessage());
            assertEquals(0, repo.snapshotIds().size());
        }
    }
}
