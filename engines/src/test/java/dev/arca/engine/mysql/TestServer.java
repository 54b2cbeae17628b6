package dev.arca.engine.mysql;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A throwaway MariaDB for tests: its own datadir in a temporary directory, a free port, binary
 * logging on (ROW, CRC32 checksums) unless asked otherwise, and a user {@code arca} with a password
 * that may do everything (anonymous users dropped, so the password is really checked).
 *
 * <pre>
 * try (TestServer s = TestServer.start()) {
 *     s.sql("CREATE DATABASE shop");
 *     new MysqlBackup(repo, s.uri(), …).run();
 * }
 * </pre>
 */
public final class TestServer implements AutoCloseable {
    public static final String USER = "arca";
    public static final String PASSWORD = "s3cret-pw";

    private final Path dir;
    private final MariadbInstance instance;
    private final int serverId;

    private TestServer(Path dir, int serverId, boolean binlog) throws IOException {
        this.dir = dir;
        this.serverId = serverId;
        List<String> opts = new ArrayList<>(List.of("--server-id=" + serverId));
        if (binlog) {
            opts.addAll(List.of("--log-bin=" + dir.resolve("data").resolve("binlog"), "--binlog-format=ROW",
                    "--binlog-checksum=CRC32"));
        } else {
            opts.add("--skip-log-bin");
        }
        this.instance = new MariadbInstance(dir, MariadbInstance.freePort(), opts);
    }

    /** A server with binary logging on. */
    public static TestServer start() throws IOException {
        return start(1, true);
    }

    public static TestServer start(int serverId, boolean binlog) throws IOException {
        Path dir = Files.createTempDirectory("arca-mariadb");
        TestServer s = new TestServer(dir, serverId, binlog);
        try {
            s.instance.install();
            s.instance.start();
            s.root("DELETE FROM mysql.global_priv WHERE User=''; FLUSH PRIVILEGES; "
                    + "CREATE USER '" + USER + "'@'%' IDENTIFIED BY '" + PASSWORD + "'; "
                    + "GRANT ALL ON *.* TO '" + USER + "'@'%' WITH GRANT OPTION;");
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    public MysqlUri uri() {
        return new MysqlUri(USER, PASSWORD, "127.0.0.1", instance.port());
    }

    public String uriString() {
        return "mysql://" + USER + ":" + PASSWORD + "@127.0.0.1:" + instance.port();
    }

    public int port() {
        return instance.port();
    }

    public int serverId() {
        return serverId;
    }

    public MariadbInstance instance() {
        return instance;
    }

    public Path dataDir() {
        return instance.dataDir();
    }

    /** Runs SQL as root over the socket; returns its output rows, tab-separated. */
    public String root(String sql) throws MysqlException {
        return instance.rootQuery(sql);
    }

    public void stop() throws IOException {
        instance.stop();
    }

    public void kill() {
        instance.kill();
    }

    @Override
    public void close() {
        instance.kill();
        MysqlBackup.deleteTree(dir);
    }
}
