package dev.arca.engine.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two live servers set up as primary and replica (CHANGE MASTER TO on the replica). */
class ReplicaVerifyTest {
    static TestServer primary;
    static TestServer replica;

    @BeforeAll
    static void start() throws Exception {
        primary = TestServer.start(1, true);
        replica = TestServer.start(2, true);
        // both servers already hold the arca user: replicate what comes after that
        replica.root("SET GLOBAL gtid_slave_pos = '" + primary.root("SELECT @@gtid_binlog_pos") + "'; CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + primary.port() + ", MASTER_USER='"
                + TestServer.USER + "', MASTER_PASSWORD='" + TestServer.PASSWORD + "', MASTER_USE_GTID=slave_pos; "
                + "START SLAVE;");
        primary.root("CREATE DATABASE shop; CREATE DATABASE logs; "
                + "CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(40), price DECIMAL(8,2)); "
                + "INSERT INTO shop.items SELECT seq, CONCAT('item', seq), seq / 10 FROM shop.seq_1_to_5000; "
                + "CREATE TABLE shop.pairs (a INT, b VARCHAR(10), v INT, PRIMARY KEY (a, b)); "
                + "INSERT INTO shop.pairs SELECT seq % 50, CONCAT('k', seq), seq FROM shop.seq_1_to_700; "
                + "CREATE TABLE shop.nokey (x INT); INSERT INTO shop.nokey VALUES (1), (2); "
                + "CREATE TABLE logs.events (id INT PRIMARY KEY, what VARCHAR(20)); "
                + "INSERT INTO logs.events VALUES (1, 'boot');");
        waitForReplica();
    }

    static void waitForReplica() throws Exception {
        String want = primary.root("SELECT @@gtid_binlog_pos");
        long deadline = System.currentTimeMillis() + 30_000;
        while (!replica.root("SELECT @@gtid_slave_pos").equals(want)) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the replica did not catch up: " + replica.root("SHOW SLAVE STATUS"));
            }
            Thread.sleep(50);
        }
    }

    @AfterAll
    static void stop() {
        if (replica != null) {
            replica.close();
        }
        if (primary != null) {
            primary.close();
        }
    }

    private static ReplicaVerify.Report verify(List<String> ignore) throws IOException {
        return new ReplicaVerify(primary.uri(), replica.uri(), new ReplicaVerify.Options(4, 2, ignore, true, 0, 500)).run();
    }

    @Test
    void agreeingServersPassAndTablesWithoutKeyOrIgnoredAreListed() throws IOException {
        ReplicaVerify.Report r = verify(List.of("logs.*"));
        assertTrue(r.consistent(), r.toString());
        assertEquals(List.of("shop.items", "shop.pairs"), r.with(ReplicaVerify.Status.SAME).stream()
                .map(ReplicaVerify.TableResult::table).toList());
        var items = r.with(ReplicaVerify.Status.SAME).get(0);
        assertEquals(5000, items.rows());
        assertEquals(11, items.chunks(), "5000 rows in chunks of 500, plus the open-ended last one");
        var ignored = r.with(ReplicaVerify.Status.IGNORED);
        assertEquals(List.of("logs.events:in --ignore", "shop.nokey:no primary key"), ignored.stream()
                .map(t -> t.table() + ":" + t.reason()).toList());
    }

    @Test
    void aRowChangedOnTheReplicaIsFoundWithItsKeyRange() throws Exception {
        replica.root("SET SESSION sql_log_bin = 0; UPDATE shop.items SET price = 999 WHERE id = 2345; "
                + "UPDATE shop.pairs SET v = -1 WHERE a = 7 AND b = 'k657'");
        try {
            ReplicaVerify.Report r = verify(List.of());
            assertEquals(List.of("shop.items", "shop.pairs"), r.with(ReplicaVerify.Status.DIFFERENT).stream()
                    .map(ReplicaVerify.TableResult::table).toList());
            var items = r.with(ReplicaVerify.Status.DIFFERENT).get(0);
            assertEquals("id=2000", items.from());
            assertEquals("id=2500", items.to());
            var pairs = r.with(ReplicaVerify.Status.DIFFERENT).get(1);
            assertTrue(pairs.from() == null || pairs.from().startsWith("a="), pairs.toString());
            assertEquals(List.of("logs.events"), r.with(ReplicaVerify.Status.SAME).stream()
                    .map(ReplicaVerify.TableResult::table).toList());
        } finally {
            replica.root("SET SESSION sql_log_bin = 0; UPDATE shop.items SET price = 234.5 WHERE id = 2345; "
                    + "UPDATE shop.pairs SET v = 657 WHERE a = 7 AND b = 'k657'");
        }
        assertTrue(verify(List.of()).consistent());
    }

    @Test
    void aTableOnlyOnTheReplicaFails() throws Exception {
        replica.root("SET SESSION sql_log_bin = 0; CREATE TABLE logs.extra (id INT PRIMARY KEY)");
        try {
            ReplicaVerify.Report r = verify(List.of());
            assertEquals(List.of("logs.extra:missing on the primary"), r.with(ReplicaVerify.Status.FAILED).stream()
                    .map(t -> t.table() + ":" + t.reason()).toList());
            assertTrue(verify(List.of("logs.extra")).consistent());
        } finally {
            replica.root("SET SESSION sql_log_bin = 0; DROP TABLE logs.extra");
        }
    }
}
