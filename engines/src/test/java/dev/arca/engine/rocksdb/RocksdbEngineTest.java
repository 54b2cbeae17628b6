package dev.arca.engine.rocksdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arca.engine.files.BackupSession;
import dev.arca.engine.files.BackupStats;
import dev.arca.engine.files.ContentStream;
import dev.arca.engine.files.SnapshotWalker;
import dev.arca.format.CorruptObjectException;
import dev.arca.format.id.BlobId;
import dev.arca.format.repo.Repository;
import dev.arca.format.snapshot.Snapshot;
import dev.arca.format.testing.TestRepos;
import dev.arca.format.tree.Node;
import dev.arca.format.tree.Tree;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
import org.rocksdb.Env;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/** The engine against real RocksDB databases (rocksdbjni) and RocksDB's own BackupEngine. */
class RocksdbEngineTest {
    @BeforeAll
    static void load() {
        RocksDB.loadLibrary();
    }

    static Options options() {
        return new Options().setCreateIfMissing(true).setCompressionType(org.rocksdb.CompressionType.NO_COMPRESSION);
    }

    /** Writes {@code n} keys with seeded pseudo-random values (compressible, ~100 bytes each). */
    static void write(RocksDB db, int from, int n, long seed) throws RocksDBException {
        Random r = new Random(seed);
        for (int i = from; i < from + n; i++) {
            byte[] v = new byte[100];
            for (int j = 0; j < v.length; j++) {
                v[j] = (byte) ('a' + r.nextInt(8));
            }
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

    static Map<String, String> contentsOf(Path dir) throws RocksDBException {
        try (Options o = new Options(); RocksDB db = RocksDB.openReadOnly(o, dir.toString())) {
            return contents(db);
        }
    }

    @Test
    void liveBackupsRestoreEveryKeyAndTheSecondAddsLittle(@TempDir Path tmp) throws Exception {
        try (Repository repo = TestRepos.memory(); Options o = options();
             RocksDB db = RocksDB.open(o, tmp.resolve("db").toString())) {
            ArcaBackupEngine engine = new ArcaBackupEngine(repo, "orders");
            write(db, 0, 30000, 1);
            RocksBackup b1 = engine.createNewBackup(db, true);
            Map<String, String> state1 = contents(db);

            write(db, 30000, 300, 2);
            write(db, 0, 100, 3);
            db.compactRange();
            write(db, 40000, 50, 4); // only in the WAL and memtable: the backup must carry the WAL
            RocksBackup b2 = engine.createNewBackupWithMetadata(db, "after compaction", false);
            Map<String, String> state2 = contents(db);

            assertEquals(1, b1.backupId());
            assertEquals(2, b2.backupId());
            List<BackupInfo> infos = engine.getBackupInfo();
            assertEquals(List.of(1, 2), infos.stream().map(BackupInfo::backupId).toList());
            assertEquals("after compaction", infos.get(1).appMetadata());
            assertEquals(b2.files().size(), infos.get(1).numberFiles());
            assertTrue(infos.get(0).size() > 2_000_000, "30000 keys of 100 bytes: " + infos.get(0).size());
            assertTrue(b2.files().stream().anyMatch(f -> f.path().endsWith(".log")), "the WAL is part of backup 2");
            assertTrue(b2.files().stream().anyMatch(f -> f.path().matches("shared_checksum/\\d{6}_s[0-9A-Z]{20}_\\d+\\.sst")),
                    "SSTs get BackupEngine's default shared names: " + b2.files());

            engine.verifyBackup(1, true);
            engine.verifyBackup(2, false);
            Path r1 = tmp.resolve("r1");
            Path r2 = tmp.resolve("r2");
            engine.restoreDbFromBackup(1, r1.toString(), r1.toString(), RestoreOptions.DEFAULT);
            engine.restoreDbFromLatestBackup(r2.toString(), r2.toString(), RestoreOptions.DEFAULT);
            assertEquals(state1, contentsOf(r1));
            assertEquals(state2, contentsOf(r2));

            // a third backup with few writes: unchanged SSTs are neither read nor stored again
            write(db, 50000, 20, 5);
            BackupStats before = engine.stats();
            long readBefore = before.bytesProcessed.get();
            RocksBackup b3 = engine.createNewBackup(db, false);
            Snapshot.Summary s3 = b3.snapshot().summary;
            assertTrue(s3.dataAdded < 200_000, "a backup after 20 writes stores little: " + s3.dataAdded);
            assertTrue(s3.filesUnmodified >= 1, "unchanged SSTs are reused: " + s3.filesUnmodified);
            assertTrue(engine.stats().bytesProcessed.get() - readBefore >= b3.totalSize(), "sizes are counted");
        }
    }

    @Test
    void exportIsRestoredByRocksDbsBackupEngineAndImportKeepsEverything(@TempDir Path tmp) throws Exception {
        Path native1 = Files.createDirectories(tmp.resolve("native"));
        Map<String, String> state1;
        Map<String, String> state2;
        try (Options o = options(); RocksDB db = RocksDB.open(o, tmp.resolve("db").toString());
             BackupEngineOptions beo = new BackupEngineOptions(native1.toString());
             BackupEngine be = BackupEngine.open(Env.getDefault(), beo)) {
            write(db, 0, 5000, 1);
            be.createNewBackupWithMetadata(db, "first", true);
            state1 = contents(db);
            write(db, 5000, 500, 2);
            be.createNewBackup(db, false);
            state2 = contents(db);
        }
        try (Repository repo = TestRepos.memory()) {
            ArcaBackupEngine engine = new ArcaBackupEngine(repo, "imported");
            List<RocksBackup> imported = engine.importBackupDir(native1);
            assertEquals(2, imported.size());
            assertEquals(0, engine.importBackupDir(native1).size(), "a second import adds nothing");
            List<BackupInfo> arcaInfo = engine.getBackupInfo();
            List<org.rocksdb.BackupInfo> nativeInfo;
            try (BackupEngineOptions beo = new BackupEngineOptions(native1.toString());
                 BackupEngine be = BackupEngine.open(Env.getDefault(), beo)) {
                nativeInfo = be.getBackupInfo();
            }
            assertEquals(nativeInfo.size(), arcaInfo.size());
            for (int i = 0; i < nativeInfo.size(); i++) {
                assertEquals(nativeInfo.get(i).backupId(), arcaInfo.get(i).backupId());
                assertEquals(nativeInfo.get(i).timestamp(), arcaInfo.get(i).timestamp());
                assertEquals(nativeInfo.get(i).numberFiles(), arcaInfo.get(i).numberFiles());
                assertEquals(nativeInfo.get(i).appMetadata(), arcaInfo.get(i).appMetadata());
                assertArrayEquals(Files.readAllBytes(native1.resolve("meta/" + arcaInfo.get(i).backupId())),
                        imported.get(i).meta(), "meta files are kept byte for byte");
            }
            Path r1 = tmp.resolve("r1");
            engine.restoreDbFromBackup(1, r1.toString(), r1.toString(), RestoreOptions.DEFAULT);
            assertEquals(state1, contentsOf(r1));

            // export, then RocksDB's own BackupEngine lists and restores it
            Path exported = Files.createDirectories(tmp.resolve("exported"));
            engine.exportToBackupDir(engine.backups(), exported);
            for (int id : List.of(1, 2)) {
                assertArrayEquals(Files.readAllBytes(native1.resolve("meta/" + id)),
                        Files.readAllBytes(exported.resolve("meta/" + id)));
            }
            try (BackupEngineOptions beo = new BackupEngineOptions(exported.toString());
                 BackupEngine be = BackupEngine.open(Env.getDefault(), beo);
                 org.rocksdb.RestoreOptions ro = new org.rocksdb.RestoreOptions(false)) {
                List<org.rocksdb.BackupInfo> info = be.getBackupInfo();
                assertEquals(List.of(1, 2), info.stream().map(org.rocksdb.BackupInfo::backupId).toList());
                assertEquals("first", info.get(0).appMetadata());
                assertEquals(nativeInfo.get(1).timestamp(), info.get(1).timestamp());
                Path n2 = tmp.resolve("n2");
                be.restoreDbFromBackup(2, n2.toString(), n2.toString(), ro);
                assertEquals(state2, contentsOf(n2));
            }
        }
    }

    @Test
    void aBackupMadeByArcaIsRestoredByRocksDbsBackupEngine(@TempDir Path tmp) throws Exception {
        try (Repository repo = TestRepos.memory(); Options o = options();
             RocksDB db = RocksDB.open(o, tmp.resolve("db").toString())) {
            ArcaBackupEngine engine = new ArcaBackupEngine(repo, "db");
            write(db, 0, 2000, 7);
            engine.createNewBackupWithMetadata(db, "x", true);
            Map<String, String> state = contents(db);
            Path out = Files.createDirectories(tmp.resolve("export"));
            engine.exportToBackupDir(engine.backups(), out);
            try (BackupEngineOptions beo = new BackupEngineOptions(out.toString());
                 BackupEngine be = BackupEngine.open(Env.getDefault(), beo);
                 org.rocksdb.RestoreOptions ro = new org.rocksdb.RestoreOptions(false)) {
                assertEquals("x", be.getBackupInfo().get(0).appMetadata());
                be.restoreDbFromLatestBackup(tmp.resolve("n").toString(), tmp.resolve("n").toString(), ro);
            }
            assertEquals(state, contentsOf(tmp.resolve("n")));
        }
    }

    @Test
    void aClosedDatabaseWithItsWalElsewhereKeepsItsUnflushedWrites(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("db");
        Path wal = tmp.resolve("wal");
        Map<String, String> written;
        try (Options o = options().setWalDir(wal.toString()).setAvoidFlushDuringShutdown(true);
             RocksDB db = RocksDB.open(o, dir.toString())) {
            write(db, 0, 300, 5);
            written = contents(db);
        }
        try (java.util.stream.Stream<Path> s = Files.list(wal)) {
            assertTrue(s.anyMatch(p -> p.toString().endsWith(".log") && p.toFile().length() > 0),
                    "the test needs writes that are only in the WAL directory");
        }
        try (Repository repo = TestRepos.memory()) {
            new ArcaBackupEngine(repo, "w").backupClosedDb(dir, null);
            Path r = tmp.resolve("restored");
            Path rw = tmp.resolve("restored-wal");
            new ArcaBackupEngineReadOnly(repo, "w").restoreDbFromLatestBackup(r.toString(), rw.toString(), RestoreOptions.DEFAULT);
            try (Options o = new Options().setWalDir(rw.toString());
                 RocksDB db = RocksDB.openReadOnly(o, r.toString())) {
                assertEquals(written, contents(db));
            }
        }
    }

    @Test
    void anOpenDatabaseWithItsWalElsewhereIsCapturedWithItsUnflushedWrites(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("db");
        Path wal = tmp.resolve("wal");
        try (Options o = options().setWalDir(wal.toString());
             RocksDB db = RocksDB.open(o, dir.toString());
             Repository repo = TestRepos.memory()) {
            write(db, 0, 400, 6);
            Map<String, String> written = contents(db);
            new ArcaBackupEngine(repo, "lw").createNewBackup(db, false);   // no flush: the writes are only in the WAL
            write(db, 400, 10, 7);                                         // after the backup: not in it
            Path r = tmp.resolve("restored");
            Path rw = tmp.resolve("restored-wal");
            new ArcaBackupEngineReadOnly(repo, "lw").restoreDbFromLatestBackup(r.toString(), rw.toString(),
                    RestoreOptions.DEFAULT);
            try (Options ro = new Options().setWalDir(rw.toString());
                 RocksDB restored = RocksDB.openReadOnly(ro, r.toString())) {
                assertEquals(written, contents(restored));
            }
        }
    }

    @Test
    void aCorruptSstInTheDatabaseIsCaughtOnBackup(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("db");
        try (Options o = options(); RocksDB db = RocksDB.open(o, dir.toString())) {
            write(db, 0, 3000, 11);
            db.flush(new org.rocksdb.FlushOptions().setWaitForFlush(true));
        }
        Path sst;
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            sst = s.filter(p -> p.toString().endsWith(".sst")).findFirst().orElseThrow();
        }
        byte[] b = Files.readAllBytes(sst);
        b[200] ^= 0x10;   // inside the first data block: the MANIFEST still names the file with its size
        Files.write(sst, b);
        try (Repository repo = TestRepos.memory()) {
            RocksdbException e = assertThrows(RocksdbException.class,
                    () -> new ArcaBackupEngine(repo, "c").backupClosedDb(dir, null));
            assertTrue(e.getMessage().contains(sst.getFileName().toString()) && e.getMessage().contains("corrupt"),
                    e.getMessage());
            assertTrue(repo.snapshots(x -> { }).isEmpty(), "no snapshot is recorded");
        }
    }

    @Test
    void twoDatabasesWithTheSameSstsStoreThemOnce(@TempDir Path tmp) throws Exception {
        Path a = tmp.resolve("a");
        try (Options o = options(); RocksDB db = RocksDB.open(o, a.toString())) {
            write(db, 0, 20000, 9);
            db.flush(new FlushOptions().setWaitForFlush(true));
        }
        Path b = tmp.resolve("b");
        copyDir(a, b); // a copy of the database, as a replica restored from the same backup would be
        try (Options o = options(); RocksDB db = RocksDB.open(o, b.toString())) {
            write(db, 20000, 10, 10);
        }
        try (Repository repo = TestRepos.memory()) {
            RocksBackup ba = new ArcaBackupEngine(repo, "a").backupClosedDb(a, null);
            RocksBackup bb = new ArcaBackupEngine(repo, "b").backupClosedDb(b, null);
            assertTrue(ba.snapshot().summary.dataAdded > 1_000_000);
            assertEquals(20010, bb.sequenceNumber(), "the sequence number includes the writes only in the WAL");
            assertTrue(bb.snapshot().summary.dataAdded < 100_000,
                    "the SSTs database b shares with a are stored once: " + bb.snapshot().summary.dataAdded);
            assertEquals(List.of("a", "b"), ArcaBackupEngineReadOnly.databases(repo));
            assertEquals(1, new ArcaBackupEngineReadOnly(repo, "b").getBackupInfo().get(0).backupId());
        }
    }

    @Test
    void aFlippedByteInAStoredSstIsCaughtAndNothingIsLeftHalfRestored(@TempDir Path tmp) throws Exception {
        try (Repository repo = TestRepos.memory(); Options o = options();
             RocksDB db = RocksDB.open(o, tmp.resolve("db").toString())) {
            ArcaBackupEngine engine = new ArcaBackupEngine(repo, "db");
            write(db, 0, 3000, 11);
            RocksBackup good = engine.createNewBackup(db, true);
            RocksBackup.FileEntry sst = good.files().stream().filter(f -> f.path().endsWith(".sst")).findFirst().get();
            // store a copy of the snapshot whose SST content has one byte flipped
            Node node = new SnapshotWalker(repo).resolve(good.snapshot().treeId(), sst.path());
            byte[] bytes;
            try (var in = new ContentStream(repo, node)) {
                bytes = in.readAllBytes();
            }
            bytes[bytes.length / 2] ^= 0x01;
            Snapshot bad = good.snapshot().copy();
            try (BackupSession session = new BackupSession(repo, new BackupStats())) {
                List<BlobId> ids = session.saveContent(new ByteArrayInputStream(bytes)).ids().join();
                Node flipped = session.withContent(node.toBuilder(), ids);
                bad.tree = replace(repo, session, good.snapshot().treeId(), sst.path().split("/"), 0, flipped).hex();
                session.commit(bad);
            }
            repo.removeSnapshot(good.snapshotId()); // backup 1 is now the damaged copy
            Path target = tmp.resolve("restore");
            CorruptObjectException e = assertThrows(CorruptObjectException.class,
                    () -> engine.restoreDbFromBackup(1, target.toString(), target.toString(), RestoreOptions.DEFAULT));
            assertTrue(e.getMessage().contains(sst.path()), e.getMessage());
            assertTrue(e.getMessage().contains("expected CRC-32C " + sst.crc32c()), e.getMessage());
            assertTrue(e.getMessage().contains("computed CRC-32C"), e.getMessage());
            assertFalse(Files.exists(target.resolve("CURRENT")), "no CURRENT after a failed restore");
            assertFalse(Files.exists(target.resolve(RocksFiles.dbName(sst.path()))), "the bad SST is not under its name");
            try (Stream<Path> s = Files.list(target)) {
                assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files are left");
            }
            assertThrows(CorruptObjectException.class, () -> engine.verifyBackup(1, true));
            engine.verifyBackup(1, false); // sizes and blobs are all there: only the checksum finds it
        }
    }

    /** Rebuilds the trees on {@code path} with {@code leaf} at its end. */
    private static BlobId replace(Repository repo, BackupSession s, BlobId tree, String[] path, int i, Node leaf)
            throws IOException {
        List<Node> nodes = new ArrayList<>();
        for (Node n : repo.loadTree(tree).nodes()) {
            if (!n.name().equals(path[i])) {
                nodes.add(n);
            } else if (i == path.length - 1) {
                nodes.add(leaf);
            } else {
                nodes.add(n.toBuilder().subtree(replace(repo, s, n.subtree(), path, i + 1, leaf)).build());
            }
        }
        return s.saveTree(Tree.of(nodes));
    }

    @Test
    void badInputIsAClearErrorAndNoSnapshot(@TempDir Path tmp) throws Exception {
        Path db = tmp.resolve("db");
        try (Options o = options(); RocksDB rdb = RocksDB.open(o, db.toString())) {
            write(rdb, 0, 1000, 12);
            rdb.flush(new FlushOptions().setWaitForFlush(true));
            ArcaBackupEngine engine = new ArcaBackupEngine(TestRepos.memory(), "x");
            RocksdbException locked = assertThrows(RocksdbException.class, () -> engine.backupClosedDb(db, null));
            assertTrue(locked.getMessage().contains("LOCK is held"), locked.getMessage());
        }
        try (Repository repo = TestRepos.memory()) {
            ArcaBackupEngine engine = new ArcaBackupEngine(repo, "x");
            Path empty = Files.createDirectories(tmp.resolve("empty"));
            assertTrue(assertThrows(RocksdbException.class, () -> engine.backupClosedDb(empty, null)).getMessage()
                    .contains("not a RocksDB database directory"));

            Path noManifest = tmp.resolve("no-manifest");
            copyDir(db, noManifest);
            String manifest = Files.readString(noManifest.resolve("CURRENT")).strip();
            Files.delete(noManifest.resolve(manifest));
            String m = assertThrows(RocksdbException.class, () -> engine.backupClosedDb(noManifest, null)).getMessage();
            assertTrue(m.contains(manifest) && m.contains("does not exist"), m);

            Path noSst = tmp.resolve("no-sst");
            copyDir(db, noSst);
            Path sst;
            try (Stream<Path> s = Files.list(noSst)) {
                sst = s.filter(p -> p.toString().endsWith(".sst")).findFirst().get();
            }
            Files.delete(sst);
            m = assertThrows(RocksdbException.class, () -> engine.backupClosedDb(noSst, null)).getMessage();
            assertTrue(m.contains(sst.getFileName().toString()) && m.contains("missing"), m);
            assertTrue(repo.snapshotIds().isEmpty(), "no snapshot was made");

            // the original database itself, now closed, backs up
            assertEquals(1, engine.backupClosedDb(db, null).backupId());
        }
    }

    @Test
    void fixturesBackUpAndRestoreByteForByte(@TempDir Path tmp) throws Exception {
        Path fixtures = Path.of(RocksdbEngineTest.class.getResource("/rocksdb/pebble-testdata").toURI());
        try (Repository repo = TestRepos.memory()) {
            for (String name : List.of("db-stage-1", "db-stage-2", "db-stage-3", "db-stage-4", "rocksdb-ingest-only")) {
                Path src = fixtures.resolve(name);
                ArcaBackupEngine engine = new ArcaBackupEngine(repo, name);
                RocksBackup b = engine.backupClosedDb(src, null);
                Path out = tmp.resolve(name);
                engine.restoreDbFromBackup(b.backupId(), out.toString(), out.toString(), RestoreOptions.DEFAULT);
                List<String> restored;
                try (Stream<Path> s = Files.list(out)) {
                    restored = s.map(p -> p.getFileName().toString()).sorted().toList();
                }
                for (String f : restored) {
                    assertArrayEquals(Files.readAllBytes(src.resolve(f)), Files.readAllBytes(out.resolve(f)), name + "/" + f);
                }
                assertTrue(restored.contains("CURRENT") && restored.contains("IDENTITY"), name + ": " + restored);
                assertFalse(restored.contains("LOG") || restored.contains("LOCK"), name + ": " + restored);
                if (name.equals("rocksdb-ingest-only")) {
                    assertTrue(restored.contains("000006.sst") && restored.contains("MANIFEST-000007"), restored.toString());
                    assertFalse(restored.contains("MANIFEST-000001"), "the stale MANIFEST is not part of the database");
                }
                if (name.equals("db-stage-4")) {
                    assertTrue(restored.contains("OPTIONS-000008") && !restored.contains("OPTIONS-000005"), restored.toString());
                    assertTrue(restored.contains("000004.sst") && restored.contains("000006.log"), restored.toString());
                    // SSTs older than db_session_id get the legacy <number>_<crc32c>_<size> name
                    assertTrue(b.files().stream().anyMatch(f -> f.path().matches("shared_checksum/000004_\\d+_986\\.sst")),
                            b.files().toString());
                }
            }
            // and RocksDB opens the restored stage 4 (keys flushed to the SST, then updated in the WAL)
            Map<String, String> stage4 = contentsOf(tmp.resolve("db-stage-4"));
            assertEquals(Map.of("foo", "five", "quux", "six"), stage4);
        }
    }

    @Test
    void unchangedSstsAreNotReadAgainUnlessVerifyUnchanged(@TempDir Path tmp) throws Exception {
        Path dbDir = tmp.resolve("db");
        try (Options o = options(); RocksDB db = RocksDB.open(o, dbDir.toString())) {
            write(db, 0, 5000, 13);
            db.flush(new FlushOptions().setWaitForFlush(true));
        }
        try (Repository repo = TestRepos.memory()) {
            ArcaBackupEngine plain = new ArcaBackupEngine(repo, "u");
            RocksBackup first = plain.backupClosedDb(dbDir, null);
            long ssts = first.files().stream().filter(f -> f.path().endsWith(".sst")).count();
            assertTrue(ssts >= 1);
            RocksBackup second = plain.backupClosedDb(dbDir, null);
            assertEquals(ssts, second.snapshot().summary.filesUnmodified, "unchanged SSTs are reused by name");
            // with verifyUnchanged (--verify-unchanged) every SST is read and checked again
            ArcaBackupEngine verifying = new ArcaBackupEngine(repo, "u",
                    new ArcaBackupEngine.Options("h", "u", List.of(), true), new BackupStats());
            RocksBackup third = verifying.backupClosedDb(dbDir, null);
            assertEquals(0, third.snapshot().summary.filesUnmodified, "every file is read: " + third.snapshot().summary);
            assertEquals(second.files().stream().filter(f -> f.path().startsWith("shared_checksum/")).toList(),
                    third.files().stream().filter(f -> f.path().startsWith("shared_checksum/")).toList(),
                    "same SSTs, same names and CRCs");
        }
    }

    @Test
    void purgeAndDeleteRemoveSnapshots(@TempDir Path tmp) throws Exception {
        try (Repository repo = TestRepos.memory(); Options o = options();
             RocksDB db = RocksDB.open(o, tmp.resolve("db").toString())) {
            ArcaBackupEngine engine = new ArcaBackupEngine(repo, "p");
            for (int i = 0; i < 4; i++) {
                write(db, i * 100, 100, i);
                engine.createNewBackup(db, true);
            }
            engine.deleteBackup(2);
            assertEquals(List.of(1, 3, 4), engine.getBackupInfo().stream().map(BackupInfo::backupId).toList());
            engine.purgeOldBackups(1);
            assertEquals(List.of(4), engine.getBackupInfo().stream().map(BackupInfo::backupId).toList());
            assertEquals(5, engine.createNewBackup(db).backupId(), "ids keep counting up");
            assertEquals(2, repo.snapshotIds().size());
        }
    }

    static void copyDir(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) {
                if (Files.isRegularFile(p) && !p.getFileName().toString().equals("LOCK")) {
                    Files.copy(p, to.resolve(p.getFileName()));
                }
            }
        }
    }
}
