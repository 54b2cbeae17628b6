package dev.arca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.engine.mysql.MariadbInstance;
import dev.arca.engine.mysql.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code arca mysql …}, {@code arca snapshots --engine mysql} and {@code arca schedule} against a live MariaDB. */
class MysqlCliTest {
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        server.root("CREATE DATABASE shop; CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(20)); "
                + "CREATE TABLE shop.notes (id INT PRIMARY KEY, t TEXT); "
                + "INSERT INTO shop.items VALUES (1, 'tea'), (2, 'cake'); INSERT INTO shop.notes VALUES (1, 'x');");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String noPassword() {
        return "mysql://" + TestServer.USER + "@127.0.0.1:" + server.port();
    }

    private static void sleepToNextSecond() throws InterruptedException {
        Thread.sleep(1000 - System.currentTimeMillis() % 1000 + 150);
    }

    @Test
    void backupBinlogRestoreAtASecondAndTables(@TempDir Path work) throws Exception {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        cli.env.put("MYSQL_PWD", TestServer.PASSWORD);
        JsonNode full = Output.JSON.readTree(cli.expect(0, "--json", "mysql", "backup", "--uri", noPassword()).out());
        assertEquals("full", full.path("engine_metadata").path("type").asText());
        assertTrue(full.path("engine_metadata").path("binlog").path("file").asText().startsWith("binlog."));

        sleepToNextSecond();
        server.root("INSERT INTO shop.items VALUES (3, 'scone')");
        long at = Instant.now().getEpochSecond();
        sleepToNextSecond();
        server.root("INSERT INTO shop.items VALUES (4, 'later'); DELETE FROM shop.items WHERE id = 1");
        String bl = cli.expect(0, "mysql", "binlog", "--uri", noPassword(), "--once").out();
        assertTrue(bl.startsWith("binlog of 127.0.0.1:" + server.port() + ": binlog."), bl);

        String list = cli.expect(0, "mysql", "snapshots").out();
        assertTrue(list.contains(" full ") && list.contains(" binlog ") && list.contains("2 snapshots"), list);
        JsonNode binlogs = Output.JSON.readTree(cli.expect(0, "--json", "snapshots", "--engine", "mysql", "--type",
                "binlog").out());
        assertEquals(1, binlogs.size());
        assertEquals("binlog", binlogs.get(0).path("engine_metadata").path("type").asText(), binlogs.toString());
        assertEquals(0, Output.JSON.readTree(cli.expect(0, "--json", "snapshots", "--engine", "mysql", "--from",
                "2000-01-01", "--to", "2000-01-02").out()).size());

        String when = LocalDateTime.ofInstant(Instant.ofEpochSecond(at), ZoneId.systemDefault())
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
        Path dir = work.resolve("pitr");
        int port = MariadbInstance.freePort();
        Cli.Run r = cli.expect(0, "mysql", "restore", "--at", when, "--new-instance", dir.toString(), "--port",
                String.valueOf(port));
        assertTrue(r.out().contains("it is running") && r.out().contains("mysqld.sock"), r.out());
        MariadbInstance restored = new MariadbInstance(dir, port, List.of());
        try {
            assertEquals("1\ttea\n2\tcake\n3\tscone", restored.rootQuery("SELECT * FROM shop.items ORDER BY id"));
        } finally {
            restored.rootQuery("SHUTDOWN");
        }

        r = cli.expect(0, "mysql", "restore", "--tables", "shop.notes", "--uri", noPassword(), "--into", "rescue");
        assertTrue(r.out().contains("restored shop.notes"), r.out());
        assertEquals("notes", server.root("SHOW TABLES FROM rescue"));

        Cli.Run early = cli.expect(1, "mysql", "restore", "--at", "2001-01-01 00:00:00", "--new-instance",
                work.resolve("never").toString());
        assertTrue(early.err().contains("before the first full backup"), early.err());
        assertFalse(Files.exists(work.resolve("never")));
        Cli.Run denied = cli.expect(1, "mysql", "backup", "--uri", "mysql://arca:wrong@127.0.0.1:" + server.port());
        assertTrue(denied.err().contains("Access denied"), denied.err());
        assertFalse(denied.err().contains("wrong"), "the password is not shown: " + denied.err());
    }

    @Test
    void verifyPassesForAServerAgainstItself(@TempDir Path work) throws Exception {
        Cli cli = new Cli(work);
        String u = server.uriString();
        Cli.Run r = cli.expect(0, "mysql", "verify", "--primary", u, "--replica", u, "--threads", "2");
        assertTrue(r.out().contains("differ") && r.out().contains(" 0 differ, 0 failed"), r.out());
        JsonNode j = Output.JSON.readTree(cli.expect(0, "--json", "mysql", "verify", "--primary", u, "--replica", u,
                "--no-crc", "--max-rate", "100", "--ignore", "shop.notes").out());
        assertTrue(j.path("consistent").asBoolean(), j.toString());
        assertEquals("shop.notes", j.path("ignored").get(0).path("table").asText(), j.toString());
        assertTrue(j.path("same").size() >= 1, j.toString());
        Cli.Run bad = cli.run("mysql", "verify", "--primary", u, "--replica", u, "--threads", "40");
        assertEquals(ExitCodes.USAGE, bad.exit(), bad.toString());
    }

    @Test
    void scheduleRunsJobsAndStatusShowsRunsAndFailures(@TempDir Path work) throws Exception {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        Path cfg = work.resolve("schedule.json");
        Files.writeString(cfg, "{\"jobs\": [\n"
                + "  {\"name\": \"full\", \"command\": \"mysql backup --uri " + server.uriString() + "\", \"every\": \"1h\"},\n"
                + "  {\"name\": \"binlog\", \"command\": [\"mysql\", \"binlog\", \"--once\", \"--uri\", \"" + server.uriString()
                + "\"], \"every\": \"1s\"},\n"
                + "  {\"name\": \"broken\", \"command\": \"mysql backup --uri mysql://arca:nope@127.0.0.1:" + server.port()
                + "\", \"every\": \"1h\"}]}\n");
        Cli.Run r = cli.expect(0, "schedule", "run", "--config", cfg.toString(), "--max-runs", "4");
        assertTrue(r.out().contains("job full: ok"), r.out());
        assertTrue(r.out().contains("job broken: FAILED (exit 1)") && r.out().contains("Access denied"), r.out());
        assertFalse(r.out().contains("s3cret") || r.out().contains("nope"), "passwords are hidden: " + r.out());
        Cli.Run st = cli.expect(0, "schedule", "status", "--config", cfg.toString());
        assertTrue(st.out().contains("full") && st.out().contains("every 1h"), st.out());
        assertTrue(st.out().contains("FAILED(1)"), st.out());
        JsonNode j = Output.JSON.readTree(cli.expect(0, "--json", "schedule", "status", "--config", cfg.toString()).out());
        assertEquals(1, j.path("jobs").get(0).path("runs").asInt());
        assertTrue(j.path("jobs").get(1).path("runs").asInt() >= 2);
        assertEquals(1, j.path("jobs").get(2).path("failures").asInt());
        assertEquals(3, Output.JSON.readTree(cli.expect(0, "--json", "snapshots", "--engine", "mysql").out()).size());
    }
}
