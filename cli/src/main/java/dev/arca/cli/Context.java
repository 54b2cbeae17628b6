package dev.arca.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a command may use of its process: environment, working directory, streams, and whether
 * a person is watching (a terminal). Tests build their own.
 */
public record Context(Map<String, String> env, Path cwd, InputStream in, PrintStream out, PrintStream err,
                      boolean terminal) {
    public static Context system() {
        return new Context(System.getenv(), Path.of("").toAbsolutePath(), System.in, System.out, System.err,
                System.console() != null);
    }

    public String env(String name) {
        String v = env.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    /** A path as the user typed it, against this context's working directory. */
    public Path path(String p) {
        return cwd.resolve(p).normalize();
    }

    public Path home() {
        String h = env("HOME");
        return Path.of(h != null ? h : System.getProperty("user.home"));
    }
}
