package dev.arca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BackupEngine;
import org.rocksdb.BackupEngineOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.Env;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RestoreOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/** {@code arca rocksdb …} through the command line, with real RocksDB databases (rocksdbjni). */
class RocksdbCliTest {
    @BeforeAll
    static void load() {
        RocksDB.loadLibrary();
    }

    static Options options() {
        return new Options().setCreateIfMissing(true).setCompressionType(CompressionType.NO_COMPRESSION);
    }

    static void write(RocksDB db, int from, int n, long seed) throws RocksDBException {
        Random r = new Random(seed);
        for (int i = from; i < from + n; i++) {
            byte[] v = new byte[100];
            r.nextBytes(v);
            db.put(String.format("key%08d", i).getBytes(StandardCharsets.UTF_8), v);
        }
    }

    static Map<String, String> contents(RocksDB db) {
        Map<String, String> m = new TreeMap<>();
        try (RocksIterator it = db.newIterator()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                m.put(new String(it.key(), StandardCharsets.ISO_8859_1), new String(it.value(), StandardCharsets.ISO_8859_1));
            }
        }
        return m;
    }

    /** Compares database contents by size first, so a failure message stays readable. */
    static void assertSameContents(Map<String, String> expected, Map<String, String> actual, String what) {
        assertEquals(expected.size(), actual.size(), what + ": number of keys");
        assertTrue(expected.equals(actual), what + ": keys and values differ");
    }

    static Map<String, String> contentsOf(Path dir) throws RocksDBException {
        try (Options o = new Options(); RocksDB db = RocksDB.openReadOnly(o, dir.toString())) {
            return contents(db);
        }
    }

    @Test
    void backUpAClosedDatabaseTwiceAndRestoreEachBackup(@TempDir Path work) throws Exception {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        Path db = work.resolve("db");
        Map<String, String> v1;
        try (Options o = options(); RocksDB rdb = RocksDB.open(o, db.toString())) {
            write(rdb, 0, 10000, 1);
            v1 = contents(rdb);
        }
        JsonNode first = Output.JSON.readTree(cli.expect(0, "--json", "rocksdb", "backup", "--db", db.toString(),
                "--name", "orders", "--metadata", "nightly").out()).get(0);
        assertEquals(1, first.get("backup_id").asInt());
        Map<String, String> v2;
        try (Options o = options(); RocksDB rdb = RocksDB.open(o, db.toString())) {
            write(rdb, 10000, 200, 2);
            rdb.compactRange();
            write(rdb, 0, 10, 3);
            v2 = contents(rdb);
        }
        cli.expect(0, "rocksdb", "backup", "--db", db.toString(), "--name", "orders");

        JsonNode list = Output.JSON.readTree(cli.expect(0, "--json", "rocksdb", "list", "--name", "orders").out());
        assertEquals(2, list.size());
        assertEquals(List.of(1, 2), List.of(list.get(0).get("backup_id").asInt(), list.get(1).get("backup_id").asInt()));
        assertEquals("nightly", list.get(0).get("app_metadata").asText());
        assertTrue(cli.expect(0, "rocksdb", "verify", "2", "--checksum").out().contains("every CRC-32C matches"));

        Path r1 = work.resolve("r1");
        Path r2 = work.resolve("r2");
        cli.expect(0, "rocksdb", "restore", "1", "--db", r1.toString());
        cli.expect(0, "rocksdb", "restore", "latest", "--name", "orders", "--db", r2.toString(), "--wal-dir",
                work.resolve("r2-wal").toString());
        assertSameContents(v1, contentsOf(r1), "r1");
        try (Options o = new Options().setWalDir(work.resolve("r2-wal").toString());
             RocksDB rdb = RocksDB.openReadOnly(o, r2.toString())) {
            assertSameContents(v2, contents(rdb), "r2");
        }
        Cli.Run refused = cli.run("rocksdb", "restore", "1", "--db", r2.toString());
        assertEquals(2, refused.exit(), refused.toString());
        assertTrue(refused.err().contains("--force"), refused.err());
        cli.expect(0, "rocksdb", "restore", "1", "--db", r2.toString(), "--wal-dir", work.resolve("r2-wal").toString(),
                "--force");
        try (Options o = new Options().setWalDir(work.resolve("r2-wal").toString());
             RocksDB rdb = RocksDB.openReadOnly(o, r2.toString())) {
            assertSameContents(v1, contents(rdb), "r2 after --force");
        }

        // the snapshots are ordinary ones: listed with engine rocksdb, browsable with ls
        JsonNode snaps = Output.JSON.readTree(cli.expect(0, "--json", "snapshots").out());
        assertEquals(2, snaps.size());
        assertEquals("rocksdb", snaps.get(0).get("engine").asText());
        String ls = cli.expect(0, "ls", snaps.get(1).get("id").asText()).out();
        assertTrue(ls.contains("/meta/2") && ls.contains("/private/2/CURRENT") && ls.contains("/shared_checksum/"), ls);
    }

    @Test
    void importABackupEngineDirectoryAndGiveItBackToRocksDb(@TempDir Path work) throws Exception {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        Path nativeDir = Files.createDirectories(work.resolve("native"));
        Map<String, String> v1;
        Map<String, String> v2;
        List<org.rocksdb.BackupInfo> nativeInfo;
        try (Options o = options(); RocksDB db = RocksDB.open(o, work.resolve("db").toString());
             BackupEngineOptions beo = new BackupEngineOptions(nativeDir.toString());
             BackupEngine be = BackupEngine.open(Env.getDefault(), beo)) {
            write(db, 0, 3000, 4);
            be.createNewBackupWithMetadata(db, "one", true);
            v1 = contents(db);
            write(db, 3000, 100, 5);
            be.createNewBackupWithMetadata(db, "two", false);
            v2 = contents(db);
            nativeInfo = be.getBackupInfo();
        }
        cli.expect(0, "rocksdb", "backup", "--backup-dir", nativeDir.toString(), "--name", "imp");
        Path r = work.resolve("r");
        cli.expect(0, "rocksdb", "restore", "1", "--name", "imp", "--db", r.toString());
        assertSameContents(v1, contentsOf(r), "r");

        Path out = work.resolve("out");
        cli.expect(0, "rocksdb", "restore", "all", "--name", "imp", "--to-backup-dir", out.toString());
        try (BackupEngineOptions beo = new BackupEngineOptions(out.toString());
             BackupEngine be = BackupEngine.open(Env.getDefault(), beo);
             RestoreOptions ro = new RestoreOptions(false)) {
            List<org.rocksdb.BackupInfo> info = be.getBackupInfo();
            assertEquals(nativeInfo.size(), info.size());
            for (int i = 0; i < info.size(); i++) {
                assertEquals(nativeInfo.get(i).backupId(), info.get(i).backupId());
                assertEquals(nativeInfo.get(i).timestamp(), info.get(i).timestamp());
                assertEquals(nativeInfo.get(i).appMetadata(), info.get(i).appMetadata());
                assertEquals(nativeInfo.get(i).size(), info.get(i).size());
            }
            Path n2 = work.resolve("n2");
            be.restoreDbFromBackup(2, n2.toString(), n2.toString(), ro);
            assertSameContents(v2, contentsOf(n2), "n2");
        }
    }

    /**
     * rocksdbjni has no BackupEngineReadOnly class; RocksDB's own {@code ldb restore} (Debian's
     * rocksdb-tools, installed by test.sh) opens the backup directory with
     * {@code BackupEngineReadOnly::Open} and {@code RestoreDBFromLatestBackup}, which checks every
     * file's CRC-32C against the meta file while copying.
     */
    @Test
    void rocksDbsOwnBackupEngineReadOnlyRestoresAnExportAndRejectsADamagedOne(@TempDir Path work) throws Exception {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        Path db = work.resolve("db");
        Map<String, String> v2;
        try (Options o = options(); RocksDB rdb = RocksDB.open(o, db.toString())) {
            write(rdb, 0, 4000, 11);
            rdb.flush(new FlushOptions().setWaitForFlush(true));
        }
        cli.expect(0, "rocksdb", "backup", "--db", db.toString(), "--name", "ro");
        try (Options o = options(); RocksDB rdb = RocksDB.open(o, db.toString())) {
            write(rdb, 4000, 500, 12);
            write(rdb, 0, 50, 13);
            rdb.compactRange();
            v2 = contents(rdb);
        }
        cli.expect(0, "rocksdb", "backup", "--db", db.toString(), "--name", "ro");
        Path out = work.resolve("out");
        cli.expect(0, "rocksdb", "restore", "all", "--name", "ro", "--to-backup-dir", out.toString());

        Path restored = work.resolve("restored");
        Subprocess.Result ok = Subprocess.run(cli, List.of("ldb", "restore", "--backup_dir=" + out, "--db=" + restored));
        assertEquals(0, ok.exit(), ok.toString());
        assertTrue(ok.out().contains("open restore engine OK") && ok.out().contains("restore from backup OK"), ok.out());
        assertSameContents(v2, contentsOf(restored), "restored by ldb from arca's export");

        // the same engine refuses a file whose bytes no longer match the CRC-32C in meta/2
        Path victim = out.resolve(Files.readAllLines(out.resolve("meta/2")).stream()
                .filter(l -> l.startsWith("shared_checksum/") && l.contains(".sst "))
                .map(l -> l.substring(0, l.indexOf(' '))).findFirst().orElseThrow());
        byte[] b = Files.readAllBytes(victim);
        b[b.length / 2] ^= 0x01;
        Files.write(victim, b);
        Subprocess.Result bad = Subprocess.run(cli, List.of("ldb", "restore", "--backup_dir=" + out,
                "--db=" + work.resolve("restored-bad")));
        assertTrue(bad.exit() != 0 || bad.err().contains("Failed") || bad.out().contains("Failed"), bad.toString());
        assertTrue((bad.out() + bad.err()).contains("hecksum"), bad.toString());
    }

    @Test
    void anOpenDatabaseIsRefusedUnlessCheckpoint(@TempDir Path work) throws Exception {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        Path db = work.resolve("db");
        Map<String, String> state;
        try (Options o = options(); RocksDB rdb = RocksDB.open(o, db.toString())) {
            write(rdb, 0, 2000, 6);
            rdb.flush(new FlushOptions().setWaitForFlush(true));
            write(rdb, 2000, 10, 7);
            state = contents(rdb);
            Cli.Run r = cli.run("rocksdb", "backup", "--db", db.toString());
            assertEquals(1, r.exit(), r.toString());
            assertTrue(r.err().contains("LOCK is held") && r.err().contains("--checkpoint"), r.err());
            assertTrue(Output.JSON.readTree(cli.expect(0, "--json", "snapshots").out()).isEmpty());

            cli.expect(0, "rocksdb", "backup", "--db", db.toString(), "--checkpoint");
            write(rdb, 5000, 10, 8); // the database kept working
        }
        Path r = work.resolve("r");
        cli.expect(0, "rocksdb", "restore", "latest", "--db", r.toString());
        assertSameContents(state, contentsOf(r), "r");
        try (Stream<Path> s = Files.list(work)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".arca-checkpoint")),
                    "the checkpoint is removed");
        }
    }

    @Test
    void damagedDataFailsTheRestoreWithExit20AndNoCurrent(@TempDir Path work) throws Exception {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        Path db = work.resolve("db");
        try (Options o = options(); RocksDB rdb = RocksDB.open(o, db.toString())) {
            write(rdb, 0, 2000, 9);
        }
        cli.expect(0, "rocksdb", "backup", "--db", db.toString(), "--name", "d");
        try (Stream<Path> s = Files.walk(cli.repo.resolve("data"))) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                byte[] b = Files.readAllBytes(p);
                b[b.length / 3] ^= 0x40;
                p.toFile().setWritable(true);
                Files.write(p, b);
            }
        }
        Path r = work.resolve("r");
        Cli.Run run = cli.run("rocksdb", "restore", "latest", "--db", r.toString());
        assertEquals(20, run.exit(), run.toString());
        assertFalse(Files.exists(r.resolve("CURRENT")));
        Cli.Run verify = cli.run("rocksdb", "verify", "1", "--checksum");
        assertEquals(20, verify.exit(), verify.toString());
    }

    @Test
    void aRestoreThatCannotCompleteLeavesTheExistingDatabaseAlone(@TempDir Path work) throws Exception {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        Path db = work.resolve("db");
        try (Options o = options(); RocksDB rdb = RocksDB.open(o, db.toString())) {
            write(rdb, 0, 2000, 9);
        }
        cli.expect(0, "rocksdb", "backup", "--db", db.toString(), "--name", "d");
        try (Stream<Path> s = Files.walk(cli.repo.resolve("data"))) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                Files.delete(p);
            }
        }
        Path live = work.resolve("live");
        try (Options o = options(); RocksDB rdb = RocksDB.open(o, live.toString())) {
            write(rdb, 0, 500, 3);
        }
        List<String> before;
        try (Stream<Path> s = Files.list(live)) {
            before = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        Cli.Run run = cli.run("rocksdb", "restore", "latest", "--name", "d", "--db", live.toString(), "--force");
        assertEquals(20, run.exit(), run.toString());
        assertTrue(run.err().contains("missing"), run.err());
        try (Stream<Path> s = Files.list(live)) {
            assertEquals(before, s.map(p -> p.getFileName().toString()).sorted().toList(),
                    "--force removes nothing before the backup is known to be complete");
        }
    }

    @Test
    void badInputIsAClearError(@TempDir Path work) throws IOException {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        Path notDb = Files.createDirectories(work.resolve("plain"));
        Files.writeString(notDb.resolve("file.txt"), "hello");
        Cli.Run r = cli.run("rocksdb", "backup", "--db", notDb.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("not a RocksDB database directory"), r.err());
        r = cli.run("rocksdb", "backup", "--backup-dir", notDb.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("not a RocksDB BackupEngine directory"), r.err());
        r = cli.run("rocksdb", "restore", "latest", "--db", work.resolve("x").toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("no RocksDB backup"), r.err());
        assertTrue(cli.expect(0, "rocksdb", "backup", "--help").out().contains("--backup-dir"));
    }
}
