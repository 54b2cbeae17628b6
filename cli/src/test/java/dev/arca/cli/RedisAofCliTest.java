package dev.arca.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code arca redis backup/restore --aof-dir} through the command line, against real
 * {@code redis-server} processes (Debian package redis-server; test.sh installs it).
 */
class RedisAofCliTest {
    static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @Test
    void pointInTimeRestoreOfALiveServerHoldsExactlyTheWritesUpToThatSecond(@TempDir Path work) throws Exception {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        Path data = Files.createDirectories(work.resolve("data"));
        Path aofDir = data.resolve("aofdir");
        Map<String, String> atS0;
        Map<String, String> atS1;
        long s0;
        long s1;
        String firstId;
        try (Server redis = Server.start(data, "--appendonly", "yes", "--aof-timestamp-enabled", "yes",
                "--appenddirname", "aofdir", "--appendfsync", "always")) {
            byte[] value = new byte[1000];
            List<String[]> bulk = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                value[i % value.length] = (byte) ('a' + i % 26);
                bulk.add(new String[] {"SET", "bulk:" + i, new String(value, StandardCharsets.ISO_8859_1)});
            }
            redis.pipeline(bulk);
            s0 = redis.batchInNextSecond("SET s0:a 1", "SET s0:b 1", "SET s0:c 1");
            atS0 = redis.contents();
            s1 = redis.batchInNextSecond("SET s1:a 2", "SET s0:a changed-in-s1", "DEL bulk:7");
            atS1 = redis.contents();
            redis.batchInNextSecond("SET s2:a 3", "DEL s0:b", "SET s1:a changed-in-s2");
            assertFalse(redis.contents().equals(atS1));

            JsonNode b = Output.JSON.readTree(cli.expect(0, "--json", "redis", "backup", "--aof-dir", aofDir.toString()).out());
            firstId = b.get("snapshot_id").asText();
            assertEquals("aof", b.get("engine_metadata").get("source").asText());
            assertTrue(b.get("engine_metadata").get("last_ts").asLong() > s1);

            // the directory as stored, byte for byte
            Path whole = work.resolve("whole");
            cli.expect(0, "redis", "restore", firstId.substring(0, 8), "--aof-dir", whole.toString());
            assertSameFiles(aofDir, whole);

            // only what was appended is stored again
            long incrSize;
            try (Stream<Path> s = Files.list(aofDir)) {
                incrSize = Files.size(s.filter(p -> p.toString().endsWith(".incr.aof")).findFirst().orElseThrow());
            }
            for (int i = 0; i < 20; i++) {
                redis.call("SET", "late:" + i, "x");
            }
            JsonNode again = Output.JSON.readTree(cli.expect(0, "--json", "redis", "backup", "--aof-dir",
                    aofDir.toString()).out());
            long added = again.get("data_added").asLong();
            assertTrue(added < incrSize / 4, "second backup added " + added + " bytes; the incr file has " + incrSize);
            assertEquals(2, again.get("files_unmodified").asLong(), again.toString());   // base and manifest

            // after an AOF rewrite (new base and incr, a new manifest) the backup follows the new manifest
            redis.call("BGREWRITEAOF");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!Files.readString(aofDir.resolve("appendonly.aof.manifest")).contains("seq 2 type b")
                    || String.valueOf(redis.call("INFO", "persistence")).contains("aof_rewrite_in_progress:1")) {
                assertTrue(System.nanoTime() < deadline, "the AOF rewrite did not finish");
                Thread.sleep(50);
            }
            redis.call("SET", "after-rewrite", "yes");
            JsonNode rewritten = Output.JSON.readTree(cli.expect(0, "--json", "redis", "backup", "--aof-dir",
                    aofDir.toString()).out());
            assertEquals("appendonly.aof.2.base.rdb",
                    rewritten.get("engine_metadata").get("files").get(0).get("name").asText(), rewritten.toString());
            Map<String, String> live = redis.contents();
            Path afterRewrite = work.resolve("rewritten").resolve("aof");
            cli.expect(0, "redis", "restore", "latest", "--aof-dir", afterRewrite.toString());
            try (Server restored = Server.start(afterRewrite.getParent(), "--appendonly", "yes", "--appenddirname", "aof")) {
                assertEquals(live, restored.contents());
            }
            assertTrue(cli.expect(0, "ls", "latest").out().contains("/appendonly.aof.manifest"));
        }

        // cut at s1, in the local time zone: exactly the writes up to s1
        Path pitr = work.resolve("pitr").resolve("appendonlydir");
        String local = AT.format(Instant.ofEpochSecond(s1).atZone(ZoneId.systemDefault()));
        Cli.Run r = cli.expect(0, "redis", "restore", firstId.substring(0, 8), "--aof-dir", pitr.toString(), "--at", local);
        assertTrue(r.out().contains("cut at"), r.out());
        try (Server restored = Server.start(pitr.getParent(), "--appendonly", "yes", "--appenddirname", "appendonlydir")) {
            assertEquals(atS1, restored.contents());
        }

        // cut at s0, given in UTC
        Path utc = work.resolve("utc").resolve("aof");
        cli.expect(0, "redis", "restore", firstId.substring(0, 8), "--aof-dir", utc.toString(), "--at",
                AT.format(Instant.ofEpochSecond(s0).atZone(ZoneOffset.UTC)), "--utc");
        try (Server restored = Server.start(utc.getParent(), "--appendonly", "yes", "--appenddirname", "aof")) {
            assertEquals(atS0, restored.contents());
        }

        // a moment after the snapshot's last annotation names the range
        Cli.Run late = cli.run("redis", "restore", firstId.substring(0, 8), "--aof-dir", work.resolve("late").toString(),
                "--at", "@" + (Instant.now().getEpochSecond() + 3600));
        assertEquals(1, late.exit(), late.toString());
        assertTrue(late.err().contains("is outside what snapshot") && late.err().contains("its last #TS: annotation"),
                late.err());
        assertFalse(Files.exists(work.resolve("late")));

        // an existing, non-empty directory is never overwritten
        Cli.Run full = cli.run("redis", "restore", "latest", "--aof-dir", pitr.toString());
        assertEquals(1, full.exit(), full.toString());
        assertTrue(full.err().contains("not empty"), full.err());

        Cli.Run badAt = cli.run("redis", "restore", "latest", "--aof-dir", work.resolve("x").toString(), "--at", "yesterday");
        assertEquals(2, badAt.exit(), badAt.toString());
        assertTrue(badAt.err().contains("YYYY-MM-DD HH:MM:SS"), badAt.err());
    }

    @Test
    void badDirectoriesAreClearErrorsAndRecordNoSnapshot(@TempDir Path work) throws Exception {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        Path empty = Files.createDirectories(work.resolve("empty"));
        Cli.Run r = cli.run("redis", "backup", "--aof-dir", empty.toString());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("no manifest") && r.err().contains("no snapshot was made"), r.err());

        Path dir = Files.createDirectories(work.resolve("aof"));
        Files.writeString(dir.resolve("appendonly.aof.manifest"),
                "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n");
        Files.writeString(dir.resolve("appendonly.aof.1.base.aof"), "*1\r\n$4\r\nping\r\n");
        r = cli.run("redis", "backup", "--aof-dir", dir.toString());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("'appendonly.aof.1.incr.aof', which is not in"), r.err());

        Files.writeString(dir.resolve("appendonly.aof.1.incr.aof"), "#TS:1700000000\r\n*1\r\n$4\r\nping\r\n+garbage\r\n");
        r = cli.run("redis", "backup", "--aof-dir", dir.toString());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("appendonly.aof.1.incr.aof: at byte offset 30: expected '*'"), r.err());

        assertEquals(0, Output.JSON.readTree(cli.expect(0, "--json", "snapshots").out()).size());
        assertTrue(cli.expect(0, "redis", "restore", "--help").out().contains("local time zone"));
    }

    static void assertSameFiles(Path expected, Path actual) throws IOException {
        List<String> a;
        List<String> b;
        try (Stream<Path> s = Files.list(expected); Stream<Path> t = Files.list(actual)) {
            a = s.map(p -> p.getFileName().toString()).sorted().toList();
            b = t.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(a, b);
        for (String n : a) {
            assertArrayEquals(Files.readAllBytes(expected.resolve(n)), Files.readAllBytes(actual.resolve(n)), n);
        }
    }

    /** A redis-server of our own on a free port, with a minimal RESP client. */
    static final class Server implements AutoCloseable {
        final Process process;
        final Path log;
        final Socket socket;
        final OutputStream out;
        final InputStream in;

        private Server(Process process, Path log, Socket socket) throws IOException {
            this.process = process;
            this.log = log;
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.in = new BufferedInputStream(socket.getInputStream());
        }

        static Server start(Path dir, String... args) throws Exception {
            int port;
            try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = ss.getLocalPort();
            }
            Path log = dir.resolve("redis-" + port + ".log");
            List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                    "--dir", dir.toString(), "--save", "", "--daemonize", "no", "--logfile", log.toString()));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis-" + port + ".out").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (true) {
                try {
                    Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
                    Server server = new Server(p, log, s);
                    while (true) {
                        try {
                            server.call("PING");
                            return server;
                        } catch (IOException e) {
                            if (!e.getMessage().contains("LOADING") || System.nanoTime() > deadline) {
                                throw e;
                            }
                            Thread.sleep(50);
                        }
                    }
                } catch (java.net.ConnectException e) {
                    if (!p.isAlive() || System.nanoTime() > deadline) {
                        p.destroyForcibly();
                        String logText = Files.exists(log) ? Files.readString(log) : "(no log)";
                        throw new AssertionError("redis-server did not start: " + cmd + "\n" + logText, e);
                    }
                    Thread.sleep(50);
                }
            }
        }

        Object call(String... args) throws IOException {
            return pipeline(List.<String[]>of(args)).get(0);
        }

        /** Sends every command, then reads every reply (one fsync per batch with appendfsync always). */
        List<Object> pipeline(List<String[]> commands) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (String[] args : commands) {
                encode(b, args);
            }
            out.write(b.toByteArray());
            out.flush();
            List<Object> replies = new ArrayList<>();
            for (int i = 0; i < commands.size(); i++) {
                replies.add(reply());
            }
            return replies;
        }

        private static void encode(ByteArrayOutputStream b, String... args) {
            b.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (String a : args) {
                byte[] v = a.getBytes(StandardCharsets.ISO_8859_1);
                b.writeBytes(("$" + v.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                b.writeBytes(v);
                b.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
        }

        private Object reply() throws IOException {
            int type = in.read();
            String line = line();
            switch (type) {
                case '+':
                    return line;
                case '-':
                    throw new IOException("redis: " + line);
                case ':':
                    return Long.parseLong(line);
                case '$': {
                    int n = Integer.parseInt(line);
                    if (n < 0) {
                        return null;
                    }
                    byte[] v = in.readNBytes(n + 2);
                    return new String(v, 0, n, StandardCharsets.ISO_8859_1);
                }
                case '*': {
                    int n = Integer.parseInt(line);
                    List<Object> items = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        items.add(reply());
                    }
                    return items;
                }
                default:
                    throw new IOException("unexpected reply type " + type);
            }
        }

        private String line() throws IOException {
            StringBuilder s = new StringBuilder();
            for (int c = in.read(); c != '\r'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                s.append((char) c);
            }
            in.read();
            return s.toString();
        }

        /**
         * Waits until 200 ms into the next second, runs the commands (space-separated words) and
         * returns that second; fails if they did not all run within it.
         */
        long batchInNextSecond(String... commands) throws Exception {
            long now = System.currentTimeMillis();
            Thread.sleep(1000 - now % 1000 + 200);
            long second = System.currentTimeMillis() / 1000;
            for (String c : commands) {
                call(c.split(" "));
            }
            assertEquals(second, System.currentTimeMillis() / 1000, "the batch ran within one second");
            return second;
        }

        /** Every key and its (string) value. */
        Map<String, String> contents() throws IOException {
            Map<String, String> m = new TreeMap<>();
            @SuppressWarnings("unchecked")
            List<Object> keys = (List<Object>) call("KEYS", "*");
            for (Object k : keys) {
                m.put((String) k, (String) call("GET", (String) k));
            }
            return m;
        }

        @Override
        public void close() throws Exception {
            try {
                call("SHUTDOWN", "NOSAVE");
            } catch (IOException e) {
                // the server closes the connection as it exits
            }
            socket.close();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(15, TimeUnit.SECONDS);
            }
        }
    }
}
