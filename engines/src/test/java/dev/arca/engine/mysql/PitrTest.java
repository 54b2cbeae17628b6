package dev.arca.engine.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arca.format.repo.Repository;
import dev.arca.format.testing.TestRepos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A live server under a continuous workload: full backup, binlog captures, restore at a second in the middle. */
class PitrTest {
    @Test
    void restoreAtASecondInTheMiddleEqualsTheSourceAtThatSecond(@TempDir Path tmp) throws Exception {
        ZoneId zone = ZoneId.systemDefault();
        try (TestServer server = TestServer.start(); Repository repo = TestRepos.memory()) {
            server.root(Workload.SCHEMA);
            MysqlUri uri = server.uri();
            List<BinlogCapture.Result> rounds = new ArrayList<>();
            MysqlBackup.Result full;
            try (Workload w = new Workload(server)) {
                w.start();
                Thread.sleep(1500);
                full = new MysqlBackup(repo, uri, new MysqlBackup.Options(List.of(), false, "db1", "u", List.of())).run();
                Thread.sleep(500);
                MysqlBackup.Result physical = new MysqlBackup(repo, uri, new MysqlBackup.Options(List.of(), true, "db1",
                        "u", List.of())).run();
                assertEquals("physical", physical.snapshot().engineMetadata.path("format").asText());
                assertTrue(physical.snapshot().engineMetadata.path("binlog").path("position").asLong() > 4);
                BinlogCapture capture = new BinlogCapture(repo, uri, new BinlogCapture.Options("db1", "u", List.of()),
                        m -> { });
                for (int i = 0; i < 4; i++) {
                    Thread.sleep(1200);
                    if (i == 1) {
                        server.root("FLUSH BINARY LOGS");
                    }
                    rounds.add(capture.round());
                }
                assertTrue(w.statements() > 50, "the workload ran: " + w.statements());
                Map<Long, String> sums = w.checksums();
                long from = Instant.parse(physical.snapshot().summary.backupEnd).getEpochSecond() + 1;
                long to = rounds.get(rounds.size() - 1).snapshot().instant().getEpochSecond() - 1;
                long middle = (from + to) / 2;
                // a second whose last statement ran late (a loaded machine) has no checksum: take the nearest one
                long at = sums.keySet().stream().filter(t -> t >= from && t <= to)
                        .min(java.util.Comparator.comparingLong(t -> Math.abs(t - middle)))
                        .orElseThrow(() -> new AssertionError("no checksum between " + from + " and " + to + ": "
                                + sums.keySet()));
                assertFalse(sums.get(at).equals(sums.get(sums.keySet().iterator().next())),
                        "the data changed between the first recorded second and the restored one");

                var meta = full.snapshot().engineMetadata;
                assertEquals("full", meta.path("type").asText());
                assertTrue(meta.path("binlog").path("file").asText().startsWith("binlog."));
                assertTrue(meta.path("binlog").path("position").asLong() > 4);
                assertFalse(meta.path("binlog").path("gtid").asText().isEmpty());
                assertEquals(List.of("shop"), List.of(meta.path("databases").get(0).asText()));
                var last = rounds.get(rounds.size() - 1).snapshot().engineMetadata;
                assertEquals("binlog", last.path("type").asText());
                assertEquals("CRC32", last.path("checksum").asText());
                assertTrue(rounds.get(2).files().size() >= 1);

                String when = LocalDateTime.ofInstant(Instant.ofEpochSecond(at), zone).format(PitrRestore.AT);
                Path dir = tmp.resolve("restored");
                PitrRestore.Result r = new PitrRestore(repo, new PitrRestore.Options(when, zone, dir,
                        MariadbInstance.freePort(), false, null), m -> { }).run();
                assertEquals(physical.id(), r.full().id(), "the latest full backup before the second");
                assertTrue(r.originalAccounts());
                try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + r.instance().port()
                        + "/", TestServer.USER, TestServer.PASSWORD)) {
                    assertEquals(sums.get(at), Workload.checksum(c), "the restored data at " + when);
                } finally {
                    r.instance().stop();
                }
                assertTrue(Files.isDirectory(dir.resolve("data").resolve("shop")));

                // the same second from the logical backup alone
                repo.removeSnapshot(physical.id());
                Path dir2 = tmp.resolve("restored-from-dump");
                PitrRestore.Result r2 = new PitrRestore(repo, new PitrRestore.Options(when, zone, dir2,
                        MariadbInstance.freePort(), false, null), m -> { }).run();
                assertEquals(full.id(), r2.full().id());
                try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + r2.instance().port()
                        + "/", "root", "")) {
                    assertEquals(sums.get(at), Workload.checksum(c), "the restored data at " + when);
                } finally {
                    r2.instance().stop();
                }
            }
        }
    }
}
