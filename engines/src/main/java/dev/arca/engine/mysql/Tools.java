package dev.arca.engine.mysql;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's own client tools, found on the PATH under their MariaDB names or their MySQL
 * ones, and run against a {@link MysqlUri} over TCP with the password in {@code MYSQL_PWD}.
 */
public final class Tools {
    private final MysqlUri uri;

    public Tools(MysqlUri uri) {
        this.uri = uri;
    }

    public MysqlUri uri() {
        return uri;
    }

    /** The path of the first of {@code names} on the PATH. */
    public static String find(String... names) throws MysqlException {
        String path = System.getenv("PATH");
        List<String> dirs = new ArrayList<>(List.of(path == null ? new String[0] : path.split(File.pathSeparator)));
        dirs.add("/usr/sbin");
        dirs.add("/usr/bin");
        for (String n : names) {
            for (String d : dirs) {
                Path p = Path.of(d.isEmpty() ? "." : d, n);
                if (Files.isExecutable(p)) {
                    return p.toString();
                }
            }
        }
        throw new MysqlException(names[0] + " not found on the PATH (install the MariaDB client tools, "
                + "e.g. the Debian packages mariadb-client and mariadb-backup)");
    }

    /** {@code tool --protocol=TCP -h host -P port -u user}. */
    public List<String> command(String... tool) throws MysqlException {
        List<String> c = new ArrayList<>();
        c.add(find(tool));
        c.add("--protocol=TCP");
        c.add("--host=" + uri.host());
        c.add("--port=" + uri.port());
        c.add("--user=" + uri.user());
        return c;
    }

    /** A process builder with the password in the environment. */
    public ProcessBuilder builder(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("MYSQL_PWD");
        if (uri.password() != null) {
            pb.environment().put("MYSQL_PWD", uri.password());
        }
        return pb;
    }

    /** Runs one statement with the {@code mariadb} client; returns its rows, columns split at tabs. */
    public List<String[]> query(String sql) throws MysqlException {
        List<String> c = command("mariadb", "mysql");
        c.addAll(List.of("--batch", "--skip-column-names", "--raw", "-e", sql));
        String out = run(builder(c), null, "mariadb");
        List<String[]> rows = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isEmpty()) {
                rows.add(line.split("\t", -1));
            }
        }
        return rows;
    }

    /** One value of a query. */
    public String value(String sql) throws MysqlException {
        List<String[]> rows = query(sql);
        return rows.isEmpty() ? null : rows.get(0)[0];
    }

    /**
     * Runs a process to its end, feeding it {@code in} (or nothing); returns its standard output.
     * A nonzero exit status is a {@link MysqlException} carrying its standard error.
     */
    public static String run(ProcessBuilder pb, InputStream in, String what) throws MysqlException {
        return runFeeding(pb, in == null ? null : in::transferTo, what);
    }

    /** Writes a process's standard input. */
    public interface Feeder {
        void feed(java.io.OutputStream out) throws IOException;
    }

    /** Like {@link #run(ProcessBuilder, InputStream, String)}, with {@code feeder} writing its input. */
    public static String runFeeding(ProcessBuilder pb, Feeder in, String what) throws MysqlException {
        IOException[] feedError = new IOException[1];
        try {
            if (in == null) {
                pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            }
            Process p = pb.start();
            StreamGobbler err = StreamGobbler.start(p.getErrorStream());
            Thread feeder = null;
            if (in != null) {
                feeder = new Thread(() -> {
                    try (var os = p.getOutputStream()) {
                        in.feed(os);
                    } catch (IOException e) {
                        // the process ended early (its exit status and stderr tell why), or reading failed
                        feedError[0] = e;
                    }
                }, "arca-mysql-feed");
                feeder.setDaemon(true);
                feeder.start();
            }
            byte[] out = p.getInputStream().readAllBytes();
            int status = p.waitFor();
            if (feeder != null) {
                feeder.join();
            }
            if (status != 0) {
                throw new MysqlException(what + " failed (exit status " + status + "): " + err.text());
            }
            if (feedError[0] != null) {
                throw new MysqlException(what + ": its input could not be read: " + feedError[0].getMessage(), feedError[0]);
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MysqlException("interrupted while running " + what);
        } catch (MysqlException e) {
            throw e;
        } catch (IOException e) {
            throw new MysqlException("cannot run " + what + ": " + e.getMessage(), e);
        }
    }

    /** Makes a client error (access denied, cannot connect) read well in one line. */
    static String clean(String stderr) {
        return stderr.strip().replace('\n', ' ');
    }

    /** Collects a process's standard error on a thread, keeping the last 64 KiB. */
    static final class StreamGobbler extends Thread {
        private final InputStream in;
        private final boolean keepAll;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        private StreamGobbler(InputStream in, boolean keepAll) {
            super("arca-mysql-stderr");
            setDaemon(true);
            this.in = in;
            this.keepAll = keepAll;
        }

        static StreamGobbler start(InputStream in) {
            StreamGobbler g = new StreamGobbler(in, false);
            g.start();
            return g;
        }

        /** Keeps all of it (a tool that reports results on stderr, like mariadb-backup). */
        static StreamGobbler startKeepingAll(InputStream in) {
            StreamGobbler g = new StreamGobbler(in, true);
            g.start();
            return g;
        }

        @Override
        public void run() {
            byte[] b = new byte[8192];
            try {
                for (int n = in.read(b); n >= 0; n = in.read(b)) {
                    synchronized (buf) {
                        if (!keepAll && buf.size() > 65536) {
                            byte[] keep = buf.toByteArray();
                            buf.reset();
                            buf.write(keep, keep.length - 32768, 32768);
                        }
                        buf.write(b, 0, n);
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
        }

        String text() throws InterruptedIOException {
            try {
                join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException();
            }
            synchronized (buf) {
                return clean(buf.toString(StandardCharsets.UTF_8));
            }
        }
    }
}
