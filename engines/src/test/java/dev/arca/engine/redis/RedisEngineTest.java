package dev.arca.engine.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arca.engine.RecordView;
import dev.arca.engine.files.BackupStats;
import dev.arca.engine.files.FileBackup;
import dev.arca.format.repo.Repository;
import dev.arca.format.testing.TestRepos;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Redis engine against the public RDB fixtures and real redis-server instances. */
class RedisEngineTest {
    static final RedisBackup.Options OPTS = new RedisBackup.Options("host", "user", List.of());

    static FileBackup.Result backupFile(Repository repo, Path rdb) throws IOException {
        return new RedisBackup(repo, OPTS, new BackupStats(), w -> { }).file(rdb);
    }

    static FileBackup.Result backupServer(Repository repo, RedisUri uri) throws IOException {
        return new RedisBackup(repo, OPTS, new BackupStats(), w -> { }).server(uri, 60_000, n -> { });
    }

    static List<RdbKey> indexed(Repository repo, FileBackup.Result r) throws IOException {
        List<RdbKey> out = new ArrayList<>();
        RedisRecordView.keys(repo, r.snapshot(), RedisRestore.Filter.ALL, k -> out.add(k));
        return out;
    }

    static String describe(RdbKey k) {
        return k.db() + "/" + KeyNames.encode(k.key()) + "/" + k.type() + "/" + k.expireMs() + "/" + k.recordStart()
                + "/" + k.typeOffset() + "/" + k.valueStart() + "/" + k.end();
    }

    @Test
    void everyFixtureRoundTripsByteForByteWithItsKeyIndex(@TempDir Path dir) throws IOException {
        try (Repository repo = TestRepos.memory()) {
            for (String f : RdbFixtures.ALL) {
                byte[] rdb = RdbFixtures.bytes(f);
                Path in = dir.resolve(f.replace('/', '_'));
                Files.write(in, rdb);
                FileBackup.Result r = backupFile(repo, in);
                assertEquals("redis", r.snapshot().engine);
                var m = r.snapshot().engineMetadata;
                assertEquals(rdb.length, m.get("rdb_size").asLong(), f);

                RdbParserTest.Parsed p = RdbParserTest.parse(rdb);
                assertEquals(p.keys().stream().map(RedisEngineTest::describe).toList(),
                        indexed(repo, r).stream().map(RedisEngineTest::describe).toList(), f + ": key index");
                assertEquals(p.keys().size(), m.get("keys").asLong(), f);
                assertEquals(p.parser().crcOk() != null, m.get("crc64_checked").asBoolean(), f);

                Path out = dir.resolve("out-" + in.getFileName());
                RdbParser back = RedisRestore.toFile(new RedisSnapshot(repo, r.snapshot()), out, new AtomicLong());
                assertArrayEquals(rdb, Files.readAllBytes(out), f + ": restored byte for byte");
                assertEquals(p.keys().size(), back.keys(), f);
            }
            assertEquals(RdbFixtures.ALL.size(), repo.snapshots(x -> { }).size());
        }
    }

    @Test
    void badRdbsAreErrorsWithOffsetsAndNoSnapshot(@TempDir Path dir) throws IOException {
        byte[] good = RdbFixtures.bytes("redis-replicator/dumpV10.rdb");
        List<RdbKey> keys = RdbParserTest.parse(good).keys();
        byte[] truncated = java.util.Arrays.copyOf(good, good.length / 2);
        byte[] badCrc = good.clone();
        badCrc[badCrc.length - 1] ^= 0x40;
        byte[] badType = good.clone();
        badType[(int) keys.get(2).typeOffset()] = (byte) 0x63;
        try (Repository repo = TestRepos.memory()) {
            RdbFormatException t = assertThrows(RdbFormatException.class, () -> backupFile(repo, write(dir, "t.rdb", truncated)));
            assertTrue(t.getMessage().contains("truncated RDB") && t.getMessage().contains("t.rdb"), t.getMessage());
            assertTrue(t.offset() <= truncated.length && t.offset() > 0, t.getMessage());
            RdbFormatException c = assertThrows(RdbFormatException.class, () -> backupFile(repo, write(dir, "c.rdb", badCrc)));
            assertTrue(c.getMessage().contains("bad CRC64: the RDB says " + Crc64.hex(Crc64.readLe(badCrc, badCrc.length - 8))
                    + ", its bytes give " + Crc64.hex(Crc64.readLe(good, good.length - 8))), c.getMessage());
            assertEquals(good.length - 8, c.offset());
            RdbFormatException u = assertThrows(RdbFormatException.class, () -> backupFile(repo, write(dir, "u.rdb", badType)));
            assertTrue(u.getMessage().contains("unknown value type byte 0x63"), u.getMessage());
            assertEquals(keys.get(2).typeOffset(), u.offset());
            assertTrue(repo.snapshots(x -> { }).isEmpty());
        }
    }

    private static Path write(Path dir, String name, byte[] b) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, b);
        return p;
    }

    /** Strings, hashes, lists, sets, sorted sets, streams with groups, a function, expiry, three databases. */
    static void fill(RedisServer s, int n, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        try (RespClient c = s.client()) {
            List<String[]> cmds = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                cmds.add(new String[] {"SET", "user:" + i, "name-" + i + "-" + r.nextInt(1_000_000)});
                if (i % 7 == 0) {
                    cmds.add(new String[] {"PEXPIRE", "user:" + i, Long.toString(3_600_000L + i)});
                }
                cmds.add(new String[] {"HSET", "session:" + i, "a", Integer.toString(i), "b", "x".repeat(i % 50)});
                cmds.add(new String[] {"RPUSH", "queue:" + (i % 20), "job-" + i});
                cmds.add(new String[] {"SADD", "tags:" + (i % 10), Integer.toString(i), "t" + (i % 13)});
                cmds.add(new String[] {"ZADD", "rank:" + (i % 5), Double.toString(r.nextDouble() * 1000), "m" + i});
            }
            for (int i = 0; i < 400; i++) {
                cmds.add(new String[] {"HSET", "bighash", "field" + i, "value" + i});
                cmds.add(new String[] {"RPUSH", "biglist", "element-" + i + "-" + "y".repeat(i % 40)});
                cmds.add(new String[] {"SADD", "bigset", "member" + i});
                cmds.add(new String[] {"ZADD", "bigzset", Integer.toString(i), "z" + i});
                cmds.add(new String[] {"XADD", "events", "*", "n", Integer.toString(i)});
            }
            cmds.add(new String[] {"XGROUP", "CREATE", "events", "g1", "0"});
            cmds.add(new String[] {"XREADGROUP", "GROUP", "g1", "c1", "COUNT", "5", "STREAMS", "events", ">"});
            cmds.add(new String[] {"SET", "compressible", "abc".repeat(100_000)});
            byte[] noise = new byte[150_000];
            r.nextBytes(noise);
            cmds.add(new String[] {"SET", "counter", "12345"});
            cmds.add(new String[] {"FUNCTION", "LOAD", "REPLACE", "#!lua name=lib1\nredis.register_function('f1', "
                    + "function(keys, args) return 1 end)"});
            cmds.add(new String[] {"SELECT", "1"});
            cmds.add(new String[] {"SET", "user:db1", "one"});
            cmds.add(new String[] {"SET", "other", "two", "EX", "7200"});
            cmds.add(new String[] {"SELECT", "5"});
            cmds.add(new String[] {"HSET", "user:h5", "k", "v"});
            cmds.add(new String[] {"PEXPIREAT", "user:h5", Long.toString(System.currentTimeMillis() + 86_400_000L)});
            for (String[] a : cmds) {
                c.send(bytes(a));
            }
            c.send("SET".getBytes(), "noise".getBytes(), noise);
            c.flush();
            for (int i = 0; i <= cmds.size(); i++) {
                Object reply = c.reply();
                if (reply instanceof RespClient.Error e) {
                    throw new IOException("fill: " + e.message());
                }
            }
        }
    }

    static byte[][] bytes(String... a) {
        byte[][] b = new byte[a.length][];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i].getBytes(StandardCharsets.UTF_8);
        }
        return b;
    }

    @Test
    void liveServerOverSyncBothTransfersRestoresToTheSameDigest(@TempDir Path dir) throws IOException {
        try (RedisServer src = RedisServer.start(dir.resolve("src"), "s3cret", "--repl-diskless-sync-delay", "0");
             Repository repo = TestRepos.memory()) {
            fill(src, 1500, 1);
            String digest = src.text("DEBUG", "DIGEST");
            long dbsize0 = (Long) src.cmd("DBSIZE");
            for (String diskless : List.of("no", "yes")) {
                src.cmd("CONFIG", "SET", "repl-diskless-sync", diskless);
                FileBackup.Result r = backupServer(repo, src.uri());
                var m = r.snapshot().engineMetadata;
                assertEquals(diskless.equals("yes") ? "diskless" : "disk", m.path("source").path("transfer").asText());
                assertEquals(dbsize0, m.path("keys_per_db").path("0").asLong());
                assertEquals(2, m.path("keys_per_db").path("1").asLong());
                assertEquals(2, m.path("keys_per_db").path("5").asLong());
                assertEquals(1, m.path("functions").asLong(), m.toString());
                assertTrue(m.path("crc64_checked").asBoolean());
                assertTrue(m.has("repl_id") && m.has("repl_offset"), m.toString());

                Path restored = dir.resolve("restored-" + diskless).resolve("dump.rdb");
                Files.createDirectories(restored.getParent());
                RedisRestore.toFile(new RedisSnapshot(repo, r.snapshot()), restored, new AtomicLong());
                try (RedisServer copy = RedisServer.start(restored.getParent(), null, "--dbfilename", "dump.rdb")) {
                    assertEquals(digest, copy.text("DEBUG", "DIGEST"), "transfer " + diskless);
                    assertEquals(dbsize0, copy.cmd("DBSIZE"));
                    long ttl = (Long) copy.cmd("PTTL", "user:7");
                    assertTrue(ttl > 3_000_000 && ttl <= 3_600_007, "ttl " + ttl);
                }
            }
        }
    }

    @Test
    void matchRestoresExactlyThoseKeysIntoAnEmptyServerAndKeepsExistingOnes(@TempDir Path dir) throws IOException {
        try (RedisServer src = RedisServer.start(dir.resolve("src"), null);
             RedisServer dst = RedisServer.start(dir.resolve("dst"), "pw");
             Repository repo = TestRepos.memory()) {
            fill(src, 300, 2);
            FileBackup.Result r = backupServer(repo, src.uri());
            RedisSnapshot rs = new RedisSnapshot(repo, r.snapshot());
            RedisRestore.Filter userKeys = new RedisRestore.Filter(new Glob("user:*"), null);
            RedisRestore.Result res = RedisRestore.toServer(rs, dst.uri(), userKeys, false, 64, new AtomicLong(),
                    System.currentTimeMillis());
            assertEquals(302, res.restored);
            assertEquals(0, res.skippedExisting);
            for (int db : new int[] {0, 1, 5}) {
                assertEquals(keys(src, db, "user:*"), keys(dst, db, "*"), "db " + db);
                for (String k : keys(src, db, "user:*")) {
                    assertEquals(src.text("SELECT", Integer.toString(db)), "OK");
                    assertEquals(digestValue(src, db, k), digestValue(dst, db, k), k);
                }
            }
            long ttl = pttl(dst, 0, "user:14");
            assertTrue(ttl > 3_000_000, "expiry kept: " + ttl);
            assertEquals(-1, pttl(dst, 0, "user:1"));

            RedisRestore.Result again = RedisRestore.toServer(rs, dst.uri(), userKeys, false, 1000, new AtomicLong(),
                    System.currentTimeMillis());
            assertEquals(0, again.restored);
            assertEquals(302, again.skippedExisting);
            dst.cmd("SET", "user:1", "changed");
            RedisRestore.toServer(rs, dst.uri(), new RedisRestore.Filter(new Glob("user:1"), 0), true, 10,
                    new AtomicLong(), System.currentTimeMillis());
            assertEquals(digestValue(src, 0, "user:1"), digestValue(dst, 0, "user:1"));

            RedisRestore.Result expired = RedisRestore.toServer(rs, dst.uri(), new RedisRestore.Filter(new Glob("user:*"), 0),
                    true, 1000, new AtomicLong(), System.currentTimeMillis() + 4_000_000L);
            assertEquals(300 / 7 + 1, expired.expired, "keys whose time has passed are left out");
        }
    }

    static TreeSet<String> keys(RedisServer s, int db, String pattern) throws IOException {
        try (RespClient c = s.client()) {
            c.check("SELECT", Integer.toString(db));
            TreeSet<String> out = new TreeSet<>();
            for (Object o : (List<?>) c.check("KEYS", pattern)) {
                out.add(new String((byte[]) o, StandardCharsets.UTF_8));
            }
            return out;
        }
    }

    static String digestValue(RedisServer s, int db, String key) throws IOException {
        try (RespClient c = s.client()) {
            c.check("SELECT", Integer.toString(db));
            return String.valueOf(((List<?>) c.check("DEBUG", "DIGEST-VALUE", key)).get(0) instanceof byte[] b
                    ? new String(b, StandardCharsets.US_ASCII) : "?");
        }
    }

    static long pttl(RedisServer s, int db, String key) throws IOException {
        try (RespClient c = s.client()) {
            c.check("SELECT", Integer.toString(db));
            return (Long) c.check("PTTL", key);
        }
    }

    /** DUMP payloads built from every fixture's stored values load in a real server (old encodings included). */
    @Test
    void fixtureKeysRestoreIntoALiveServer(@TempDir Path dir) throws IOException {
        try (RedisServer dst = RedisServer.start(dir.resolve("dst"), null);
             Repository repo = TestRepos.memory()) {
            int target;
            try (RespClient c = dst.client()) {
                target = DumpPayload.rdbVersionOf(RespClient.infoField(c.info("server"), "redis_version"));
            }
            int checked = 0;
            for (String f : RdbFixtures.ALL) {
                RdbParserTest.Parsed p = RdbParserTest.parse(RdbFixtures.bytes(f));
                if (f.contains("corrupt_") || f.contains("module") || p.parser().opaqueFrom() >= 0
                        || p.parser().version() > target || p.keys().isEmpty()) {
                    continue;
                }
                dst.cmd("FLUSHALL");
                FileBackup.Result r = backupFile(repo, write(dir, f.replace('/', '_'), RdbFixtures.bytes(f)));
                RedisRestore.Result res = RedisRestore.toServer(new RedisSnapshot(repo, r.snapshot()), dst.uri(),
                        RedisRestore.Filter.ALL, false, 100, new AtomicLong(), System.currentTimeMillis());
                assertEquals(p.keys().size(), res.restored + res.expired + res.skippedExisting, f);
                assertTrue(res.restored > 0 || res.expired > 0, f);
                checked++;
            }
            assertTrue(checked >= 30, "fixtures checked: " + checked);
        }
    }

    /** A v11 set-listpack key into this server: refused up front if the server is older than RDB 11. */
    @Test
    void anOlderTargetIsAClearErrorBeforeAnythingIsWritten(@TempDir Path dir) throws IOException {
        try (RedisServer dst = RedisServer.start(dir.resolve("dst"), null);
             Repository repo = TestRepos.memory()) {
            FileBackup.Result r = backupFile(repo, write(dir, "set_listpack.rdb",
                    RdbFixtures.bytes("hdt3213-rdb/set_listpack.rdb")));
            RedisSnapshot rs = new RedisSnapshot(repo, r.snapshot());
            int target;
            try (RespClient c = dst.client()) {
                target = DumpPayload.rdbVersionOf(RespClient.infoField(c.info("server"), "redis_version"));
            }
            if (target < 11) {
                RedisException e = assertThrows(RedisException.class, () -> RedisRestore.toServer(rs, dst.uri(),
                        RedisRestore.Filter.ALL, false, 100, new AtomicLong(), System.currentTimeMillis()));
                assertTrue(e.getMessage().contains("loads RDB version " + target + " and older, the snapshot's RDB is "
                        + "version 11: 1 set key(s) encoded as listpack (RDB type 20, RDB version 11+)"), e.getMessage());
                assertEquals(0L, dst.cmd("DBSIZE"));
            } else {
                assertEquals(1, RedisRestore.toServer(rs, dst.uri(), RedisRestore.Filter.ALL, false, 100,
                        new AtomicLong(), System.currentTimeMillis()).restored);
            }
        }
    }

    @Test
    void wrongPasswordAndUnreachableServerRecordNothing(@TempDir Path dir) throws IOException {
        try (RedisServer src = RedisServer.start(dir.resolve("src"), "right");
             Repository repo = TestRepos.memory()) {
            RedisException.Auth a = assertThrows(RedisException.Auth.class,
                    () -> backupServer(repo, new RedisUri("127.0.0.1", src.port(), null, "wrong")));
            assertTrue(a.getMessage().contains("authentication failed") && a.getMessage().contains(":" + src.port()),
                    a.getMessage());
            assertTrue(a.getMessage().contains("***") && !a.getMessage().contains("wrong"), "no password in messages");
            RedisException.Auth none = assertThrows(RedisException.Auth.class,
                    () -> backupServer(repo, new RedisUri("127.0.0.1", src.port(), null, null)));
            assertTrue(none.getMessage().contains("NOAUTH"), none.getMessage());
            int dead;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                dead = s.getLocalPort();
            }
            RedisException u = assertThrows(RedisException.class,
                    () -> backupServer(repo, new RedisUri("127.0.0.1", dead, null, null)));
            assertTrue(u.getMessage().contains("cannot connect") && u.getMessage().contains(":" + dead), u.getMessage());
            assertTrue(repo.snapshots(x -> { }).isEmpty());
        }
    }

    /** Key-aligned small chunks: a second backup after 1% of the keys changed adds a small part of the RDB. */
    @Test
    void aSecondBackupAfterFewChangesAddsLittle(@TempDir Path dir) throws IOException {
        try (RedisServer src = RedisServer.start(dir.resolve("src"), null, "--rdbcompression", "no");
             Repository repo = TestRepos.memory()) {
            try (RespClient c = src.client()) {
                SplittableRandom r = new SplittableRandom(3);
                for (int i = 0; i < 20_000; i++) {
                    byte[] v = new byte[100 + r.nextInt(200)];
                    r.nextBytes(v);
                    c.send("SET".getBytes(), ("k" + i).getBytes(), v);
                }
                c.flush();
                for (int i = 0; i < 20_000; i++) {
                    c.reply();
                }
            }
            FileBackup.Result first = backupServer(repo, src.uri());
            for (int i = 0; i < 20_000; i += 100) {
                src.cmd("SET", "k" + i, "changed-" + i + "-" + "q".repeat(150));
            }
            FileBackup.Result second = backupServer(repo, src.uri());
            long size = second.snapshot().engineMetadata.get("rdb_size").asLong();
            long added = second.snapshot().summary.dataAdded;
            assertTrue(added < size / 4, "second backup added " + added + " of " + size);
            assertTrue(first.snapshot().summary.dataAdded > size * 9 / 10);
        }
    }

    @Test
    void recordViewListsDatabasesAndKeys(@TempDir Path dir) throws IOException {
        try (Repository repo = TestRepos.memory()) {
            FileBackup.Result r = backupFile(repo, write(dir, "multiple_databases.rdb",
                    RdbFixtures.bytes("redis-rdb-tools-dumps/multiple_databases.rdb")));
            RecordView v = RecordView.of("redis");
            List<String> top = new ArrayList<>();
            assertTrue(v.list(repo, r.snapshot(), "/records", e -> top.add(e.path())));
            assertEquals(List.of("/records/db0", "/records/db2"), top);
            List<RecordView.Entry> db2 = new ArrayList<>();
            assertTrue(v.list(repo, r.snapshot(), "/records/db2", db2::add));
            assertEquals(1, db2.size());
            assertEquals("/records/db2/key_in_second_database", db2.get(0).path());
            assertTrue(db2.get(0).summary().startsWith("string  ttl none"), db2.get(0).summary());
            assertTrue(db2.get(0).json().get("expire").isNull());
            assertTrue(!v.list(repo, r.snapshot(), "/records/db1", e -> { }));
            var rec = v.record(repo, r.snapshot(), "/records/db2/key_in_second_database");
            assertEquals("string", rec.get("type").asText());
            assertTrue(rec.has("dump_payload_base64"));
            assertNull(v.record(repo, r.snapshot(), "/records/db2/nope"));
        }
    }

    @Test
    void globAndKeyNames() {
        assertTrue(new Glob("user:*").matches("user:42".getBytes()));
        assertTrue(!new Glob("user:*").matches("users:42".getBytes()));
        assertTrue(new Glob("h?llo").matches("hallo".getBytes()));
        assertTrue(new Glob("h[ae]llo").matches("hello".getBytes()));
        assertTrue(!new Glob("h[^e]llo").matches("hello".getBytes()));
        assertTrue(new Glob("h[a-b]llo").matches("hbllo".getBytes()));
        assertTrue(new Glob("a\\*b").matches("a*b".getBytes()));
        assertTrue(!new Glob("a\\*b").matches("axb".getBytes()));
        assertTrue(new Glob("*").matches(new byte[0]));
        for (byte[] k : List.of("a/b".getBytes(), "50%".getBytes(), ".".getBytes(), new byte[] {(byte) 0xff, 0, 'x'},
                "ключ".getBytes(StandardCharsets.UTF_8), new byte[0])) {
            String n = KeyNames.encode(k);
            assertTrue(!n.contains("/") && !n.equals(".") && !n.isEmpty(), n);
            assertArrayEquals(k, KeyNames.decode(n), n);
        }
        assertEquals("ключ", KeyNames.encode("ключ".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void uris() {
        RedisUri u = RedisUri.parse("redis://user:p%40ss@db.example:6380");
        assertEquals(new RedisUri("db.example", 6380, "user", "p@ss"), u);
        assertEquals("redis://user:***@db.example:6380", u.redacted());
        assertEquals(new RedisUri("localhost", 6379, null, "pw"), RedisUri.parse("redis://:pw@localhost"));
        assertEquals(new RedisUri("::1", 7000, null, null), RedisUri.parse("redis://[::1]:7000"));
        assertThrows(IllegalArgumentException.class, () -> RedisUri.parse("http://x"));
        assertThrows(IllegalArgumentException.class, () -> RedisUri.parse("rediss://x:1"));
    }

    @Test
    void diskLessMarkIsStripped() throws IOException {
        byte[] rdb = RdbFixtures.bytes("redis-replicator/dumpV10.rdb");
        byte[] mark = "0123456789abcdef0123456789abcdef01234567".getBytes(StandardCharsets.US_ASCII);
        byte[] wire = new byte[rdb.length + mark.length];
        System.arraycopy(rdb, 0, wire, 0, rdb.length);
        System.arraycopy(mark, 0, wire, rdb.length, mark.length);
        var in = new ReplicationSync.MarkTerminated(new java.io.InputStream() {
            final ByteArrayInputStream b = new ByteArrayInputStream(wire);

            @Override
            public int read() {
                return b.read();
            }

            @Override
            public int read(byte[] buf, int off, int len) {
                return b.read(buf, off, Math.min(len, 7));   // small reads: the mark arrives in pieces
            }
        }, mark, "test");
        assertArrayEquals(rdb, in.readAllBytes());
    }
}
