package dev.arca.engine.mysql;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Writes to {@code shop.items} and {@code shop.log} continuously (inserts, updates, deletes) and
 * records, for every wall-clock second, a checksum of both tables as they were at the end of that
 * second. Statements are issued only between 100 and 850 ms into a second and the checksum is
 * taken after 900 ms, so no statement straddles a second boundary and the checksum of second S
 * is exactly what the binlog events stamped S or earlier produce.
 */
final class Workload implements AutoCloseable {
    static final String SCHEMA = "CREATE DATABASE shop; "
            + "CREATE TABLE shop.items (id INT PRIMARY KEY, v INT NOT NULL, note VARCHAR(64)); "
            + "CREATE TABLE shop.log (id INT AUTO_INCREMENT PRIMARY KEY, item INT, what VARCHAR(16)); ";
    static final String CHECKSUM = "SELECT CONCAT((SELECT CONCAT(COUNT(*), '/', COALESCE(BIT_XOR(CRC32(CONCAT_WS('#', id, v, note))), 0)) "
            + "FROM shop.items), ' ', (SELECT CONCAT(COUNT(*), '/', COALESCE(BIT_XOR(CRC32(CONCAT_WS('#', id, item, what))), 0)) "
            + "FROM shop.log))";

    private final Connection conn;
    private final Thread thread;
    private final Map<Long, String> checksums = new ConcurrentSkipListMap<>();
    private volatile boolean running = true;
    private volatile Throwable failure;
    private long statements;

    Workload(TestServer server) throws SQLException {
        conn = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + server.port() + "/shop",
                TestServer.USER, TestServer.PASSWORD);
        thread = new Thread(this::loop, "workload");
        thread.setDaemon(true);
    }

    static String checksum(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(CHECKSUM)) {
            rs.next();
            return rs.getString(1);
        }
    }

    void start() {
        thread.start();
    }

    private void loop() {
        Random rnd = new Random(42);
        try (Statement st = conn.createStatement()) {
            while (running) {
                long now = System.currentTimeMillis();
                long sec = now / 1000;
                long ms = now % 1000;
                if (ms >= 900) {
                    checksums.putIfAbsent(sec, checksum(conn));
                    Thread.sleep(1000 - ms + 100);
                    continue;
                }
                if (ms < 100 || ms > 850) {
                    Thread.sleep(5);
                    continue;
                }
                int id = rnd.nextInt(300);
                switch (rnd.nextInt(4)) {
                    case 0, 1 -> st.executeUpdate("INSERT INTO items VALUES (" + id + ", " + rnd.nextInt(1000) + ", 'n"
                            + rnd.nextInt() + "') ON DUPLICATE KEY UPDATE v = v + 1");
                    case 2 -> st.executeUpdate("UPDATE items SET note = 'u" + rnd.nextInt() + "' WHERE id % 7 = " + (id % 7));
                    default -> st.executeUpdate("DELETE FROM items WHERE id = " + id);
                }
                st.executeUpdate("INSERT INTO log (item, what) VALUES (" + id + ", 'op')");
                statements++;
                Thread.sleep(3);
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    /** Checksum at the end of each second (unix seconds → checksum). */
    Map<Long, String> checksums() {
        return checksums;
    }

    long statements() {
        return statements;
    }

    @Override
    public void close() throws Exception {
        running = false;
        thread.join(5000);
        conn.close();
        if (failure != null) {
            throw new AssertionError("the workload failed", failure);
        }
    }
}
