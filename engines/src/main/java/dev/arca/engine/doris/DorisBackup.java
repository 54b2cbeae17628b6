package dev.arca.engine.doris;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.engine.Version;
import dev.arca.engine.files.BackupSession;
import dev.arca.engine.files.BackupStats;
import dev.arca.engine.files.SnapshotWalker;
import dev.arca.format.id.BlobId;
import dev.arca.format.id.FileId;
import dev.arca.format.io.Json;
import dev.arca.format.repo.Repository;
import dev.arca.format.snapshot.Snapshot;
import dev.arca.format.tree.Node;
import dev.arca.format.tree.NodeKind;
import dev.arca.format.tree.Tree;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Ingests the snapshots of a Doris backup repository tree, one arca snapshot per
 * {@code __ss_<label>} directory, oldest first.
 *
 * <p>Per snapshot: the job info is read, its md5 checked and parsed; then the content tree is
 * walked in name order, every name checked against the layout and the job info, and every file
 * streamed once through MD5 and the chunker. A file whose md5 differs from its name, a file or
 * directory the layout or the job info does not know, a file the job info lists but that is
 * missing: each is an error naming the file, and that snapshot is not recorded.
 *
 * <p>The arca tree mirrors the repository: {@code /__palo_repository_<name>/__repo_info} and
 * {@code /__palo_repository_<name>/__ss_<label>/…}. Files get as time the backup time of the
 * first stored Doris snapshot in which they appeared with this name and content (found in the
 * parent snapshot: the latest earlier one of the same repository and database), directories the
 * newest time below them; so the trees of unchanged partitions and tablets are the same blobs
 * from one snapshot to the next, and a day's backup stores only what changed.
 *
 * <p>A snapshot already stored (same repository, label and info file) is skipped, so running the
 * backup again is harmless.
 */
public final class DorisBackup {
    /** What to record in each snapshot, and which label to ingest (null: all). */
    public record Options(String host, String user, List<String> tags, String label) {
        public Options {
            tags = List.copyOf(tags);
        }
    }

    /** What became of one Doris snapshot. */
    public record Outcome(String label, Status status, FileId snapshotId, Snapshot snapshot, String error) {
    }

    public enum Status { SAVED, SKIPPED, FAILED }

    /** What a run did: one outcome per Doris snapshot, oldest first. */
    public record Result(String repository, List<Outcome> outcomes) {
        public boolean failed() {
            return outcomes.stream().anyMatch(o -> o.status == Status.FAILED);
        }
    }

    private static final DateTimeFormatter REPO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final int MAX_SMALL_FILE = 64 << 20;
    private static final Comparator<String> BYTE_ORDER = (a, b) -> Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private final Repository repo;
    private final Path dir;
    private final Options options;
    private volatile BackupStats current = new BackupStats();
    private volatile long bytesBefore;

    public DorisBackup(Repository repo, Path dir, Options options) {
        this.repo = repo;
        this.dir = dir;
        this.options = options;
    }

    /** Bytes of Doris files read so far over all snapshots, for progress. */
    public long bytesProcessed() {
        return bytesBefore + current.bytesProcessed.get();
    }

    /** A snapshot directory with its info and meta files found, not yet read. */
    private record Candidate(String label, Path ssDir, Path infoFile, String timestamp, Path metaFile) {
        String infoName() {
            return infoFile.getFileName().toString();
        }
    }

    /** A candidate whose job info has been read, checked and parsed. */
    private record Prepared(Candidate c, byte[] infoBytes, JobInfo info) {
    }

    /**
     * Ingests the snapshot named in the options, or all of them; reports each outcome to
     * {@code listener} as it happens.
     *
     * @throws DorisFormatException if the repository itself breaks the layout ({@code __repo_info}
     *                              missing or damaged, an unknown entry at its top, the label absent)
     */
    public Result run(Consumer<Outcome> listener) throws IOException {
        Path repoDir = DorisLayout.findRepository(dir);
        String name = DorisLayout.repositoryName(repoDir);
        byte[] repoInfo = readRepoInfo(repoDir, name);
        List<Path> ssDirs = snapshotDirs(repoDir);
        if (options.label() != null) {
            Path wanted = repoDir.resolve(DorisLayout.SNAPSHOT_PREFIX + options.label());
            if (!DorisLayout.validName(options.label()) || !ssDirs.contains(wanted)) {
                throw new DorisFormatException(wanted.toString(), "no snapshot with the label '" + options.label()
                        + "' in repository '" + name + "'");
            }
            ssDirs = List.of(wanted);
        }
        List<Outcome> outcomes = new ArrayList<>();
        List<Candidate> candidates = new ArrayList<>();
        for (Path ss : ssDirs) {
            String label = ss.getFileName().toString().substring(DorisLayout.SNAPSHOT_PREFIX.length());
            try {
                candidates.add(locate(ss, label));
            } catch (DorisFormatException e) {
                Outcome o = new Outcome(label, Status.FAILED, null, null, e.getMessage());
                outcomes.add(o);
                listener.accept(o);
            }
        }
        // The info file's timestamp sorts like the time: oldest first, so each finds its parent stored.
        candidates.sort(Comparator.comparing(Candidate::timestamp).thenComparing(Candidate::label));
        List<DorisSnapshot> stored = new ArrayList<>(DorisSnapshot.list(repo, name, e -> { }));
        for (Candidate c : candidates) {
            DorisSnapshot same = stored.stream()
                    .filter(d -> d.label().equals(c.label) && d.infoFile().equals(c.infoName())).findFirst().orElse(null);
            Outcome o;
            if (same != null) {
                o = new Outcome(c.label, Status.SKIPPED, same.id(), same.snapshot(), null);
            } else {
                try {
                    Prepared p = prepare(c);
                    DorisSnapshot parent = parentOf(stored, p);
                    FileId id = ingest(name, repoInfo, p, parent);
                    Snapshot s = repo.loadSnapshot(id);
                    stored.add(DorisSnapshot.of(id, s));
                    o = new Outcome(c.label, Status.SAVED, id, s, null);
                } catch (DorisFormatException e) {
                    o = new Outcome(c.label, Status.FAILED, null, null, e.getMessage());
                } finally {
                    bytesBefore += current.bytesProcessed.get();
                    current = new BackupStats();
                }
            }
            outcomes.add(o);
            listener.accept(o);
        }
        return new Result(name, outcomes);
    }

    /** The latest stored snapshot of the same Doris database taken before {@code p}. */
    private static DorisSnapshot parentOf(List<DorisSnapshot> stored, Prepared p) {
        DorisSnapshot best = null;
        for (DorisSnapshot d : stored) {
            if (d.databaseId() == p.info.databaseId() && d.backupTimeMillis() <= p.info.backupTimeMillis()
                    && (best == null || d.backupTimeMillis() >= best.backupTimeMillis())) {
                best = d;
            }
        }
        return best;
    }

    private static byte[] readRepoInfo(Path repoDir, String name) throws IOException {
        Path p = repoDir.resolve(DorisLayout.REPO_INFO);
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new DorisFormatException(p.toString(), "missing: every Doris repository has a " + DorisLayout.REPO_INFO);
        }
        byte[] bytes = readSmall(p);
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new DorisFormatException(p.toString(), "not valid JSON (truncated or damaged?)", e);
        }
        if (n == null || !n.isObject() || !n.path("name").isTextual()) {
            throw new DorisFormatException(p.toString(), "not a repository info object {\"name\", \"create_time\"}");
        }
        if (!n.path("name").asText().equals(name)) {
            throw new DorisFormatException(p.toString(), "names the repository '" + n.path("name").asText()
                    + "', but its directory is " + repoDir.getFileName());
        }
        return bytes;
    }

    private static List<Path> snapshotDirs(Path repoDir) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String entry : sortedNames(repoDir)) {
            Path p = repoDir.resolve(entry);
            if (entry.equals(DorisLayout.REPO_INFO)) {
                continue;
            }
            String label = entry.startsWith(DorisLayout.SNAPSHOT_PREFIX)
                    ? entry.substring(DorisLayout.SNAPSHOT_PREFIX.length()) : null;
            if (label == null || !DorisLayout.validName(label) || !isDirectory(p)) {
                throw new DorisFormatException(p.toString(), "outside the Doris repository layout (expected "
                        + DorisLayout.REPO_INFO + " and " + DorisLayout.SNAPSHOT_PREFIX + "<label> directories)");
            }
            out.add(p);
        }
        return out;
    }

    /** Finds the info and meta files of a snapshot directory; anything else but the content is an error. */
    private static Candidate locate(Path ss, String label) throws IOException {
        Path info = null;
        Path meta = null;
        String timestamp = null;
        for (String entry : sortedNames(ss)) {
            Path p = ss.resolve(entry);
            if (entry.equals(DorisLayout.CONTENT) && isDirectory(p)) {
                continue;
            }
            Md5Name n = Md5Name.parse(entry);
            String ts = n == null ? null : DorisLayout.infoTimestamp(n.base());
            if (n != null && n.base().equals(DorisLayout.META) && isRegularFile(p)) {
                if (meta != null) {
                    throw new DorisFormatException(p.toString(), "a second meta file (the other is " + meta.getFileName() + ")");
                }
                meta = p;
            } else if (ts != null && isRegularFile(p)) {
                if (info != null) {
                    throw new DorisFormatException(p.toString(), "a second job info file (the other is "
                            + info.getFileName() + ")");
                }
                info = p;
                timestamp = ts;
            } else {
                throw new DorisFormatException(p.toString(), "outside the Doris snapshot layout (expected "
                        + DorisLayout.META + ".<md5>, " + DorisLayout.INFO_PREFIX + "<yyyy-MM-dd-HH-mm-ss>.<md5> and "
                        + DorisLayout.CONTENT + "/)");
            }
        }
        if (info == null) {
            throw new DorisFormatException(ss.toString(), "no job info file (" + DorisLayout.INFO_PREFIX
                    + "<yyyy-MM-dd-HH-mm-ss>.<md5>): not a complete Doris snapshot");
        }
        if (meta == null) {
            throw new DorisFormatException(ss.toString(), "no meta file (" + DorisLayout.META
                    + ".<md5>): not a complete Doris snapshot");
        }
        return new Candidate(label, ss, info, timestamp, meta);
    }

    /** Reads the job info, checks its md5 and parses it. */
    private static Prepared prepare(Candidate c) throws IOException {
        byte[] bytes = readSmall(c.infoFile);
        checkMd5(c.infoFile, Md5Name.hex(Md5Name.newDigest().digest(bytes)));
        JobInfo job = JobInfo.parse(bytes, c.infoFile.toString());
        if (!job.label().equals(c.label)) {
            throw new DorisFormatException(c.infoFile.toString(), "job info has the label '" + job.label()
                    + "', but its directory is " + c.ssDir.getFileName());
        }
        return new Prepared(c, bytes, job);
    }

    private static void checkMd5(Path p, String actual) throws DorisFormatException {
        Md5Name n = Md5Name.parse(p.getFileName().toString());
        if (!n.md5().equals(actual)) {
            throw new DorisFormatException(p.toString(), "md5 mismatch: the name says " + n.md5() + ", the content has "
                    + actual);
        }
    }

    private FileId ingest(String name, byte[] repoInfo, Prepared p, DorisSnapshot parent) throws IOException {
        Instant time = Instant.ofEpochMilli(p.info.backupTimeMillis());
        Tree parentContent = parentContent(parent);
        BackupStats stats = current;
        try (BackupSession session = new BackupSession(repo, stats)) {
            List<CompletableFuture<Node>> ssChildren = new ArrayList<>();
            Candidate c = p.c;
            ssChildren.add(storeBytes(session, c.infoName(), p.infoBytes, time));
            ssChildren.add(storeFile(session, c.metaFile, null, time));
            Path content = c.ssDir.resolve(DorisLayout.CONTENT);
            Walk walk = new Walk(session, p.info, time);
            if (isDirectory(content)) {
                ssChildren.add(walk.directory(content, 0, parentContent, null));
            }
            walk.checkComplete(content);
            CompletableFuture<Node> ss = directory(session, DorisLayout.SNAPSHOT_PREFIX + c.label, join(ssChildren), time);
            CompletableFuture<Node> info = storeBytes(session, DorisLayout.REPO_INFO, repoInfo, repoInfoTime(repoInfo));
            CompletableFuture<Node> repoDir = directory(session, DorisLayout.REPOSITORY_PREFIX + name,
                    join(List.of(info, ss)), time);
            BlobId root;
            try {
                root = session.saveTree(Tree.of(List.of(repoDir.join())));
            } catch (RuntimeException e) {
                throw BackupSession.unwrap(e);
            }
            Snapshot s = new Snapshot();
            s.time = time.toString();
            s.tree = root.hex();
            s.paths = List.of("/" + DorisLayout.REPOSITORY_PREFIX + name + "/" + DorisLayout.SNAPSHOT_PREFIX + c.label);
            s.host = options.host();
            s.user = options.user();
            s.tags = options.tags();
            s.engine = DorisSnapshot.ENGINE;
            s.parent = parent == null ? null : parent.id().hex();
            s.programVersion = Version.PROGRAM;
            ObjectNode m = Json.MAPPER.createObjectNode();
            m.put("label", c.label);
            m.put("repository", name);
            m.put("timestamp", c.timestamp);
            m.put("info_file", c.infoName());
            m.put("meta_file", c.metaFile.getFileName().toString());
            m.put("files", stats.filesProcessed.get());
            m.put("bytes", stats.bytesProcessed.get());
            m.setAll(p.info.toMetadata());
            s.engineMetadata = m;
            return session.commit(s);
        }
    }

    /** The parent snapshot's {@code __ss_content} tree, or null. */
    private Tree parentContent(DorisSnapshot parent) {
        if (parent == null) {
            return null;
        }
        try {
            BlobId root = parent.snapshot().treeId();
            Node n = new SnapshotWalker(repo).resolve(root, "/" + parent.repositoryDirName() + "/"
                    + parent.snapshotDirName() + "/" + DorisLayout.CONTENT);
            return n != null && n.isDir() ? repo.loadTree(n.subtree()) : null;
        } catch (IOException e) {
            // The parent only lends times to unchanged files; without it they get this backup's time.
            return null;
        }
    }

    private static Instant repoInfoTime(byte[] repoInfo) {
        try {
            String t = Json.MAPPER.readTree(repoInfo).path("create_time").asText("");
            return LocalDateTime.parse(t, REPO_TIME).toInstant(ZoneOffset.UTC);
        } catch (IOException | RuntimeException e) {
            return Instant.EPOCH;
        }
    }

    /** The walk of one {@code __ss_content} tree, checked against the job info as it goes. */
    private final class Walk {
        private final BackupSession session;
        private final JobInfo info;
        private final Instant time;
        private final Set<Long> tabletsSeen = new HashSet<>();

        Walk(BackupSession session, JobInfo info, Instant time) {
            this.session = session;
            this.info = info;
            this.time = time;
        }

        /**
         * A directory at {@code depth} below {@code __ss_content} (0 = it, 1 = db, 2 = table,
         * 3 = partition, 4 = index, 5 = tablet); {@code scope} is the job info object it stands for.
         */
        CompletableFuture<Node> directory(Path dir, int depth, Tree parent, Object scope) throws IOException {
            List<CompletableFuture<Node>> children = new ArrayList<>();
            List<String> names = sortedNames(dir);
            Set<String> listed = depth == 5 ? new HashSet<>(tabletFiles(scope)) : null;
            for (String entry : names) {
                Path p = dir.resolve(entry);
                Node old = parent == null ? null : parent.find(entry);
                if (depth == 5) {
                    if (!listed.remove(entry)) {
                        throw new DorisFormatException(p.toString(), "outside the Doris snapshot layout: the job info "
                                + "does not list this file for tablet " + ((TabletScope) scope).tabletId);
                    }
                    if (!isRegularFile(p)) {
                        throw new DorisFormatException(p.toString(), "not a regular file (a symlink or a directory)");
                    }
                    children.add(storeFile(session, p, old, time));
                    continue;
                }
                Object child = child(p, entry, depth, scope);
                if (!isDirectory(p)) {
                    throw new DorisFormatException(p.toString(), "outside the Doris snapshot layout: expected a directory");
                }
                Tree oldTree = old != null && old.isDir() ? loadTree(old) : null;
                children.add(directory(p, depth + 1, oldTree, child));
            }
            if (depth == 5) {
                TabletScope t = (TabletScope) scope;
                tabletsSeen.add(t.tabletId);
                if (!listed.isEmpty()) {
                    String missing = listed.stream().sorted().findFirst().get();
                    throw new DorisFormatException(dir.resolve(missing).toString(), "missing: the job info lists it for "
                            + "tablet " + t.tabletId + (listed.size() > 1 ? " (and " + (listed.size() - 1) + " more)" : ""));
                }
            }
            return DorisBackup.this.directory(session, dir.getFileName().toString(), join(children), time);
        }

        private List<String> tabletFiles(Object scope) {
            return ((TabletScope) scope).files;
        }

        /** What a name at this depth stands for in the job info, or an error naming the path. */
        private Object child(Path p, String entry, int depth, Object scope) throws DorisFormatException {
            switch (depth) {
                case 0 -> {
                    if (DorisLayout.idAfter(DorisLayout.DB_PREFIX, entry) == info.databaseId()) {
                        return info;
                    }
                    throw outside(p, "expected " + DorisLayout.DB_PREFIX + info.databaseId() + " (database '"
                            + info.database() + "' of the job info)");
                }
                case 1 -> {
                    JobInfo.Table t = info.table(DorisLayout.idAfter(DorisLayout.TABLE_PREFIX, entry));
                    if (t != null) {
                        return t;
                    }
                    throw outside(p, "no table of the job info has this id");
                }
                case 2 -> {
                    JobInfo.Partition part = ((JobInfo.Table) scope).partition(
                            DorisLayout.idAfter(DorisLayout.PARTITION_PREFIX, entry));
                    if (part != null) {
                        return part;
                    }
                    throw outside(p, "no partition of table '" + ((JobInfo.Table) scope).name() + "' has this id");
                }
                case 3 -> {
                    JobInfo.Index idx = ((JobInfo.Partition) scope).index(DorisLayout.idAfter(DorisLayout.INDEX_PREFIX,
                            entry));
                    if (idx != null) {
                        return idx;
                    }
                    throw outside(p, "no index of partition '" + ((JobInfo.Partition) scope).name() + "' has this id");
                }
                case 4 -> {
                    long id = DorisLayout.idAfter(DorisLayout.TABLET_PREFIX, entry);
                    List<String> files = ((JobInfo.Index) scope).tablets().get(id);
                    if (id >= 0 && files != null) {
                        return new TabletScope(id, files);
                    }
                    throw outside(p, "no tablet of index '" + ((JobInfo.Index) scope).name() + "' has this id");
                }
                default -> throw new IllegalStateException("depth " + depth);
            }
        }

        private DorisFormatException outside(Path p, String why) {
            return new DorisFormatException(p.toString(), "outside the Doris snapshot layout: " + why);
        }

        /** Every tablet the job info lists with files must have been found. */
        void checkComplete(Path content) throws DorisFormatException {
            for (JobInfo.Table t : info.tables()) {
                for (JobInfo.Partition part : t.partitions()) {
                    for (JobInfo.Index idx : part.indexes()) {
                        for (Map.Entry<Long, List<String>> e : idx.tablets().entrySet()) {
                            if (!e.getValue().isEmpty() && !tabletsSeen.contains(e.getKey())) {
                                Path missing = content.resolve(DorisLayout.DB_PREFIX + info.databaseId())
                                        .resolve(DorisLayout.TABLE_PREFIX + t.id())
                                        .resolve(DorisLayout.PARTITION_PREFIX + part.id())
                                        .resolve(DorisLayout.INDEX_PREFIX + idx.id())
                                        .resolve(DorisLayout.TABLET_PREFIX + e.getKey()).resolve(e.getValue().get(0));
                                throw new DorisFormatException(missing.toString(), "missing: the job info lists it for "
                                        + "tablet " + e.getKey() + " of table '" + t.name() + "', partition '"
                                        + part.name() + "'");
                            }
                        }
                    }
                }
            }
        }
    }

    private record TabletScope(long tabletId, List<String> files) {
    }

    private Tree loadTree(Node dir) {
        try {
            return repo.loadTree(dir.subtree());
        } catch (IOException e) {
            return null;
        }
    }

    /** Stores one file, checking its md5 against its name; reuses the old node's time if unchanged. */
    private static CompletableFuture<Node> storeFile(BackupSession session, Path p, Node old, Instant time)
            throws IOException {
        String name = p.getFileName().toString();
        if (Node.nameProblem(name) != null) {
            throw new DorisFormatException(p.toString(), Node.nameProblem(name));
        }
        MessageDigest md5 = Md5Name.newDigest();
        BackupSession.Content content;
        BackupStats stats = session.stats();
        try (InputStream in = new DigestInputStream(Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS), md5)) {
            content = session.saveContent(in);
        }
        checkMd5(p, Md5Name.hex(md5.digest()));
        stats.filesProcessed.incrementAndGet();
        long length = content.length();
        return content.ids().thenApply(ids -> {
            boolean same = old != null && old.isFile() && old.size() == length && !old.contentIsIndirect()
                    && old.content().equals(ids);
            (same ? stats.filesUnmodified : old != null ? stats.filesChanged : stats.filesNew).incrementAndGet();
            Instant t = same ? old.mtime() : time;
            try {
                return session.withContent(Node.builder(name, NodeKind.FILE).mode(0644).mtime(t).ctime(t).size(length),
                        ids);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Stores bytes already read and checked (the job info, the repository info). */
    private static CompletableFuture<Node> storeBytes(BackupSession session, String name, byte[] bytes, Instant time)
            throws IOException {
        BackupSession.Content content = session.saveContent(new ByteArrayInputStream(bytes));
        session.stats().filesProcessed.incrementAndGet();
        session.stats().filesNew.incrementAndGet();
        return content.ids().thenApply(ids -> {
            try {
                return session.withContent(Node.builder(name, NodeKind.FILE).mode(0644).mtime(time).ctime(time)
                        .size(bytes.length), ids);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** A directory node once its children are stored: its time is the newest below it. */
    private CompletableFuture<Node> directory(BackupSession session, String name, CompletableFuture<List<Node>> children,
                                              Instant emptyTime) {
        return children.thenApply(list -> {
            Instant t = list.stream().map(Node::mtime).max(Comparator.naturalOrder()).orElse(emptyTime);
            try {
                BlobId subtree = session.saveTree(Tree.of(list));
                session.stats().dirsNew.incrementAndGet();
                return Node.builder(name, NodeKind.DIR).mode(0755).mtime(t).ctime(t).subtree(subtree).build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static CompletableFuture<List<Node>> join(List<CompletableFuture<Node>> nodes) {
        return CompletableFuture.allOf(nodes.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<Node> out = new ArrayList<>(nodes.size());
            for (CompletableFuture<Node> f : nodes) {
                out.add(f.join());
            }
            return out;
        });
    }

    private static List<String> sortedNames(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path c : ds) {
                names.add(c.getFileName().toString());
            }
        } catch (NoSuchFileException e) {
            throw new DorisFormatException(dir.toString(), "vanished during the backup");
        }
        names.sort(BYTE_ORDER);
        return names;
    }

    private static boolean isDirectory(Path p) {
        return Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
    }

    private static boolean isRegularFile(Path p) {
        return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS);
    }

    private static byte[] readSmall(Path p) throws IOException {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.size() > MAX_SMALL_FILE) {
            throw new DorisFormatException(p.toString(), "too large for a metadata file (" + a.size() + " bytes)");
        }
        return Files.readAllBytes(p);
    }
}
