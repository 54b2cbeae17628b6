package dev.arca.engine.aerospike;

import dev.arca.engine.files.ContentStream;
import dev.arca.format.repo.Repository;
import dev.arca.format.snapshot.Snapshot;
import dev.arca.format.tree.Node;
import dev.arca.format.tree.Tree;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gives an Aerospike snapshot back: its {@code .asb} files byte for byte into a directory, or one
 * stream for {@code asrestore --input-file -}, optionally with the namespace renamed, sets and bins
 * filtered, and several snapshots merged under asrestore's default write policy. Every byte given
 * back is parsed again on the way out, so a damaged file is reported by name.
 */
public final class AerospikeRestore {
    /** Seconds from the Unix epoch to Aerospike's (2010-01-01T00:00:00Z). */
    public static final long CITRUSLEAF_EPOCH = 1262304000L;

    /**
     * What {@code asrestore}'s {@code --namespace OLD,NEW}, {@code --set-list} and {@code --bin-list}
     * would restore; nulls mean "no filter".
     */
    public record Filter(String fromNamespace, String toNamespace, Set<String> sets, Set<String> bins) {
        public static final Filter NONE = new Filter(null, null, null, null);

        boolean identity() {
            return toNamespace == null && sets == null && bins == null;
        }
    }

    /** Counts of what a stream restore wrote and left out. */
    public static final class Result {
        public long records;
        public long secondaryIndexes;
        public long udfs;
        public long filteredOut;
        public long expired;
        public long olderGeneration;
        public long bytes;
    }

    private final Repository repo;

    public AerospikeRestore(Repository repo) {
        this.repo = repo;
    }

    /** The snapshot's {@code .asb} files in name order; fails if it is not an Aerospike snapshot. */
    public List<Node> files(Snapshot s) throws IOException {
        if (!AerospikeBackup.ENGINE.equals(s.engine)) {
            throw new IOException("snapshot is of engine '" + s.engine + "', not " + AerospikeBackup.ENGINE);
        }
        Tree t = Tree.decode(repo.loadBlob(s.treeId()), "tree " + s.tree);
        List<Node> out = new ArrayList<>();
        for (Node n : t.nodes()) {
            if (n.isFile()) {
                out.add(n);
            }
        }
        return out;
    }

    /** Writes every file into {@code dir} (created if needed; existing files are not overwritten). */
    public Result toDirectory(Snapshot s, Path dir) throws IOException {
        Files.createDirectories(dir);
        Result r = new Result();
        List<Node> files = files(s);
        // Every name is checked before anything is written: a clash leaves the directory as it was.
        for (Node n : files) {
            Path target = dir.resolve(n.name());
            if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(target + ": already exists; restore into an empty directory");
            }
        }
        for (Node n : files) {
            Path target = dir.resolve(n.name());
            Path tmp = dir.resolve("." + n.name() + ".arca-tmp");
            Files.deleteIfExists(tmp);   // left by an interrupted restore
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW)) {
                r.bytes += verbatim(n, out, r);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            Files.setLastModifiedTime(tmp, java.nio.file.attribute.FileTime.from(n.mtime()));
            Files.move(tmp, target);
        }
        return r;
    }

    /** Copies a file as stored while parsing it; returns its length. */
    private long verbatim(Node n, OutputStream out, Result r) throws IOException {
        long[] written = {0};
        try (InputStream in = new ContentStream(repo, n)) {
            AsbParser p = new AsbParser(in, n.name(), false, (b, off, len) -> {
                out.write(b, off, len);
                written[0] += len;
            });
            for (AsbItem it = p.next(); it != null; it = p.next()) {
                count(r, it);
            }
        }
        if (written[0] != n.size()) {
            throw new IOException(n.name() + ": restored " + written[0] + " bytes, the snapshot says " + n.size());
        }
        return written[0];
    }

    private static void count(Result r, AsbItem it) {
        if (it instanceof AsbItem.Record) {
            r.records++;
        } else if (it instanceof AsbItem.SecondaryIndex) {
            r.secondaryIndexes++;
        } else if (it instanceof AsbItem.Udf) {
            r.udfs++;
        }
    }

    /**
     * One stream of the snapshot. Unfiltered, a single file is copied byte for byte, and several
     * files of one format version become one header followed by each file's body byte for byte.
     */
    public Result toStream(Snapshot s, Filter f, OutputStream out) throws IOException {
        List<Node> files = files(s);
        Result r = new Result();
        String ns = s.engineMetadata == null ? null : s.engineMetadata.path("namespace").asText(null);
        checkNamespace(ns, f);
        Set<String> versions = new HashSet<>();
        if (s.engineMetadata != null) {
            s.engineMetadata.path("files").forEach(x -> versions.add(x.path("format_version").asText()));
        }
        if (f.identity() && files.size() == 1) {
            r.bytes = verbatim(files.get(0), out, r);
            return r;
        }
        if (f.identity() && versions.size() == 1) {
            boolean first = s.engineMetadata.path("files").findValues("first_file").stream().anyMatch(x -> x.asBoolean());
            AsbWriter w = new AsbWriter(out);
            w.header(versions.iterator().next());
            w.write(new AsbItem.Namespace(ns.getBytes(StandardCharsets.UTF_8)));
            if (first) {
                w.write(new AsbItem.FirstFile());
            }
            for (Node n : files) {
                copyBody(n, out, r);
            }
            return r;
        }
        Writer w = new Writer(out, f);
        boolean first = false;
        List<AsbItem> globals = new ArrayList<>();
        for (Node n : files) {
            try (InputStream in = new BufferedInputStream(new ContentStream(repo, n), 1 << 16)) {
                AsbParser p = new AsbParser(in, n.name());
                for (AsbItem it = p.next(); it != null; it = p.next()) {
                    if (it instanceof AsbItem.FirstFile) {
                        first = true;
                    }
                    if (it instanceof AsbItem.SecondaryIndex || it instanceof AsbItem.Udf) {
                        globals.add(it);
                    }
                }
            }
        }
        w.start(ns, first);
        for (AsbItem g : globals) {
            w.item(g, r);
        }
        for (Node n : files) {
            try (InputStream in = new BufferedInputStream(new ContentStream(repo, n), 1 << 16)) {
                AsbParser p = new AsbParser(in, n.name());
                for (AsbItem it = p.next(); it != null; it = p.next()) {
                    if (it instanceof AsbItem.Record) {
                        w.item(it, r);
                    }
                }
            }
        }
        return r;
    }

    /**
     * Merges snapshots as restoring them one after the other with asrestore's default write policy
     * would leave the cluster: a record whose void time has passed at {@code now} is skipped; a
     * record is written only if its generation is higher than the one already there; a write
     * updates (bins it lacks keep the older values). Memory holds every record.
     */
    public Result merge(List<Snapshot> snaps, Filter f, OutputStream out, Instant now) throws IOException {
        long nowVoid = now.getEpochSecond() - CITRUSLEAF_EPOCH;
        Result r = new Result();
        Map<String, AsbItem.Record> records = new LinkedHashMap<>();
        Map<String, AsbItem> globals = new LinkedHashMap<>();
        String ns = null;
        boolean first = false;
        for (Snapshot s : snaps) {
            String sns = s.engineMetadata == null ? null : s.engineMetadata.path("namespace").asText(null);
            checkNamespace(sns, f);
            if (ns != null && !ns.equals(sns)) {
                throw new IOException("cannot merge namespace '" + sns + "' into '" + ns + "'");
            }
            ns = sns;
            for (Node n : files(s)) {
                try (InputStream in = new BufferedInputStream(new ContentStream(repo, n), 1 << 16)) {
                    AsbParser p = new AsbParser(in, n.name());
                    for (AsbItem it = p.next(); it != null; it = p.next()) {
                        if (it instanceof AsbItem.FirstFile) {
                            first = true;
                        } else if (it instanceof AsbItem.SecondaryIndex || it instanceof AsbItem.Udf) {
                            ByteArrayOutputStream key = new ByteArrayOutputStream();
                            new AsbWriter(key).write(it);
                            globals.putIfAbsent(key.toString(StandardCharsets.ISO_8859_1), it);
                        } else if (it instanceof AsbItem.Record rec) {
                            if (rec.voidTime() != 0 && rec.voidTime() <= nowVoid) {
                                r.expired++;
                                continue;
                            }
                            String d = rec.digestHex();
                            AsbItem.Record old = records.get(d);
                            if (old == null) {
                                records.put(d, rec);
                            } else if (rec.generation() > old.generation()) {
                                records.put(d, update(old, rec));
                            } else {
                                r.olderGeneration++;
                            }
                        }
                    }
                }
            }
        }
        Writer w = new Writer(out, f);
        w.start(ns, first);
        for (AsbItem g : globals.values()) {
            w.item(g, r);
        }
        for (AsbItem.Record rec : records.values()) {
            w.item(rec, r);
        }
        return r;
    }

    /** {@code newer} written over {@code older} with an update: bins only in {@code older} stay. */
    static AsbItem.Record update(AsbItem.Record older, AsbItem.Record newer) {
        List<AsbItem.Bin> bins = new ArrayList<>(newer.bins());
        for (AsbItem.Bin b : older.bins()) {
            if (newer.bins().stream().noneMatch(x -> Arrays.equals(x.name(), b.name()))) {
                bins.add(b);
            }
        }
        AsbItem.Key key = newer.key() != null ? newer.key() : older.key();
        return new AsbItem.Record(key, newer.namespace(), newer.digest(), newer.set(), newer.generation(),
                newer.voidTime(), bins);
    }

    private static void checkNamespace(String ns, Filter f) throws IOException {
        if (f.fromNamespace() != null && !f.fromNamespace().equals(ns)) {
            throw new IOException("the snapshot holds namespace '" + ns + "', not '" + f.fromNamespace()
                    + "' as --namespace says");
        }
    }

    /** Each file's bytes after its header and meta lines, as stored. */
    private void copyBody(Node n, OutputStream out, Result r) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        long[] seen = {0};
        long[] bodyStart = {-1};
        try (InputStream in = new ContentStream(repo, n)) {
            AsbParser p = new AsbParser(in, n.name(), false, (b, off, len) -> {
                if (bodyStart[0] < 0) {
                    head.write(b, off, len);
                } else {
                    out.write(b, off, len);
                    r.bytes += len;
                }
                seen[0] += len;
            });
            for (AsbItem it = p.next(); it != null; it = p.next()) {
                count(r, it);
                if (bodyStart[0] < 0 && !(it instanceof AsbItem.Namespace) && !(it instanceof AsbItem.FirstFile)) {
                    bodyStart[0] = p.itemStart();
                    byte[] h = head.toByteArray();
                    out.write(h, (int) bodyStart[0], h.length - (int) bodyStart[0]);
                    r.bytes += h.length - bodyStart[0];
                }
            }
        }
    }

    /** Writes filtered, renamed items after one header. */
    private static final class Writer {
        private final AsbWriter w;
        private final Filter f;

        Writer(OutputStream out, Filter f) {
            this.w = new AsbWriter(out);
            this.f = f;
        }

        void start(String ns, boolean first) throws IOException {
            w.header("3.1");
            w.write(new AsbItem.Namespace(name(ns)));
            if (first) {
                w.write(new AsbItem.FirstFile());
            }
        }

        private byte[] name(String ns) {
            return (f.toNamespace() != null ? f.toNamespace() : ns).getBytes(StandardCharsets.UTF_8);
        }

        void item(AsbItem it, Result r) throws IOException {
            if (it instanceof AsbItem.SecondaryIndex s) {
                String set = AsbItem.text(s.set());
                if (f.sets() != null && !set.isEmpty() && !f.sets().contains(set)) {
                    r.filteredOut++;
                    return;
                }
                if (f.toNamespace() != null) {
                    s = new AsbItem.SecondaryIndex(name(null), s.set(), s.name(), s.indexType(), s.paths(), s.context());
                }
                r.secondaryIndexes++;
                w.write(s);
            } else if (it instanceof AsbItem.Udf u) {
                r.udfs++;
                w.write(u);
            } else if (it instanceof AsbItem.Record rec) {
                if (f.sets() != null && (rec.set() == null || !f.sets().contains(rec.setText()))) {
                    r.filteredOut++;
                    return;
                }
                if (f.bins() != null) {
                    List<AsbItem.Bin> kept = rec.bins().stream().filter(b -> f.bins().contains(b.nameText())).toList();
                    if (kept.isEmpty()) {
                        r.filteredOut++;
                        return;
                    }
                    rec = rec.withBins(kept);
                }
                if (f.toNamespace() != null) {
                    rec = rec.withNamespace(name(null));
                }
                r.records++;
                w.write(rec);
            }
        }
    }
}
