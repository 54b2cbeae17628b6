package dev.arca.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code arca serve} as WebDAV clients and attackers see it: rclone lists and copies a snapshot of
 * a generated tree byte for byte; ranges, PROPFIND and methods follow RFC 9110 / RFC 4918;
 * no request path leaves the tree; credentials are enforced.
 */
class ServeTest {
    @TempDir
    static Path work;
    static Cli cli;
    static Path src;
    static Served served;
    static String snapshotId;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void backUpAndServe() throws Exception {
        cli = new Cli(work);
        cli.expect(0, "init");
        src = work.resolve("src");
        TreeGen.generate(src, 9, 400, 1, 12 << 20);
        String out = cli.expect(0, "--json", "backup", src.toString()).out();
        snapshotId = EndToEndTest.lastJsonLine(out).get("snapshot_id").asText();
        served = new Served(cli);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (served != null) {
            served.close();
        }
    }

    /** The URL path of the generated tree in the latest snapshot of this host. */
    static String srcPath() {
        StringBuilder b = new StringBuilder("/latest/" + Hosts.hostname());
        for (Path p : src.toAbsolutePath()) {
            b.append('/').append(p);
        }
        return b.toString();
    }

    static HttpResponse<byte[]> send(String method, String rawPath, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(served.at(rawPath)).method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Regular files by relative path with their SHA-256, and directories with "dir" (links are left out). */
    static Map<String, String> filesAndDirs(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (var s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.equals(root)) {
                    continue;
                }
                String rel = root.relativize(p).toString();
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(rel, "dir");
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(rel, Files.size(p) + " " + TreeGen.sha256(p));
                }
            }
        }
        return out;
    }

    static String run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + String.join(" ", cmd));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + out);
        return out;
    }

    @Test
    void rcloneListsAndCopiesASnapshotByteForByte() throws Exception {
        String url = served.url.resolve(srcPath().replace(" ", "%20")).toString();
        Path copy = work.resolve("rclone-copy");
        String listed = run(work, "rclone", "--config", "/dev/null", "lsf", "-R", "--webdav-url", url, ":webdav:");
        List<String> expected = new ArrayList<>();
        for (var e : filesAndDirs(src).entrySet()) {
            expected.add(e.getKey() + (e.getValue().equals("dir") ? "/" : ""));
        }
        List<String> got = new ArrayList<>(List.of(listed.strip().split("\n")));
        got.sort(null);
        expected.sort(null);
        assertEquals(expected, got, "rclone lsf -R lists the regular files and directories of the snapshot");

        run(work, "rclone", "--config", "/dev/null", "copy", "--create-empty-src-dirs", "--webdav-url", url, ":webdav:",
                copy.toString());
        assertEquals(filesAndDirs(src), filesAndDirs(copy), "rclone's copy equals the source byte for byte");
        // rclone's webdav backend keeps modification times through PROPFIND's getlastmodified.
        Path some = src.resolve("big-0.dat");
        assertEquals(Files.getLastModifiedTime(some).toMillis() / 1000,
                Files.getLastModifiedTime(copy.resolve("big-0.dat")).toMillis() / 1000);
    }

    @Test
    void rangesSeekIntoLargeFiles() throws Exception {
        byte[] big = Files.readAllBytes(src.resolve("big-0.dat"));
        String path = srcPath().replace(" ", "%20") + "/big-0.dat";
        HttpResponse<byte[]> r = send("GET", path, "Range", "bytes=7000000-7300000");
        assertEquals(206, r.statusCode());
        assertEquals("bytes 7000000-7300000/" + big.length, r.headers().firstValue("Content-Range").orElseThrow());
        assertArrayEquals(java.util.Arrays.copyOfRange(big, 7000000, 7300001), r.body());

        r = send("GET", path, "Range", "bytes=-1000");
        assertEquals(206, r.statusCode());
        assertArrayEquals(java.util.Arrays.copyOfRange(big, big.length - 1000, big.length), r.body());

        r = send("GET", path, "Range", "bytes=" + big.length + "-");
        assertEquals(416, r.statusCode());
        assertEquals("bytes */" + big.length, r.headers().firstValue("Content-Range").orElseThrow());

        r = send("GET", path);
        assertEquals(200, r.statusCode());
        assertArrayEquals(big, r.body());
        assertEquals("bytes", r.headers().firstValue("Accept-Ranges").orElseThrow());

        r = send("HEAD", path);
        assertEquals(200, r.statusCode());
        assertEquals(String.valueOf(big.length), r.headers().firstValue("Content-Length").orElseThrow());
        assertEquals(0, r.body().length);

        String etag = r.headers().firstValue("ETag").orElseThrow();
        assertEquals(304, send("GET", path, "If-None-Match", etag).statusCode());
    }

    static Document xml(byte[] body) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(body));
    }

    static String prop(Element response, String name) {
        NodeList l = response.getElementsByTagNameNS("DAV:", name);
        return l.getLength() == 0 ? null : l.item(0).getTextContent();
    }

    @Test
    void propfindAnswersDepthZeroAndOneWithAMultistatus() throws Exception {
        assertEquals(403, send("PROPFIND", "/", "Depth", "infinity").statusCode());
        assertEquals(403, send("PROPFIND", "/").statusCode(), "no Depth header means infinity");

        HttpResponse<byte[]> r = send("PROPFIND", "/snapshots/", "Depth", "1");
        assertEquals(207, r.statusCode());
        Document d = xml(r.body());
        NodeList responses = d.getElementsByTagNameNS("DAV:", "response");
        assertEquals(2, responses.getLength(), "the collection and its one snapshot");
        Element snap = (Element) responses.item(1);
        assertEquals("/snapshots/" + snapshotId + "/", prop(snap, "href"));
        assertEquals(1, snap.getElementsByTagNameNS("DAV:", "collection").getLength());

        String file = srcPath().replace(" ", "%20") + "/big-0.dat";
        r = send("PROPFIND", "/snapshots/" + snapshotId.substring(0, 8) + file.substring(file.indexOf('/', 8)),
                "Depth", "0");
        assertEquals(207, r.statusCode(), "a short id resolves too");
        Element one = (Element) xml(r.body()).getElementsByTagNameNS("DAV:", "response").item(0);
        assertEquals(String.valueOf(Files.size(src.resolve("big-0.dat"))), prop(one, "getcontentlength"));
        assertEquals("big-0.dat", prop(one, "displayname"));
        for (String p : List.of("getlastmodified", "creationdate", "getetag", "getcontenttype")) {
            assertTrue(prop(one, p) != null && !prop(one, p).isEmpty(), p + " in " + new String(r.body()));
        }
        java.time.ZonedDateTime lm = java.time.ZonedDateTime.parse(prop(one, "getlastmodified"),
                java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME);
        assertEquals(Files.getLastModifiedTime(src.resolve("big-0.dat")).toInstant().getEpochSecond(),
                lm.toInstant().getEpochSecond());

        HttpResponse<byte[]> options = send("OPTIONS", "/");
        assertEquals(200, options.statusCode());
        assertEquals("1", options.headers().firstValue("DAV").orElseThrow());
        for (String m : List.of("PUT", "DELETE", "MKCOL", "MOVE", "COPY", "PROPPATCH", "LOCK", "POST")) {
            assertEquals(405, send(m, file).statusCode(), m);
        }
        assertEquals(404, send("GET", "/snapshots/ffffffff/").statusCode());
        assertEquals(404, send("PROPFIND", "/nothing/", "Depth", "0").statusCode());
    }

    /** Sends a request line as written, without any client normalizing it. */
    static int raw(String target) throws IOException {
        return raw(target, "127.0.0.1:" + served.url.getPort());
    }

    static int raw(String target, String host) throws IOException {
        try (Socket s = new Socket(served.url.getHost(), served.url.getPort())) {
            OutputStream o = s.getOutputStream();
            o.write(("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            o.flush();
            InputStream in = s.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
            return Integer.parseInt(status.substring(9, 12));
        }
    }

    @Test
    void noPathLeavesTheRepositoryView() throws Exception {
        String base = srcPath().replace(" ", "%20");
        assertEquals(200, raw(base + "/big-0.dat"), "the control request works");
        for (String evil : List.of(base + "/../../../../../../etc/passwd", "/latest/../../etc/passwd",
                "/snapshots/%2e%2e/%2e%2e/etc/passwd", base + "/%2E%2E/%2e%2e/big-0.dat", "/latest/x%2f..%2f..%2fetc%2fpasswd",
                "/snapshots/..%2f..%2fetc%2fpasswd", base + "/..%5c..%5cbig-0.dat", base + "\\..\\big-0.dat",
                "/%2fetc%2fpasswd", "//etc/passwd", "/etc/passwd", "/latest/./../etc/passwd", base + "/%00",
                "/snapshots/" + snapshotId + "/%2F" + src.toString().substring(1).replace("/", "%2F") + "/big-0.dat",
                "http://evil.example/etc/passwd", "/latest/%c0%ae%c0%ae/etc/passwd")) {
            int code = raw(evil);
            assertTrue(code == 400 || code == 404, evil + " must be refused (400/404), got " + code);
        }
        assertEquals(200, raw(base + "/big-0.dat", "localhost:" + served.url.getPort()));
        assertEquals(403, raw(base + "/big-0.dat", "rebound.example:" + served.url.getPort()),
                "without credentials, a host name that is not loopback (DNS rebinding) is refused");
    }

    @Test
    void credentialsAreRequiredOffLoopbackAndChecked() throws Exception {
        Cli.Run r = cli.run("serve", "--listen", "0.0.0.0:0");
        assertEquals(ExitCodes.USAGE, r.exit(), r.toString());
        assertTrue(r.err().contains("without credentials") && r.err().contains("--auth"), r.err());

        Path pw = work.resolve("serve.password");
        Files.writeString(pw, "s3cret-for-serve\n");
        try (Served auth = new Served(cli, "--auth", "ana:" + pw)) {
            URI u = auth.at("/snapshots/");
            assertEquals(401, HTTP.send(HttpRequest.newBuilder(u).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
            assertEquals(401, HTTP.send(HttpRequest.newBuilder(u).header("Authorization", basic("ana", "wrong")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
            assertEquals(401, HTTP.send(HttpRequest.newBuilder(u).header("Authorization", basic("bob", "s3cret-for-serve"))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode());
            assertEquals(200, HTTP.send(HttpRequest.newBuilder(u).header("Authorization", basic("ana", "s3cret-for-serve"))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        }
        try (Served json = new Served(cli, "--json")) {
            var line = EndToEndTest.json(json.out().strip());
            assertEquals("serving", line.get("message_type").asText());
            assertEquals(json.url.toString(), line.get("urls").get(0).asText());
            assertFalse(line.get("credentials_required").asBoolean());
        }
        Path token = work.resolve("serve.token");
        Files.writeString(token, "0123456789abcdef-token\n");
        try (Served t = new Served(cli, "--token", token.toString())) {
            URI u = t.at("/snapshots/");
            assertEquals(401, HTTP.send(HttpRequest.newBuilder(u).header("Authorization", "Bearer nope").build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
            assertEquals(200, HTTP.send(HttpRequest.newBuilder(u).header("Authorization", "Bearer 0123456789abcdef-token")
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        }
    }

    static String basic(String user, String pw) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + pw).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void directoriesDownloadAsStreamedArchives() throws Exception {
        String dir = srcPath().replace(" ", "%20") + "/";
        HttpResponse<byte[]> zip = send("GET", dir + "?archive=zip");
        assertEquals(200, zip.statusCode());
        assertEquals("application/zip", zip.headers().firstValue("Content-Type").orElseThrow());
        Path z = work.resolve("dir.zip");
        Files.write(z, zip.body());
        Path out = work.resolve("unzipped");
        Files.createDirectories(out);
        run(out, "unzip", "-q", z.toString());
        Path top = out.resolve(src.getFileName().toString());
        assertEquals(filesAndDirs(src), filesAndDirs(top));

        HttpResponse<byte[]> html = send("GET", dir, "Accept", "text/html");
        assertTrue(new String(html.body(), StandardCharsets.UTF_8).contains("big-0.dat"));
        assertEquals(301, send("GET", dir.substring(0, dir.length() - 1)).statusCode(), "a collection without its slash");
    }
}
