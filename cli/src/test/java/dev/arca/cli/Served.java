package dev.arca.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** {@code arca serve} running in this JVM on a free port until closed. */
final class Served implements AutoCloseable {
    private final Thread thread;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final AtomicInteger exit = new AtomicInteger(Integer.MIN_VALUE);
    final URI url;
    private static final java.util.regex.Pattern URL = java.util.regex.Pattern.compile("http://[0-9a-z.:\\[\\]]+/");

    Served(Cli cli, String... extra) throws InterruptedException {
        List<String> args = new ArrayList<>(List.of("serve", "--listen", "127.0.0.1:0"));
        args.addAll(List.of(extra));
        Context ctx = new Context(Map.copyOf(cli.env), cli.cwd, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), false);
        thread = new Thread(() -> exit.set(Main.run(ctx, args.toArray(String[]::new))), "served");
        thread.start();
        URI found = null;
        for (int i = 0; i < 600 && found == null; i++) {
            java.util.regex.Matcher m = URL.matcher(out());
            if (m.find()) {
                found = URI.create(m.group());
            } else if (exit.get() != Integer.MIN_VALUE) {
                throw new AssertionError("arca serve ended with " + exit.get() + ":\n" + out() + "\n" + err());
            } else {
                Thread.sleep(50);
            }
        }
        if (found == null) {
            throw new AssertionError("arca serve printed no URL:\n" + out() + "\n" + err());
        }
        url = found;
    }

    synchronized String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    synchronized String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    URI at(String rawPath) {
        return url.resolve(rawPath);
    }

    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join(10_000);
        if (exit.get() != 0) {
            throw new AssertionError("arca serve ended with " + exit.get() + ":\n" + out() + "\n" + err());
        }
    }
}
