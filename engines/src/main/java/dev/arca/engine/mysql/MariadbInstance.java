package dev.arca.engine.mysql;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A MariaDB server arca runs itself, in a directory of its own: {@code data/} (the datadir),
 * {@code mysqld.sock}, {@code mariadbd.pid} and {@code mariadbd.err} (the error log). Used by
 * point-in-time restore for the new instance, and by tests for throwaway servers.
 *
 * <p>The server is started without the machine's option files ({@code --no-defaults}), so nothing
 * in {@code /etc/mysql} changes it; root logs in over the socket without a password.
 */
public final class MariadbInstance {
    private final Path dir;
    private final int port;
    private final List<String> extraOptions;
    private Process process;

    public MariadbInstance(Path dir, int port, List<String> extraOptions) {
        this.dir = dir.toAbsolutePath();
        this.port = port;
        this.extraOptions = List.copyOf(extraOptions);
    }

    public Path dir() {
        return dir;
    }

    public Path dataDir() {
        return dir.resolve("data");
    }

    public Path socket() {
        return dir.resolve("mysqld.sock");
    }

    public Path errorLog() {
        return dir.resolve("mariadbd.err");
    }

    public int port() {
        return port;
    }

    /** A free TCP port on the loopback interface. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Creates an empty datadir with {@code mariadb-install-db}. */
    public void install() throws IOException {
        Files.createDirectories(dir);
        List<String> c = new ArrayList<>(List.of(Tools.find("mariadb-install-db", "mysql_install_db"), "--no-defaults",
                "--datadir=" + dataDir(), "--auth-root-authentication-method=normal", "--skip-test-db"));
        if (isRoot()) {
            c.add("--user=root");
        }
        Tools.run(new ProcessBuilder(c), null, "mariadb-install-db");
    }

    /** Starts the server on {@link #dataDir()} and waits until root answers over the socket (at most a minute). */
    public void start() throws IOException {
        launch();
        waitReady(60_000, true);
    }

    /**
     * Starts the server and waits until its socket accepts connections, without logging in (its
     * accounts may be another server's, as after a physical restore).
     */
    public void startWithoutCheck() throws IOException {
        launch();
        waitReady(60_000, false);
    }

    private void launch() throws IOException {
        List<String> c = new ArrayList<>(List.of(Tools.find("mariadbd", "mysqld"), "--no-defaults",
                "--datadir=" + dataDir(), "--socket=" + socket(), "--port=" + port, "--bind-address=127.0.0.1",
                "--pid-file=" + dir.resolve("mariadbd.pid"), "--log-error=" + errorLog(),
                "--innodb-buffer-pool-size=32M", "--innodb-log-file-size=16M", "--skip-name-resolve"));
        if (isRoot()) {
            c.add("--user=root");
        }
        c.addAll(extraOptions);
        ProcessBuilder pb = new ProcessBuilder(c)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mariadbd.out").toFile()))
                .redirectErrorStream(true);
        process = pb.start();
    }

    private void waitReady(long millis, boolean login) throws IOException {
        long deadline = System.currentTimeMillis() + millis;
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new MysqlException("mariadbd in " + dir + " exited with status " + process.exitValue()
                        + " while starting; see " + errorLog() + ": " + tail());
            }
            if (Files.exists(socket())) {
                if (!login) {
                    try (var ch = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
                        ch.connect(java.net.UnixDomainSocketAddress.of(socket()));
                        return;
                    } catch (IOException e) {
                        last = e.getMessage();
                    }
                } else {
                    try {
                        rootQuery("SELECT 1");
                        return;
                    } catch (MysqlException e) {
                        last = e.getMessage();
                    }
                }
            }
            sleep(50);
        }
        kill();
        throw new MysqlException("mariadbd in " + dir + " did not answer within " + millis / 1000 + " s: " + last);
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(errorLog());
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no error log)";
        }
    }

    /** The {@code mariadb} client as root over the socket. */
    public List<String> rootClient() throws MysqlException {
        return new ArrayList<>(List.of(Tools.find("mariadb", "mysql"), "--no-defaults", "--socket=" + socket(),
                "--user=root"));
    }

    /** Runs SQL as root over the socket; returns the output (tab-separated rows). */
    public String rootQuery(String sql) throws MysqlException {
        List<String> c = rootClient();
        c.addAll(List.of("--batch", "--skip-column-names", "-e", sql));
        return Tools.run(new ProcessBuilder(c), null, "mariadb").strip();
    }

    /** Shuts the server down cleanly and waits for it to exit. */
    public void stop() throws IOException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    /** Kills the server at once (SIGKILL), as a crash would. */
    public void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The server's process id, for a stop command printed to the user. */
    public long pid() {
        return process.pid();
    }

    private static void sleep(long ms) throws MysqlException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MysqlException("interrupted");
        }
    }
}
