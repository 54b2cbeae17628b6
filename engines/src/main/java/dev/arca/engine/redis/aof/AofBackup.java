package dev.arca.engine.redis.aof;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.engine.Version;
import dev.arca.engine.files.BackupSession;
import dev.arca.engine.files.BackupStats;
import dev.arca.format.id.BlobId;
import dev.arca.format.id.FileId;
import dev.arca.format.repo.Repository;
import dev.arca.format.repo.SnapshotRef;
import dev.arca.format.snapshot.Snapshot;
import dev.arca.format.tree.Node;
import dev.arca.format.tree.NodeKind;
import dev.arca.format.tree.Tree;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Backs up a Redis 7 multi-part AOF directory: the manifest and every file it names, verbatim,
 * under their own names in the snapshot's root (engine {@code redis}, metadata {@code source:
 * "aof"}, the manifest's text and per file what {@link AofFile} holds).
 *
 * <p>Every file is checked on the way in: the manifest's grammar, that each base and incr file it
 * names exists, a base RDB's CRC64, and the RESP of every {@code .aof} file (which also gives its
 * command boundaries and {@code #TS:} annotations). A malformed file fails the backup, naming the
 * file and byte offset, before a snapshot is recorded; a torn tail (the file ends inside a command,
 * as while Redis is writing) is stored as it is and reported.
 *
 * <p>Incremental: {@code .aof} files are chunked on command boundaries by a content-defined
 * chunker ({@link AofChunker}), so an incr file that only grew adds its appended bytes and one
 * re-cut chunk; a file whose size, mtime, ctime and inode equal the parent snapshot's is not read
 * again (like {@code arca backup}). Only the bytes present when a file is looked at are read, so
 * its node and its metadata agree even if Redis appends meanwhile; a manifest that changes during
 * the backup (an AOF rewrite) fails it.
 */
public final class AofBackup {
    public static final String ENGINE = "redis";
    public static final String SOURCE = "aof";
    static final String MANIFEST_SUFFIX = ".manifest";

    /** What to record; {@code parent} (may be null) is a snapshot whose unchanged files are reused. */
    public record Options(String host, String user, List<String> tags, FileId parent) {
    }

    /** The snapshot made and what was noticed on the way (torn tails, missing history files). */
    public record Result(FileId snapshotId, Snapshot snapshot, List<String> warnings) {
    }

    private final Repository repo;
    private final Options options;
    private final BackupStats stats;
    private final List<String> warnings = new ArrayList<>();
    private volatile long bytesToRead;

    public AofBackup(Repository repo, Options options, BackupStats stats) {
        this.repo = repo;
        this.options = options;
        this.stats = stats;
    }

    /** The size of the files to back up, once the manifest is read (for progress); 0 before. */
    public long bytesToRead() {
        return bytesToRead;
    }

    /** Whether a snapshot is an AOF snapshot of this engine. */
    public static boolean isAof(Snapshot s) {
        return ENGINE.equals(s.engine) && s.engineMetadata != null
                && SOURCE.equals(s.engineMetadata.path("source").asText());
    }

    /** The latest AOF snapshot of {@code dir} from {@code host}, or null; unreadable snapshots are warned about. */
    public static FileId findParent(Repository repo, String host, Path dir, Consumer<String> warn) throws IOException {
        String path = dir.toAbsolutePath().normalize().toString();
        List<SnapshotRef> all = repo.snapshots(e -> warn.accept(e.getMessage()
                + " (not considered as the parent; unchanged files may be read again)"));
        for (int i = all.size() - 1; i >= 0; i--) {
            Snapshot s = all.get(i).snapshot();
            if (isAof(s) && host.equals(s.host) && s.paths.equals(List.of(path))) {
                return all.get(i).id();
            }
        }
        return null;
    }

    /** The manifest of an AOF directory: its one {@code *.manifest} file (not a {@code temp-} one). */
    public static Path findManifest(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "not a directory");
        }
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + MANIFEST_SUFFIX)) {
            for (Path p : ds) {
                if (!p.getFileName().toString().startsWith("temp-") && Files.isRegularFile(p)) {
                    found.add(p);
                }
            }
        }
        if (found.isEmpty()) {
            throw new AofFormatException(dir.toString(), "no manifest (<appendfilename>.manifest) in this directory: "
                    + "not a Redis 7 multi-part AOF directory (appenddirname)");
        }
        if (found.size() > 1) {
            found.sort(null);
            throw new AofFormatException(dir.toString(), "several manifests: " + found.stream()
                    .map(p -> p.getFileName().toString()).toList() + "; one AOF directory holds one");
        }
        return found.get(0);
    }

    public Result run(Path dirGiven) throws IOException {
        Path dir = dirGiven.toAbsolutePath().normalize();
        Path manifestPath = findManifest(dir);
        String manifestName = manifestPath.getFileName().toString();
        Stat manifestStat = Stat.of(manifestPath);
        byte[] manifestBytes = Files.readAllBytes(manifestPath);
        AofManifest manifest = AofManifest.parse(manifestBytes, manifestPath.toString());
        for (AofManifest.Entry e : manifest.entries()) {
            if (e.type() != AofManifest.Type.HISTORY && !Files.isRegularFile(dir.resolve(e.name()))) {
                throw new AofFormatException(manifestPath.toString(), "names " + describe(e.type()) + " file '"
                        + e.name() + "', which is not in " + dir);
            }
        }
        long total = 0;
        for (AofManifest.Entry e : manifest.entries()) {
            Path p = dir.resolve(e.name());
            total += Files.isRegularFile(p) ? Files.size(p) : 0;
        }
        bytesToRead = total;
        Map<String, Node> parentNodes = new HashMap<>();
        Map<String, AofFile> parentFiles = new HashMap<>();
        if (options.parent() != null) {
            loadParent(parentNodes, parentFiles);
        }
        try (BackupSession session = new BackupSession(repo, stats)) {
            List<Node> nodes = new ArrayList<>();
            List<AofFile> files = new ArrayList<>();
            List<AofManifest.Entry> incrs = manifest.incrs();
            for (AofManifest.Entry e : manifest.entries()) {
                Path p = dir.resolve(e.name());
                if (e.type() == AofManifest.Type.HISTORY && !Files.isRegularFile(p)) {
                    warnings.add(p + ": history file named by the manifest is gone (Redis deletes them after a "
                            + "rewrite); not stored, and not needed to restore");
                    continue;
                }
                AofFile f = new AofFile();
                f.name = e.name();
                f.type = String.valueOf(e.type().code());
                f.seq = e.seq();
                boolean last = !incrs.isEmpty() && incrs.get(incrs.size() - 1).equals(e);
                try {
                    nodes.add(store(session, p, f, parentNodes.get(f.name), parentFiles.get(f.name), last));
                } catch (NoSuchFileException gone) {
                    throw new IOException(p + ": vanished during the backup (an AOF rewrite ran); no snapshot was made; "
                            + "run the backup again", gone);
                }
                files.add(f);
            }
            List<BlobId> mIds = join(session.saveContent(new java.io.ByteArrayInputStream(manifestBytes)));
            nodes.add(session.withContent(manifestStat.builder(manifestName).size(manifestBytes.length), mIds));
            stats.filesProcessed.incrementAndGet();
            Node oldManifest = parentNodes.get(manifestName);
            (oldManifest == null ? stats.filesNew : sameContent(oldManifest, mIds) ? stats.filesUnmodified
                    : stats.filesChanged).incrementAndGet();

            if (!Arrays.equals(manifestBytes, readIfThere(manifestPath))) {
                throw new IOException(manifestPath + ": the manifest changed during the backup (an AOF rewrite ran); "
                        + "no snapshot was made; run the backup again");
            }
            BlobId root = session.saveTree(Tree.of(nodes));
            Snapshot s = new Snapshot();
            s.time = Instant.now().toString();
            s.tree = root.hex();
            s.paths = List.of(dir.toString());
            s.host = options.host();
            s.user = options.user();
            s.tags = options.tags();
            s.engine = ENGINE;
            s.engineMetadata = metadata(dir, manifestName, manifestBytes, files);
            s.parent = options.parent() == null ? null : options.parent().hex();
            s.programVersion = Version.PROGRAM;
            FileId id = session.commit(s);
            return new Result(id, s, List.copyOf(warnings));
        }
    }

    private boolean sameContent(Node old, List<BlobId> ids) throws IOException {
        return old.isFile() && repo.contentOf(old).equals(ids);
    }

    private static byte[] readIfThere(Path p) throws IOException {
        try {
            return Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            return new byte[0];
        }
    }

    private void loadParent(Map<String, Node> nodes, Map<String, AofFile> files) throws IOException {
        Snapshot parent = repo.loadSnapshot(options.parent());
        if (!isAof(parent)) {
            return;
        }
        for (Node n : repo.loadTree(parent.treeId()).nodes()) {
            nodes.put(n.name(), n);
        }
        for (JsonNode f : parent.engineMetadata.path("files")) {
            AofFile a = AofFile.fromJson(f);
            files.put(a.name, a);
        }
    }

    private Node store(BackupSession session, Path p, AofFile f, Node old, AofFile oldInfo, boolean lastIncr)
            throws IOException {
        Stat st = Stat.of(p);
        stats.filesProcessed.incrementAndGet();
        if (oldInfo != null && st.unchangedSince(old) && session.hasContent(old)) {
            AofFile o = oldInfo;
            f.size = o.size;
            f.format = o.format;
            f.lastCompleteOffset = o.lastCompleteOffset;
            f.truncated = o.truncated;
            f.commands = o.commands;
            f.annotations = o.annotations;
            f.firstTs = o.firstTs;
            f.lastTs = o.lastTs;
            f.rdbVersion = o.rdbVersion;
            f.rdbCtime = o.rdbCtime;
            f.rdbCrc64 = o.rdbCrc64;
            stats.filesUnmodified.incrementAndGet();
            stats.bytesProcessed.addAndGet(st.size());
            Node.Builder b = st.builder(f.name);
            return old.contentIsIndirect() ? b.indirectContent(old.content()).build() : b.content(old.content()).build();
        }
        (old != null ? stats.filesChanged : stats.filesNew).incrementAndGet();
        String shown = p.toString();
        List<BlobId> ids;
        try (InputStream raw = new Exactly(Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS), st.size(), shown)) {
            if (f.name.endsWith(".rdb")) {
                RdbCheck check = new RdbCheck(raw, shown);
                ids = join(session.saveContent(check));
                RdbCheck.Result r = check.verify();
                f.format = "rdb";
                f.rdbVersion = r.header().version();
                f.rdbCtime = r.header().ctime();
                f.rdbCrc64 = r.crc64();
                f.lastCompleteOffset = st.size();
            } else {
                AofChunker chunker = new AofChunker(repo.chunker(), raw, shown, item -> {
                    if (item instanceof RespScanner.Preamble pre) {
                        f.rdbVersion = pre.header().version();
                        f.rdbCtime = pre.header().ctime();
                    }
                });
                ids = join(session.saveChunks(chunker::next));
                RespScanner sc = chunker.scanner();
                f.format = "aof";
                f.lastCompleteOffset = sc.truncated() ? sc.lastComplete() : st.size();
                f.truncated = sc.truncated();
                f.commands = sc.commands();
                f.annotations = sc.annotations();
                f.firstTs = sc.firstTimestamp();
                f.lastTs = sc.lastTimestamp();
                if (f.truncated) {
                    warnings.add(shown + ": ends inside a command or MULTI block at byte offset " + f.lastCompleteOffset
                            + " of " + st.size() + " (a torn tail: redis-check-aof --fix would truncate it there"
                            + (lastIncr ? "; Redis loads it with aof-load-truncated yes" : "; Redis refuses it, since "
                            + "it is not the last incr file") + "); stored as it is");
                }
            }
        }
        f.size = st.size();
        return session.withContent(st.builder(f.name), ids);
    }

    private static List<BlobId> join(BackupSession.Content c) throws IOException {
        try {
            return c.ids().join();
        } catch (RuntimeException e) {
            throw BackupSession.unwrap(e);
        }
    }

    private static String describe(AofManifest.Type t) {
        return switch (t) {
            case BASE -> "the base";
            case INCR -> "incr";
            case HISTORY -> "history";
        };
    }

    static ObjectNode metadata(Path dir, String manifestName, byte[] manifest, List<AofFile> files) {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("source", SOURCE);
        m.put("directory", dir.toString());
        m.put("manifest_name", manifestName);
        m.put("manifest", new String(manifest, StandardCharsets.UTF_8));
        Long first = null;
        Long last = null;
        Long baseTime = null;
        ArrayNode arr = m.putArray("files");
        for (AofFile f : files) {
            arr.add(f.toJson());
            if (f.type.equals("b")) {
                baseTime = f.rdbCtime != null ? f.rdbCtime : f.firstTs;
            }
            if (f.type.equals("i") && f.firstTs != null) {
                first = first == null ? f.firstTs : first;
                last = f.lastTs;
            }
        }
        putOrNull(m, "base_time", baseTime);
        putOrNull(m, "first_ts", first);
        putOrNull(m, "last_ts", last);
        return m;
    }

    private static void putOrNull(ObjectNode m, String k, Long v) {
        if (v == null) {
            m.putNull(k);
        } else {
            m.put(k, v);
        }
    }

    /** What {@code lstat} says about a file, as far as the unchanged-file test and the node need it. */
    record Stat(int mode, Instant mtime, Instant ctime, long inode, long device, long links, long size) {
        static Stat of(Path p) throws IOException {
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,ino,dev,nlink,ctime,lastModifiedTime,size",
                    LinkOption.NOFOLLOW_LINKS);
            return new Stat((Integer) a.get("mode") & 07777, ((FileTime) a.get("lastModifiedTime")).toInstant(),
                    ((FileTime) a.get("ctime")).toInstant(), (Long) a.get("ino"), (Long) a.get("dev"),
                    ((Integer) a.get("nlink")).longValue(), (Long) a.get("size"));
        }

        Node.Builder builder(String name) {
            return Node.builder(name, NodeKind.FILE).mode(mode).mtime(mtime).ctime(ctime).inode(inode, device, links)
                    .size(size);
        }

        boolean unchangedSince(Node old) {
            return old != null && old.kind() == NodeKind.FILE && old.size() == size && old.mtime().equals(mtime)
                    && old.ctime().equals(ctime) && old.inode() == inode;
        }
    }

    /** Exactly {@code size} bytes of a file (it may grow meanwhile; if it shrinks, that is an error). */
    private static final class Exactly extends FilterInputStream {
        private long left;
        private final String name;

        Exactly(InputStream in, long size, String name) {
            super(in);
            this.left = size;
            this.name = name;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException(name + ": the file shrank during the backup (" + left
                        + " bytes fewer than when it was looked at); no snapshot was made");
            }
            left -= n;
            return n;
        }
    }
}
