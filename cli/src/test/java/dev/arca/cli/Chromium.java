package dev.arca.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Headless Chromium driven over the DevTools protocol (a WebSocket, no driver binary): one page,
 * commands answered synchronously, downloads into a directory.
 */
final class Chromium implements AutoCloseable {
    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final String session;

    Chromium(Path profile, Path downloads) throws Exception {
        Files.createDirectories(profile);
        process = new ProcessBuilder("chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "--window-size=1200,900", "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        Path port = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<String> lines = List.of();
        while (System.nanoTime() < deadline) {
            if (Files.exists(port)) {
                lines = Files.readAllLines(port);
                if (lines.size() >= 2) {
                    break;
                }
            }
            if (!process.isAlive()) {
                throw new AssertionError("chromium ended: " + Files.readString(profile.resolve("chromium.log")));
            }
            Thread.sleep(50);
        }
        if (lines.size() < 2) {
            process.destroyForcibly();
            throw new AssertionError("chromium did not open its DevTools port");
        }
        socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + lines.get(0) + lines.get(1)), new Listener())
                .get(30, TimeUnit.SECONDS);
        call(null, "Browser.setDownloadBehavior", Output.object().put("behavior", "allow")
                .put("downloadPath", downloads.toString()));
        String target = call(null, "Target.createTarget", Output.object().put("url", "about:blank")).get("targetId").asText();
        session = call(null, "Target.attachToTarget", Output.object().put("targetId", target).put("flatten", true))
                .get("sessionId").asText();
        call("Page.enable", Output.object());
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    JsonNode msg = Output.JSON.readTree(text.toString());
                    if (msg.has("id")) {
                        CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asInt());
                        if (f != null) {
                            f.complete(msg);
                        }
                    }
                } catch (IOException e) {
                    // not JSON: ignored
                }
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }

    JsonNode call(String method, ObjectNode params) throws Exception {
        return call(session, method, params);
    }

    private JsonNode call(String sessionId, String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode msg = Output.object().put("id", id).put("method", method);
        msg.set("params", params);
        if (sessionId != null) {
            msg.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        socket.sendText(Output.JSON.writeValueAsString(msg), true).get(10, TimeUnit.SECONDS);
        JsonNode reply = f.get(30, TimeUnit.SECONDS);
        if (reply.has("error")) {
            throw new AssertionError(method + ": " + reply.get("error"));
        }
        return reply.get("result");
    }

    /** The value of a JavaScript expression on the page. */
    JsonNode eval(String js) throws Exception {
        JsonNode r = call("Runtime.evaluate", Output.object().put("expression", js).put("returnByValue", true));
        if (r.has("exceptionDetails")) {
            throw new AssertionError(js + ": " + r.get("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    void navigate(String url) throws Exception {
        call("Page.navigate", Output.object().put("url", url));
        waitFor("document.readyState === 'complete' && location.href === " + Output.JSON.writeValueAsString(url));
    }

    /** Waits until the expression is true on a fully loaded page. */
    void waitFor(String condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try {
                if (eval("document.readyState === 'complete' && (" + condition + ")").asBoolean()) {
                    return;
                }
            } catch (AssertionError navigating) {
                // the page was replaced while evaluating
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + condition + " at " + eval("location.href"));
    }

    /** Clicks the element the expression returns and waits for the next page to load. */
    void clickAndWait(String elementJs) throws Exception {
        String before = eval("location.href").asText();
        eval("(" + elementJs + ").click()");
        waitFor("location.href !== " + Output.JSON.writeValueAsString(before));
    }

    void screenshot(Path png) throws Exception {
        String data = call("Page.captureScreenshot", Output.object().put("format", "png")).get("data").asText();
        Files.createDirectories(png.getParent());
        Files.write(png, java.util.Base64.getDecoder().decode(data.getBytes(StandardCharsets.US_ASCII)));
    }

    @Override
    public void close() throws Exception {
        try {
            // A graceful close lets Chromium remove its singleton socket directory under /tmp.
            call(null, "Browser.close", Output.object());
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (Exception | AssertionError e) {
            // it is destroyed below
        } finally {
            socket.abort();
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
