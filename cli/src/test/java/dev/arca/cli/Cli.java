package dev.arca.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs arca commands in this JVM against one repository, capturing what they print. */
final class Cli {
    record Run(int exit, String out, String err, byte[] outBytes) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    final Path repo;
    final Map<String, String> env = new HashMap<>();
    final Path cwd;

    Cli(Path work) {
        this.repo = work.resolve("repo");
        this.cwd = work;
        env.put("ARCA_REPOSITORY", repo.toString());
        env.put("ARCA_PASSWORD", "correct horse battery staple");
        env.put("ARCA_CACHE_DIR", work.resolve("cache").toString());
        env.put("HOME", work.resolve("home").toString());
        env.put("USER", "tester");
    }

    Run run(String... args) {
        return runWithInput(new byte[0], args);
    }

    Run runWithInput(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        InputStream in = new ByteArrayInputStream(stdin);
        Context ctx = new Context(Map.copyOf(env), cwd, in, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        int code = Main.run(ctx, args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), out.toByteArray());
    }

    /** Runs and fails the test unless the exit code is {@code expected}. */
    Run expect(int expected, String... args) {
        Run r = run(args);
        if (r.exit() != expected) {
            throw new AssertionError("arca " + String.join(" ", args) + ": expected exit " + expected + ", got " + r);
        }
        return r;
    }
}
