package dev.arca.cli.serve;

import com.sun.net.httpserver.HttpExchange;
import dev.arca.engine.files.SnapshotDiff;
import dev.arca.engine.files.TreeDiff;
import dev.arca.format.repo.SnapshotRef;
import dev.arca.format.snapshot.Snapshot;
import dev.arca.nio.RepositoryTree;
import dev.arca.nio.VEntry;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The HTML side of {@code arca serve}: the snapshots by host (newest first) with a form to compare
 * two of them, directory pages with sizes, times, modes and archive downloads, and the diff page.
 * Pages stream as they are built, carry no script, and forbid any (Content-Security-Policy).
 */
final class BrowsePages {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    /** A diff page lists at most this many changes, then counts the rest. */
    static final int MAX_DIFF_ROWS = 20_000;
    private static final String STYLE = "body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}"
            + "table{border-collapse:collapse}td,th{padding:.2em .8em;text-align:left;border-bottom:1px solid #ddd}"
            + "td.n{text-align:right;font-variant-numeric:tabular-nums}code,.m{font-family:monospace}"
            + ".add{color:#070}.rem{color:#a00}.mod{color:#a60}nav a{margin-right:.3em}";

    private final RepositoryTree tree;

    BrowsePages(RepositoryTree tree) {
        this.tree = tree;
    }

    private static Writer begin(HttpExchange ex, String title, boolean head) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        ex.getResponseHeaders().set("Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        if (head) {
            ex.sendResponseHeaders(200, -1);
            return null;
        }
        ex.sendResponseHeaders(200, 0);
        Writer w = new BufferedWriter(new OutputStreamWriter(ex.getResponseBody(), java.nio.charset.StandardCharsets.UTF_8),
                1 << 16);
        w.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + Xml.esc(title)
                + "</title><style>" + STYLE + "</style></head><body>\n");
        return w;
    }

    private static void end(Writer w) throws IOException {
        w.write("</body></html>\n");
        w.close();
    }

    static String size(long n) {
        if (n < 0) {
            return "";
        }
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }

    static String mode(VEntry e) {
        char t = switch (e.kind()) {
            case DIR -> 'd';
            case SYMLINK -> 'l';
            case FILE -> '-';
            default -> '?';
        };
        StringBuilder b = new StringBuilder().append(t);
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            b.append((e.mode() & (0400 >> i)) != 0 ? rwx.charAt(i) : '-');
        }
        return b.toString();
    }

    private static String href(List<String> parts, boolean collection) {
        return Xml.esc(RequestPath.encode(parts, collection));
    }

    private static String engine(Snapshot s) {
        return s.engine == null || s.engine.isEmpty() ? "files" : s.engine;
    }

    /** Root: snapshots by host; other directories: their entries. */
    void directory(HttpExchange ex, List<String> parts, VEntry dir, boolean head) throws IOException {
        String title = parts.isEmpty() ? "arca repository" : "/" + String.join("/", parts);
        Writer w = begin(ex, title + " — arca", head);
        if (w == null) {
            return;
        }
        breadcrumbs(w, parts);
        if (parts.isEmpty()) {
            snapshotsByHost(w);
        } else {
            if (dir.node() != null) {
                w.write("<p>Download this directory as <a id=\"zip\" href=\"?archive=zip\">zip</a> or "
                        + "<a id=\"tar\" href=\"?archive=tar\">tar</a>.</p>\n");
            }
            w.write("<table id=\"entries\"><tr><th>name</th><th>size</th><th>modified</th><th>mode</th><th></th></tr>\n");
            if (!parts.isEmpty()) {
                w.write("<tr><td><a href=\"../\">../</a></td><td></td><td></td><td></td><td></td></tr>\n");
            }
            tree.list(dir, e -> row(w, parts, e));
            w.write("</table>\n");
        }
        end(w);
    }

    private static void breadcrumbs(Writer w, List<String> parts) throws IOException {
        w.write("<nav><a href=\"/\">arca</a>");
        for (int i = 0; i < parts.size(); i++) {
            w.write(" / <a href=\"" + href(parts.subList(0, i + 1), true) + "\">" + Xml.esc(parts.get(i)) + "</a>");
        }
        w.write("</nav>\n<h1>" + (parts.isEmpty() ? "Snapshots" : Xml.esc(parts.get(parts.size() - 1))) + "</h1>\n");
    }

    private static void row(Writer w, List<String> parts, VEntry e) throws IOException {
        List<String> p = new ArrayList<>(parts);
        p.add(e.name());
        String name = Xml.esc(e.name());
        String link;
        if (e.isDir()) {
            link = "<a href=\"" + href(p, true) + "\">" + name + "/</a>";
        } else if (e.isFile()) {
            link = "<a href=\"" + href(p, false) + "\">" + name + "</a> <a class=\"dl\" href=\"" + href(p, false)
                    + "?download\" title=\"download\">⤓</a>";
        } else if (e.linkTarget() != null) {
            link = name + " → <code>" + Xml.esc(e.linkTarget()) + "</code>";
        } else {
            link = name;
        }
        String info = e.summary();
        if (e.node() != null && e.snapshot() != null && e.isDir()
                && e.node().subtree().equals(e.snapshot().snapshot().treeId())) {
            Snapshot s = e.snapshot().snapshot();
            info = s.host + ", " + engine(s) + (s.tags.isEmpty() ? "" : ", " + String.join(",", s.tags));
        }
        w.write("<tr><td>" + link + "</td><td class=\"n\">" + (e.isFile() ? size(e.size()) : "") + "</td><td>"
                + TIME.format(e.mtime()) + "</td><td class=\"m\">" + mode(e) + "</td><td>" + Xml.esc(info)
                + "</td></tr>\n");
    }

    private void snapshotsByHost(Writer w) throws IOException {
        List<SnapshotRef> all = tree.snapshots();
        Map<String, List<SnapshotRef>> byHost = new TreeMap<>();
        for (SnapshotRef r : all) {
            byHost.computeIfAbsent(r.snapshot().host == null ? "" : r.snapshot().host, k -> new ArrayList<>()).add(r);
        }
        if (all.isEmpty()) {
            w.write("<p>The repository has no snapshots yet.</p>\n");
        }
        for (Map.Entry<String, List<SnapshotRef>> host : byHost.entrySet()) {
            String h = host.getKey();
            w.write("<h2>" + Xml.esc(h) + "</h2>\n");
            if (RepositoryTree.validName(h)) {
                w.write("<p><a href=\"" + href(List.of(RepositoryTree.LATEST, h), true) + "\">latest</a></p>\n");
            }
            w.write("<table class=\"snapshots\"><tr><th>time</th><th>id</th><th>engine</th><th>tags</th><th>paths</th>"
                    + "<th>size</th></tr>\n");
            List<SnapshotRef> list = host.getValue();
            for (int i = list.size() - 1; i >= 0; i--) {
                SnapshotRef r = list.get(i);
                Snapshot s = r.snapshot();
                w.write("<tr><td>" + TIME.format(s.instant()) + "</td><td><a class=\"snap\" href=\""
                        + href(List.of(RepositoryTree.SNAPSHOTS, r.id().hex()), true) + "\"><code>" + r.id().shortHex()
                        + "</code></a></td><td>" + Xml.esc(engine(s)) + "</td><td>" + Xml.esc(String.join(", ", s.tags))
                        + "</td><td>" + Xml.esc(String.join(", ", s.paths)) + "</td><td class=\"n\">"
                        + (s.summary == null ? "" : size(s.summary.totalBytesProcessed)) + "</td></tr>\n");
            }
            w.write("</table>\n");
        }
        if (all.size() >= 2) {
            w.write("<h2>Compare two snapshots</h2>\n<form id=\"diff\" method=\"get\" action=\"/\">\n");
            select(w, "from", all, all.size() - 2);
            w.write(" → ");
            select(w, "to", all, all.size() - 1);
            w.write(" <label><input type=\"checkbox\" name=\"metadata\"> metadata changes</label>"
                    + " <button type=\"submit\">compare</button></form>\n");
        }
    }

    private static void select(Writer w, String name, List<SnapshotRef> all, int selected) throws IOException {
        w.write("<select name=\"" + name + "\" id=\"" + name + "\">");
        for (int i = all.size() - 1; i >= 0; i--) {
            SnapshotRef r = all.get(i);
            w.write("<option value=\"" + r.id().hex() + "\"" + (i == selected ? " selected" : "") + ">"
                    + r.id().shortHex() + " " + Xml.esc(r.snapshot().host == null ? "" : r.snapshot().host) + " "
                    + TIME.format(r.snapshot().instant()) + "</option>");
        }
        w.write("</select>");
    }

    /** What changed from snapshot {@code from} to {@code to} (ids or unique prefixes). */
    void diff(HttpExchange ex, String from, String to, boolean metadata) throws IOException {
        SnapshotRef a = tree.snapshot(from);
        SnapshotRef b = tree.snapshot(to);
        if (a == null || b == null) {
            ArcaServer.text(ex, 404, "no snapshot " + (a == null ? from : to) + " (give a full id or a unique prefix)\n");
            return;
        }
        boolean head = ex.getRequestMethod().equals("HEAD");
        Writer w = begin(ex, "diff " + a.id().shortHex() + " → " + b.id().shortHex() + " — arca", head);
        if (w == null) {
            return;
        }
        breadcrumbs(w, List.of());
        w.write("<h2>Changes from <a href=\"" + href(List.of(RepositoryTree.SNAPSHOTS, a.id().hex()), true) + "\"><code>"
                + a.id().shortHex() + "</code></a> (" + TIME.format(a.snapshot().instant()) + ") to <a href=\""
                + href(List.of(RepositoryTree.SNAPSHOTS, b.id().hex()), true) + "\"><code>" + b.id().shortHex()
                + "</code></a> (" + TIME.format(b.snapshot().instant()) + ")</h2>\n");
        w.write("<table id=\"changes\"><tr><th></th><th>path</th><th>size before</th><th>size after</th></tr>\n");
        long[] rows = {0};
        Map<TreeDiff.Change, Long> counts = new SnapshotDiff(tree.repository(), metadata).run(a.snapshot(), b.snapshot(),
                (change, path, before, after) -> {
                    if (rows[0]++ >= MAX_DIFF_ROWS) {
                        return;
                    }
                    SnapshotRef in = after != null ? b : a;
                    List<String> p = new ArrayList<>(List.of(RepositoryTree.SNAPSHOTS, in.id().hex()));
                    p.addAll(RepositoryTree.split(path));
                    var node = after != null ? after : before;
                    String cls = switch (change) {
                        case ADDED -> "add";
                        case REMOVED -> "rem";
                        default -> "mod";
                    };
                    String link = node.isDir() || node.isFile()
                            ? "<a href=\"" + href(p, node.isDir()) + "\">" + Xml.esc(path) + (node.isDir() ? "/" : "") + "</a>"
                            : Xml.esc(path);
                    w.write("<tr class=\"" + cls + "\"><td class=\"m\">" + change.symbol + "</td><td>" + link
                            + "</td><td class=\"n\">" + (before != null && before.isFile() ? size(before.size()) : "")
                            + "</td><td class=\"n\">" + (after != null && after.isFile() ? size(after.size()) : "")
                            + "</td></tr>\n");
                });
        w.write("</table>\n");
        if (rows[0] > MAX_DIFF_ROWS) {
            w.write("<p>… and " + (rows[0] - MAX_DIFF_ROWS) + " more changes (arca diff lists them all).</p>\n");
        }
        w.write("<p id=\"summary\">added: " + counts.get(TreeDiff.Change.ADDED) + ", removed: "
                + counts.get(TreeDiff.Change.REMOVED) + ", modified: " + counts.get(TreeDiff.Change.MODIFIED)
                + ", type changed: " + counts.get(TreeDiff.Change.TYPE)
                + (metadata ? ", metadata: " + counts.get(TreeDiff.Change.METADATA) : "") + "</p>\n");
        end(w);
    }

    static String time(Instant t) {
        return TIME.format(t);
    }
}
