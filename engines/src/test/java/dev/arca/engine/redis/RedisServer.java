package dev.arca.engine.redis;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real {@code redis-server} for tests: its own port and directory, no persistence unless asked,
 * DEBUG enabled; stopped (SHUTDOWN NOSAVE, then killed) on close.
 */
public final class RedisServer implements AutoCloseable {
    private final Process process;
    private final int port;
    private final String password;
    private final Path dir;

    private RedisServer(Process process, int port, String password, Path dir) {
        this.process = process;
        this.port = port;
        this.password = password;
        this.dir = dir;
    }

    /** Starts a server in {@code dir}; {@code extra} are more "--name value" arguments. */
    public static RedisServer start(Path dir, String password, String... extra) throws IOException {
        Files.createDirectories(dir);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--enable-debug-command", "yes",
                "--logfile", dir.resolve("redis.log").toString(), "--daemonize", "no"));
        if (password != null) {
            cmd.addAll(List.of("--requirepass", password));
        }
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.out").toFile()).start();
        RedisServer server = new RedisServer(p, port, password, dir);
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            try (RespClient c = server.client()) {
                Object r = c.call("PING");
                if ("PONG".equals(r)) {
                    return server;
                }
            } catch (IOException e) {
                if (!p.isAlive() || System.currentTimeMillis() > deadline) {
                    p.destroyForcibly();
                    String log = Files.exists(dir.resolve("redis.log")) ? Files.readString(dir.resolve("redis.log")) : "";
                    throw new IOException("redis-server did not start: " + e.getMessage() + "\n" + log
                            + Files.readString(dir.resolve("redis.out")), e);
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }

    public RedisUri uri() {
        return new RedisUri("127.0.0.1", port, null, password);
    }

    public String uriText() {
        return "redis://" + (password == null ? "" : ":" + password + "@") + "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path dir() {
        return dir;
    }

    public RespClient client() throws IOException {
        return RespClient.connect(uri(), 30_000);
    }

    /** Runs a command and returns its reply; an error reply fails. */
    public Object cmd(String... args) throws IOException {
        try (RespClient c = client()) {
            return c.check(args);
        }
    }

    public String text(String... args) throws IOException {
        Object r = cmd(args);
        return r instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(r);
    }

    @Override
    public void close() {
        try (RespClient c = client()) {
            c.call("SHUTDOWN", "NOSAVE");
        } catch (IOException e) {
            // it is gone already, or going
        }
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
