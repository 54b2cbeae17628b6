package dev.arca.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.engine.redis.RedisServer;
import dev.arca.engine.redis.RespClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code arca redis …} through the command line, on public RDB fixtures and real redis-servers. */
class RedisCliTest {
    static byte[] fixture(String name) throws IOException {
        try (InputStream in = RedisCliTest.class.getResourceAsStream("/redis/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void fileBackupBrowseAndRestore(@TempDir Path work) throws IOException {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        byte[] rdb = fixture("redis-rdb-tools-dumps/keys_with_expiry.rdb");
        byte[] multi = fixture("redis-rdb-tools-dumps/multiple_databases.rdb");
        Files.write(work.resolve("dump.rdb"), multi);
        Files.write(work.resolve("expiry.rdb"), rdb);
        Cli.Run b = cli.expect(0, "redis", "backup", "--rdb", "dump.rdb");
        assertTrue(b.out().contains("RDB version 3") && b.out().contains("2 keys (db0 1, db2 1)"), b.out());
        cli.expect(0, "redis", "backup", "--rdb", "expiry.rdb", "--tag", "exp");

        String ls = cli.expect(0, "ls", "latest").out();
        assertTrue(ls.contains("/expiry.rdb") && ls.contains("/.arca/keys"), ls);
        String records = cli.expect(0, "ls", "latest", "/records/db0/").out();
        assertTrue(records.startsWith("/records/db0/expires_ms_precision  string  ttl expired"), records);

        JsonNode keys = Output.JSON.readTree(cli.expect(0, "redis", "keys", "latest", "--json").out());
        assertEquals(1, keys.size());
        JsonNode k = keys.get(0);
        assertEquals(0, k.get("db").asInt());
        assertEquals("expires_ms_precision", k.get("key").asText());
        assertEquals("string", k.get("type").asText());
        assertEquals("2022-12-25T10:11:12.573Z", k.get("expire").asText());
        assertTrue(k.get("size").asLong() > 0);

        String first = Output.JSON.readTree(cli.expect(0, "--json", "snapshots").out()).get(0).get("id").asText();
        JsonNode db2 = Output.JSON.readTree(cli.expect(0, "redis", "keys", first, "--db", "2", "--json").out());
        assertEquals(1, db2.size());
        assertTrue(db2.get(0).get("expire").isNull());
        assertEquals("", cli.expect(0, "redis", "keys", first, "--match", "nothing*").out());
        String text = cli.expect(0, "redis", "keys", first, "--match", "key_in_*").out();
        assertEquals(2, text.lines().count(), text);

        cli.expect(0, "redis", "restore", first, "--rdb", "back.rdb");
        assertArrayEquals(multi, Files.readAllBytes(work.resolve("back.rdb")));
        Cli.Run exists = cli.expect(1, "redis", "restore", first, "--rdb", "back.rdb");
        assertTrue(exists.err().contains("exists"), exists.err());
        cli.expect(2, "redis", "restore", first, "--rdb", "x.rdb", "--match", "a*");
        cli.expect(2, "redis", "restore", first);
        cli.expect(2, "redis", "backup", "--rdb", "dump.rdb", "--uri", "redis://localhost:1");
    }

    @Test
    void badInputIsAnErrorWithAnOffsetAndNoSnapshot(@TempDir Path work) throws IOException {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        byte[] good = fixture("redis-replicator/dumpV10.rdb");
        byte[] bad = good.clone();
        bad[bad.length - 3] ^= 1;
        Files.write(work.resolve("badcrc.rdb"), bad);
        Files.write(work.resolve("short.rdb"), java.util.Arrays.copyOf(good, 1000));
        Cli.Run c = cli.expect(1, "redis", "backup", "--rdb", "badcrc.rdb");
        assertTrue(c.err().contains("badcrc.rdb: bad CRC64") && c.err().contains("at byte offset " + (good.length - 8))
                && c.err().contains("no snapshot was made"), c.err());
        Cli.Run t = cli.expect(1, "redis", "backup", "--rdb", "short.rdb");
        assertTrue(t.err().contains("truncated RDB") && t.err().contains("byte offset"), t.err());
        Cli.Run u = cli.expect(1, "redis", "backup", "--uri", "redis://127.0.0.1:" + deadPort());
        assertTrue(u.err().contains("cannot connect"), u.err());
        assertTrue(Output.JSON.readTree(cli.expect(0, "--json", "snapshots").out()).isEmpty());
    }

    static int deadPort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void liveServerBackupAndMatchRestore(@TempDir Path work) throws IOException {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        try (RedisServer src = RedisServer.start(work.resolve("src"), "pw", "--repl-diskless-sync", "yes",
                "--repl-diskless-sync-delay", "0");
             RedisServer dst = RedisServer.start(work.resolve("dst"), null)) {
            try (RespClient c = src.client()) {
                for (int i = 0; i < 50; i++) {
                    c.check("SET", "user:" + i, "u" + i);
                    c.check("RPUSH", "list:" + i, "a", "b");
                }
                c.check("EXPIRE", "user:3", "1000");
            }
            Cli.Run wrong = cli.expect(1, "redis", "backup", "--uri", "redis://:nope@127.0.0.1:" + src.port());
            assertTrue(wrong.err().contains("authentication failed") && !wrong.err().contains("nope"), wrong.err());
            JsonNode sum = Output.JSON.readTree(cli.expect(0, "--json", "redis", "backup", "--uri", src.uriText()).out());
            assertEquals(100, sum.get("engine_metadata").get("keys").asLong());
            assertEquals("diskless", sum.get("engine_metadata").get("source").get("transfer").asText());
            assertEquals("redis://:***@127.0.0.1:" + src.port(), sum.get("engine_metadata").get("source").get("uri").asText());

            Cli.Run r = cli.expect(0, "redis", "restore", "latest", "--to", dst.uriText(), "--match", "user:*");
            assertTrue(r.out().contains("restored 50 keys"), r.out());
            List<String> there = new ArrayList<>();
            for (Object o : (List<?>) dst.cmd("KEYS", "*")) {
                there.add(new String((byte[]) o, StandardCharsets.UTF_8));
            }
            assertEquals(50, there.size());
            assertTrue(there.stream().allMatch(k -> k.startsWith("user:")), there.toString());
            assertTrue((Long) dst.cmd("TTL", "user:3") > 900);
            JsonNode again = Output.JSON.readTree(cli.expect(0, "--json", "redis", "restore", "latest", "--to",
                    dst.uriText()).out());
            assertEquals(50, again.get("restored").asLong());
            assertEquals(50, again.get("skipped_existing").asLong());
        }
    }
}
