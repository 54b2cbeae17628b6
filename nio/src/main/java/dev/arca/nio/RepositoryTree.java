package dev.arca.nio;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.engine.RecordView;
import dev.arca.engine.files.SnapshotWalker;
import dev.arca.format.RepositoryException;
import dev.arca.format.id.BlobId;
import dev.arca.format.id.FileId;
import dev.arca.format.repo.Repository;
import dev.arca.format.repo.SnapshotRef;
import dev.arca.format.tree.Node;
import dev.arca.format.tree.Tree;
import java.io.IOException;
import java.lang.ref.SoftReference;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A whole repository as one read-only tree:
 * <pre>
 * /snapshots/&lt;full id&gt;/...     every snapshot; a unique id prefix (4+ hex digits) resolves too
 * /latest/&lt;host&gt;/...           the newest snapshot of each host
 * .../records/...              an engine snapshot's record view ({@link RecordView}), if its engine has one
 * </pre>
 * Paths are lists of names; a name that is empty, ".", "..", or holds '/' or NUL resolves to
 * nothing, so no path leaves the tree. The list of snapshots is re-read when it is older than
 * the refresh interval, so a long-running server sees new backups. Safe for concurrent use.
 */
public final class RepositoryTree {
    /** Receives a directory's entries one at a time. */
    @FunctionalInterface
    public interface Sink {
        void accept(VEntry e) throws IOException;
    }

    public static final String SNAPSHOTS = "snapshots";
    public static final String LATEST = "latest";
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Repository repo;
    private final Duration refresh;
    /**
     * The trees used last, whatever their size: the repository caches only small trees, and a
     * client that lists a large directory then reads its files one by one would otherwise decode
     * that directory's tree once per file. Soft, so memory pressure clears them.
     */
    private final Map<BlobId, SoftReference<Tree>> recent = new LinkedHashMap<>(8, 0.75f, true);
    private static final int RECENT_TREES = 4;
    private final ConcurrentHashMap<BlobId, CompletableFuture<Tree>> loading = new ConcurrentHashMap<>();
    private volatile List<SnapshotRef> snapshots;
    private volatile Instant loadedAt = Instant.EPOCH;

    public RepositoryTree(Repository repo) {
        this(repo, Duration.ofSeconds(5));
    }

    public RepositoryTree(Repository repo, Duration refresh) {
        this.repo = repo;
        this.refresh = refresh;
    }

    public Repository repository() {
        return repo;
    }

    private Tree tree(BlobId id) throws IOException {
        SoftReference<Tree> ref;
        synchronized (recent) {
            ref = recent.get(id);
        }
        Tree t = ref == null ? null : ref.get();
        if (t != null) {
            return t;
        }
        // Requests that miss at once wait for one decoding instead of each decoding the tree.
        CompletableFuture<Tree> mine = new CompletableFuture<>();
        CompletableFuture<Tree> other = loading.putIfAbsent(id, mine);
        if (other != null) {
            try {
                return other.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
        }
        try {
            t = repo.loadTree(id);
            synchronized (recent) {
                recent.put(id, new SoftReference<>(t));
                if (recent.size() > RECENT_TREES) {
                    recent.remove(recent.keySet().iterator().next());
                }
            }
            mine.complete(t);
            return t;
        } catch (IOException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            loading.remove(id);
        }
    }

    /** Every readable snapshot, oldest first (unreadable ones are left out). */
    public List<SnapshotRef> snapshots() throws IOException {
        List<SnapshotRef> s = snapshots;
        if (s == null || Instant.now().isAfter(loadedAt.plus(refresh))) {
            synchronized (this) {
                if (snapshots == null || Instant.now().isAfter(loadedAt.plus(refresh))) {
                    snapshots = reload(snapshots == null ? List.of() : snapshots);
                    loadedAt = Instant.now();
                }
                s = snapshots;
            }
        }
        return s;
    }

    /**
     * Lists the snapshot files and reads only those not in {@code known}; files that cannot be
     * read (corrupt, missing, too new) are left out, so one damaged file hides no other.
     */
    private List<SnapshotRef> reload(List<SnapshotRef> known) throws IOException {
        Map<FileId, SnapshotRef> byId = new java.util.HashMap<>();
        for (SnapshotRef r : known) {
            byId.put(r.id(), r);
        }
        List<SnapshotRef> out = new ArrayList<>();
        for (FileId id : repo.snapshotIds()) {
            SnapshotRef r = byId.get(id);
            if (r == null) {
                try {
                    r = new SnapshotRef(id, repo.loadSnapshot(id));
                } catch (RepositoryException e) {
                    continue;
                }
            }
            out.add(r);
        }
        out.sort(java.util.Comparator.comparing((SnapshotRef r) -> r.snapshot().instant()).thenComparing(SnapshotRef::id));
        return List.copyOf(out);
    }

    /** The newest snapshot of each host, by host name in order. */
    public Map<String, SnapshotRef> latestByHost() throws IOException {
        Map<String, SnapshotRef> latest = new java.util.TreeMap<>();
        for (SnapshotRef r : snapshots()) {
            String host = r.snapshot().host;
            if (host != null && validName(host)) {
                latest.put(host, r);
            }
        }
        return latest;
    }

    /** The snapshot with this full id or unique id prefix (4+ hex digits), or null. */
    public SnapshotRef snapshot(String idOrPrefix) throws IOException {
        if (idOrPrefix.length() < 4 || !idOrPrefix.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
            return null;
        }
        SnapshotRef match = null;
        for (SnapshotRef r : snapshots()) {
            if (r.id().hex().startsWith(idOrPrefix)) {
                if (match != null) {
                    return null;
                }
                match = r;
            }
        }
        return match;
    }

    /** Whether {@code name} can be one element of a path. */
    public static boolean validName(String name) {
        return !name.isEmpty() && !name.equals(".") && !name.equals("..") && name.indexOf('/') < 0
                && name.indexOf('\0') < 0;
    }

    /** Splits "/a/b/" into [a, b]; empty elements are dropped. */
    public static List<String> split(String path) {
        List<String> out = new ArrayList<>();
        for (String p : path.split("/")) {
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return out;
    }

    public VEntry root() throws IOException {
        return VEntry.synthetic("", newest(), null);
    }

    private Instant newest() throws IOException {
        List<SnapshotRef> all = snapshots();
        return all.isEmpty() ? Instant.EPOCH : all.get(all.size() - 1).snapshot().instant();
    }

    /** The entry at {@code parts}, or null if there is none. */
    public VEntry resolve(List<String> parts) throws IOException {
        for (String p : parts) {
            if (!validName(p)) {
                return null;
            }
        }
        if (parts.isEmpty()) {
            return root();
        }
        SnapshotRef ref;
        switch (parts.get(0)) {
            case SNAPSHOTS -> {
                if (parts.size() == 1) {
                    return VEntry.synthetic(SNAPSHOTS, newest(), null);
                }
                ref = snapshot(parts.get(1));
            }
            case LATEST -> {
                if (parts.size() == 1) {
                    return VEntry.synthetic(LATEST, newest(), null);
                }
                ref = latestByHost().get(parts.get(1));
            }
            default -> {
                return null;
            }
        }
        if (ref == null) {
            return null;
        }
        return resolveIn(ref, parts.get(1), parts.subList(2, parts.size()));
    }

    /** The entry at {@code rest} inside snapshot {@code ref}, whose root is called {@code rootName}. */
    public VEntry resolveIn(SnapshotRef ref, String rootName, List<String> rest) throws IOException {
        VEntry root = snapshotRoot(ref, rootName);
        if (rest.isEmpty()) {
            return root;
        }
        RecordView view = RecordView.of(ref.snapshot().engine);
        if (view != null && rest.get(0).equals(RecordView.ROOT)) {
            return resolveRecord(view, ref, "/" + String.join("/", rest));
        }
        Node current = root.node();
        for (String part : rest) {
            if (!current.isDir()) {
                return null;
            }
            current = tree(current.subtree()).find(part);
            if (current == null) {
                return null;
            }
        }
        return VEntry.of(current.name(), current, ref);
    }

    private static VEntry snapshotRoot(SnapshotRef ref, String name) {
        Instant t = ref.snapshot().instant();
        return new VEntry(name, VEntry.Kind.DIR, 0, t, t, 0555, ref, SnapshotWalker.rootNode(ref.snapshot().treeId()),
                null, "");
    }

    private VEntry resolveRecord(RecordView view, SnapshotRef ref, String path) throws IOException {
        String name = path.substring(path.lastIndexOf('/') + 1);
        Instant t = ref.snapshot().instant();
        if (path.equals("/" + RecordView.ROOT)) {
            return new VEntry(name, VEntry.Kind.DIR, 0, t, t, 0555, ref, null, path, "");
        }
        ObjectNode record = view.record(repo, ref.snapshot(), path);
        if (record != null) {
            return new VEntry(name, VEntry.Kind.FILE, render(record).length, t, t, 0444, ref, null, path, "");
        }
        if (view.list(repo, ref.snapshot(), path, e -> { })) {
            return new VEntry(name, VEntry.Kind.DIR, 0, t, t, 0555, ref, null, path, "");
        }
        return null;
    }

    /** Sends the entries of directory {@code dir} to {@code out}, in name order for snapshot trees. */
    public void list(VEntry dir, Sink out) throws IOException {
        if (!dir.isDir()) {
            throw new IllegalArgumentException(dir.name() + " is not a directory");
        }
        if (dir.recordPath() != null) {
            listRecords(dir, out);
        } else if (dir.node() != null) {
            listTree(dir, out);
        } else if (dir.name().isEmpty()) {
            out.accept(VEntry.synthetic(SNAPSHOTS, newest(), null));
            out.accept(VEntry.synthetic(LATEST, newest(), null));
        } else if (dir.name().equals(SNAPSHOTS)) {
            for (SnapshotRef r : snapshots()) {
                out.accept(snapshotRoot(r, r.id().hex()));
            }
        } else if (dir.name().equals(LATEST)) {
            for (Map.Entry<String, SnapshotRef> e : latestByHost().entrySet()) {
                out.accept(snapshotRoot(e.getValue(), e.getKey()));
            }
        }
    }

    private void listTree(VEntry dir, Sink out) throws IOException {
        SnapshotRef ref = dir.snapshot();
        Tree t = tree(dir.node().subtree());
        boolean root = dir.node().subtree().equals(ref.snapshot().treeId());
        RecordView view = root ? RecordView.of(ref.snapshot().engine) : null;
        boolean viewDone = view == null || t.find(RecordView.ROOT) != null;
        for (Node n : t.nodes()) {
            if (!viewDone && n.name().compareTo(RecordView.ROOT) > 0) {
                out.accept(resolveRecord(view, ref, "/" + RecordView.ROOT));
                viewDone = true;
            }
            out.accept(VEntry.of(n.name(), n, ref));
        }
        if (!viewDone) {
            out.accept(resolveRecord(view, ref, "/" + RecordView.ROOT));
        }
    }

    private void listRecords(VEntry dir, Sink out) throws IOException {
        SnapshotRef ref = dir.snapshot();
        RecordView view = RecordView.of(ref.snapshot().engine);
        Instant t = ref.snapshot().instant();
        String prefix = dir.recordPath() + "/";
        view.list(repo, ref.snapshot(), dir.recordPath(), e -> {
            if (e.path().startsWith(prefix)) {
                String name = e.path().substring(prefix.length());
                out.accept(e.directory()
                        ? new VEntry(name, VEntry.Kind.DIR, 0, t, t, 0555, ref, null, e.path(), e.summary())
                        : new VEntry(name, VEntry.Kind.FILE, -1, t, t, 0444, ref, null, e.path(), e.summary()));
            }
        });
    }

    /** A record's content: its JSON, pretty-printed with a final newline (what {@code dump} prints). */
    public byte[] recordBytes(VEntry record) throws IOException {
        ObjectNode o = RecordView.of(record.snapshot().snapshot().engine).record(repo, record.snapshot().snapshot(),
                record.recordPath());
        if (o == null) {
            throw new java.nio.file.NoSuchFileException(record.recordPath());
        }
        return render(o);
    }

    private static byte[] render(ObjectNode o) throws IOException {
        return (PRETTY.writeValueAsString(o) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Opens a file's content for reading; {@code name} is what errors call it. */
    public SeekableByteChannel open(VEntry file, String name) throws IOException {
        if (!file.isFile()) {
            throw new IOException(name + " is not a regular file");
        }
        if (file.isRecord()) {
            return new BytesChannel(recordBytes(file));
        }
        return new ContentChannel(repo, file.node(), name);
    }

    /** Entries by name of a small directory; for tests and small listings. */
    public Map<String, VEntry> listAll(VEntry dir) throws IOException {
        Map<String, VEntry> out = new LinkedHashMap<>();
        list(dir, e -> out.put(e.name(), e));
        return out;
    }
}
