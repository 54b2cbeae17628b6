package dev.arca.cli.serve;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.arca.engine.files.ArchiveWriter;
import dev.arca.format.tree.Node;
import dev.arca.nio.RepositoryTree;
import dev.arca.nio.VEntry;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.URLConnection;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One HTTP server for a whole repository ({@link RepositoryTree}): WebDAV class 1, read-only
 * (OPTIONS, PROPFIND with Depth 0 or 1, GET and HEAD with single byte ranges; every other method
 * is 405), and HTML pages for browsers on GET of a collection ({@link BrowsePages}).
 *
 * <p>Files stream from their blobs ({@link dev.arca.nio.ContentChannel}): a range request loads
 * only the blobs it covers. A PROPFIND of a large directory streams its multistatus one entry at
 * a time and reads no file content. Symlinks and special files are not WebDAV resources (a
 * resource cannot be a link): listings leave them out and GET answers 404; the HTML page shows
 * them. Request paths are decoded by {@link RequestPath}, which refuses anything that could
 * leave the tree (400). Without credentials, requests must name a loopback host in their
 * {@code Host} header (403 otherwise), which defeats DNS rebinding.
 */
public final class ArcaServer implements AutoCloseable {
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private static final int BUFFER = 1 << 16;
    private static final String ALLOW = "OPTIONS, GET, HEAD, PROPFIND";
    private static final java.util.regex.Pattern LOOPBACK_HOST = java.util.regex.Pattern.compile(
            "(?i)(localhost|127(\\.\\d{1,3}){3}|\\[::1\\])(:\\d{1,5})?");

    private final HttpServer http;
    private final ExecutorService pool;
    private final RepositoryTree tree;
    private final Auth auth;
    private final BrowsePages pages;
    private final PrintStream log;

    private ArcaServer(HttpServer http, ExecutorService pool, RepositoryTree tree, Auth auth, PrintStream log) {
        this.log = log;
        this.http = http;
        this.pool = pool;
        this.tree = tree;
        this.auth = auth;
        this.pages = new BrowsePages(tree);
    }

    /**
     * Binds {@code address} (port 0: any free port) and starts answering with {@code threads}
     * workers; requests that fail are reported on {@code log}.
     */
    public static ArcaServer start(RepositoryTree tree, InetSocketAddress address, Auth auth, int threads,
                                   PrintStream log) throws IOException {
        HttpServer http = HttpServer.create(address, 128);
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "arca-serve-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ArcaServer s = new ArcaServer(http, pool, tree, auth, log);
        http.createContext("/", s::handle);
        http.setExecutor(pool);
        http.start();
        return s;
    }

    public InetSocketAddress address() {
        return http.getAddress();
    }

    @Override
    public void close() {
        http.stop(0);
        pool.shutdownNow();
    }

    private void handle(HttpExchange ex) {
        try {
            drain(ex.getRequestBody());
            Headers h = ex.getResponseHeaders();
            h.set("DAV", "1");
            h.set("X-Content-Type-Options", "nosniff");
            if (!auth.required() && !LOOPBACK_HOST.matcher(String.valueOf(ex.getRequestHeaders().getFirst("Host"))).matches()) {
                // Without credentials only loopback names are answered: a web page whose own host
                // name resolves to 127.0.0.1 (DNS rebinding) must not read the repository.
                text(ex, 403, "without credentials this server answers only requests to localhost\n");
                return;
            }
            if (!auth.allows(ex.getRequestHeaders().getFirst("Authorization"))) {
                h.set("WWW-Authenticate", "Basic realm=\"arca\", charset=\"UTF-8\"");
                text(ex, 401, "credentials needed\n");
                return;
            }
            List<String> parts = RequestPath.parse(ex.getRequestURI().getRawPath());
            if (parts == null) {
                text(ex, 400, "bad path\n");
                return;
            }
            switch (ex.getRequestMethod()) {
                case "OPTIONS" -> {
                    h.set("Allow", ALLOW);
                    h.set("MS-Author-Via", "DAV");
                    ex.sendResponseHeaders(200, -1);
                }
                case "PROPFIND" -> propfind(ex, parts);
                case "GET", "HEAD" -> get(ex, parts, ex.getRequestMethod().equals("HEAD"));
                default -> {
                    h.set("Allow", ALLOW);
                    text(ex, 405, "this server is read-only\n");
                }
            }
        } catch (IOException | RuntimeException e) {
            // The client went away, or the repository failed. Before the answer has begun, the
            // client is told; after, closing the connection early is all that is left.
            logFailure(ex, e);
            if (ex.getResponseCode() < 0) {
                try {
                    text(ex, 500, e instanceof dev.arca.format.RepositoryException
                            ? "repository error: " + e.getMessage() + "\n" : "internal error\n");
                } catch (IOException | RuntimeException ignored) {
                    // the connection is gone
                }
            }
        } finally {
            ex.close();
        }
    }

    private void logFailure(HttpExchange ex, Exception e) {
        if (!(e instanceof IOException) || e.getMessage() == null || !e.getMessage().contains("Broken pipe")) {
            log.println("arca serve: " + ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath() + ": " + e);
        }
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buf = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            total += n;
            if (total > 1 << 20) {
                throw new IOException("request body over 1 MiB");
            }
        }
    }

    static void text(HttpExchange ex, int code, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(code, -1);
            return;
        }
        ex.sendResponseHeaders(code, b.length);
        ex.getResponseBody().write(b);
    }

    static Map<String, String> query(HttpExchange ex) {
        Map<String, String> q = new HashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw == null) {
            return q;
        }
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            try {
                String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
                q.putIfAbsent(k, v);
            } catch (IllegalArgumentException e) {
                // a malformed escape: the parameter is ignored
            }
        }
        return q;
    }

    /** Whether an entry is a WebDAV resource: directories and regular files. */
    private static boolean isResource(VEntry e) {
        return e.isDir() || e.isFile();
    }

    // ---------------------------------------------------------------- PROPFIND

    private void propfind(HttpExchange ex, List<String> parts) throws IOException {
        String depth = ex.getRequestHeaders().getFirst("Depth");
        depth = depth == null ? "infinity" : depth.trim();
        if (!depth.equals("0") && !depth.equals("1")) {
            byte[] body = ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<d:error xmlns:d=\"DAV:\">"
                    + "<d:propfind-finite-depth/></d:error>\n").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/xml; charset=utf-8");
            ex.sendResponseHeaders(403, body.length);
            ex.getResponseBody().write(body);
            return;
        }
        VEntry e = tree.resolve(parts);
        if (e == null || !isResource(e)) {
            text(ex, 404, "not found\n");
            return;
        }
        ex.getResponseHeaders().set("Content-Type", "application/xml; charset=utf-8");
        ex.sendResponseHeaders(207, 0);
        try (Writer w = new BufferedWriter(new OutputStreamWriter(ex.getResponseBody(), StandardCharsets.UTF_8), BUFFER)) {
            w.write("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<d:multistatus xmlns:d=\"DAV:\">\n");
            String self = RequestPath.encode(parts, e.isDir());
            response(w, self, e);
            if (depth.equals("1") && e.isDir()) {
                tree.list(e, c -> {
                    if (isResource(c)) {
                        response(w, self + RequestPath.encodeName(c.name()) + (c.isDir() ? "/" : ""), c);
                    }
                });
            }
            w.write("</d:multistatus>\n");
        }
    }

    private static void response(Writer w, String href, VEntry e) throws IOException {
        StringBuilder b = new StringBuilder(512);
        b.append("<d:response><d:href>").append(Xml.esc(href)).append("</d:href><d:propstat><d:prop>");
        b.append("<d:displayname>").append(Xml.esc(e.name())).append("</d:displayname>");
        if (e.isDir()) {
            b.append("<d:resourcetype><d:collection/></d:resourcetype>");
        } else {
            b.append("<d:resourcetype/>");
            if (e.size() >= 0) {
                b.append("<d:getcontentlength>").append(e.size()).append("</d:getcontentlength>");
            }
            b.append("<d:getcontenttype>").append(Xml.esc(contentType(e))).append("</d:getcontenttype>");
        }
        b.append("<d:getlastmodified>").append(HTTP_DATE.format(e.mtime())).append("</d:getlastmodified>");
        b.append("<d:creationdate>").append(e.ctime().truncatedTo(ChronoUnit.SECONDS)).append("</d:creationdate>");
        String etag = etag(e);
        if (etag != null) {
            b.append("<d:getetag>").append(Xml.esc(etag)).append("</d:getetag>");
        }
        b.append("</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>\n");
        w.write(b.toString());
    }

    static String contentType(VEntry e) {
        if (e.isRecord()) {
            return "application/json";
        }
        String t = URLConnection.guessContentTypeFromName(e.name());
        return t == null ? "application/octet-stream" : t;
    }

    /**
     * A strong validator from what identifies the content: a file's blob ids and size, a
     * directory's tree id; records and synthetic directories have none.
     */
    static String etag(VEntry e) {
        Node n = e.node();
        if (n == null) {
            return null;
        }
        MessageDigest md = dev.arca.format.id.FileId.sha256();
        if (n.isDir()) {
            return "\"d" + n.subtree().hex().substring(0, 32) + "\"";
        }
        md.update(Long.toString(n.size()).getBytes(StandardCharsets.US_ASCII));
        md.update((byte) (n.contentIsIndirect() ? 1 : 0));
        for (var id : n.content()) {
            md.update(id.hex().getBytes(StandardCharsets.US_ASCII));
        }
        return "\"f" + HexFormat.of().formatHex(md.digest(), 0, 16) + "\"";
    }

    // ---------------------------------------------------------------- GET and HEAD

    private void get(HttpExchange ex, List<String> parts, boolean head) throws IOException {
        Map<String, String> q = query(ex);
        if (parts.isEmpty() && q.containsKey("from") && q.containsKey("to")) {
            pages.diff(ex, q.get("from"), q.get("to"), q.containsKey("metadata"));
            return;
        }
        VEntry e = tree.resolve(parts);
        if (e == null) {
            text(ex, 404, "not found\n");
            return;
        }
        String archive = q.get("archive");
        if (archive != null) {
            archive(ex, parts, e, archive, head);
            return;
        }
        if (e.isDir()) {
            if (!ex.getRequestURI().getRawPath().endsWith("/")) {
                ex.getResponseHeaders().set("Location", RequestPath.encode(parts, true));
                text(ex, 301, "moved\n");
                return;
            }
            pages.directory(ex, parts, e, head);
            return;
        }
        if (!e.isFile()) {
            text(ex, 404, "not a regular file\n");
            return;
        }
        file(ex, parts, e, head, q.containsKey("download"));
    }

    private void file(HttpExchange ex, List<String> parts, VEntry e, boolean head, boolean download) throws IOException {
        Headers h = ex.getResponseHeaders();
        String etag = etag(e);
        h.set("Content-Type", contentType(e));
        h.set("Last-Modified", HTTP_DATE.format(e.mtime()));
        h.set("Accept-Ranges", "bytes");
        // A file from a backup could be a web page: it must not run scripts as this server.
        h.set("Content-Security-Policy", "sandbox");
        if (etag != null) {
            h.set("ETag", etag);
            String inm = ex.getRequestHeaders().getFirst("If-None-Match");
            if (inm != null && (inm.trim().equals("*") || List.of(inm.split("\\s*,\\s*")).contains(etag))) {
                ex.sendResponseHeaders(304, -1);
                return;
            }
        }
        if (download) {
            h.set("Content-Disposition", "attachment; filename*=UTF-8''" + RequestPath.encodeName(e.name()));
        }
        String name = "/" + String.join("/", parts);
        try (SeekableByteChannel ch = tree.open(e, name)) {
            long size = ch.size();
            String ifRange = ex.getRequestHeaders().getFirst("If-Range");
            Range r = ifRange != null && !ifRange.trim().equals(etag) ? null
                    : Range.parse(ex.getRequestHeaders().getFirst("Range"), size);
            if (r == Range.UNSATISFIABLE) {
                h.set("Content-Range", "bytes */" + size);
                text(ex, 416, "range not satisfiable\n");
                return;
            }
            long first = r == null ? 0 : r.first();
            long length = r == null ? size : r.length();
            int code = r == null ? 200 : 206;
            if (r != null) {
                h.set("Content-Range", "bytes " + r.first() + "-" + r.last() + "/" + size);
            }
            if (head) {
                h.set("Content-Length", Long.toString(length));
                ex.sendResponseHeaders(code, -1);
                return;
            }
            ex.sendResponseHeaders(code, length == 0 ? -1 : length);
            if (length == 0) {
                return;
            }
            ch.position(first);
            OutputStream out = ex.getResponseBody();
            ByteBuffer buf = ByteBuffer.allocate(BUFFER);
            long left = length;
            while (left > 0) {
                buf.clear().limit((int) Math.min(buf.capacity(), left));
                int n = ch.read(buf);
                if (n < 0) {
                    throw new IOException(name + ": content ended " + left + " bytes early");
                }
                out.write(buf.array(), 0, n);
                left -= n;
            }
        }
    }

    private void archive(HttpExchange ex, List<String> parts, VEntry e, String format, boolean head) throws IOException {
        ArchiveWriter.Format f;
        try {
            f = ArchiveWriter.Format.valueOf(format.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException bad) {
            text(ex, 400, "archive is zip or tar\n");
            return;
        }
        if (e.node() == null || !(e.isDir() || e.isFile())) {
            text(ex, 400, "only the files and directories of a snapshot can be archived\n");
            return;
        }
        String base = parts.isEmpty() ? "arca" : parts.get(parts.size() - 1);
        Headers h = ex.getResponseHeaders();
        h.set("Content-Type", f == ArchiveWriter.Format.ZIP ? "application/zip" : "application/x-tar");
        h.set("Content-Disposition", "attachment; filename*=UTF-8''" + RequestPath.encodeName(base)
                + (f == ArchiveWriter.Format.ZIP ? ".zip" : ".tar"));
        if (head) {
            ex.sendResponseHeaders(200, -1);
            return;
        }
        ex.sendResponseHeaders(200, 0);
        // The archive path of a snapshot root is "" (entries at the top); below it, the entry's own name.
        boolean snapshotRoot = e.node().subtree() != null && e.snapshot() != null
                && e.node().subtree().equals(e.snapshot().snapshot().treeId());
        List<String> inside = new ArrayList<>(parts.subList(Math.min(2, parts.size()), parts.size()));
        String path = snapshotRoot ? "" : "/" + String.join("/", inside);
        OutputStream out = new java.io.BufferedOutputStream(ex.getResponseBody(), BUFFER);
        new ArchiveWriter(tree.repository()).write(f, e.node(), path, out);
        out.flush();
    }

    static String httpDate(Instant t) {
        return HTTP_DATE.format(t);
    }
}
