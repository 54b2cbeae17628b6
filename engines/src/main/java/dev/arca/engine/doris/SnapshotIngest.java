package dev.arca.engine.doris;

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
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Stores one Doris snapshot directory as one arca snapshot (see {@link DorisBackup}): walks
 * {@code __ss_content} in name order, checks every name against the job info and every file's md5
 * against its name while it is chunked, and builds the trees bottom-up as their files are stored.
 */
final class SnapshotIngest {
    private static final DateTimeFormatter REPO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final Repository repo;
    private final DorisBackup.Options options;
    private final BackupStats stats;

    SnapshotIngest(Repository repo, DorisBackup.Options options, BackupStats stats) {
        this.repo = repo;
        this.options = options;
        this.stats = stats;
    }

    FileId ingest(String name, byte[] repoInfo, DorisBackup.Prepared p, DorisSnapshot parent) throws IOException {
        Instant time = Instant.ofEpochMilli(p.info().backupTimeMillis());
        Tree parentContent = parentContent(parent);
        try (BackupSession session = new BackupSession(repo, stats)) {
            List<CompletableFuture<Node>> ssChildren = new ArrayList<>();
            DorisBackup.Candidate c = p.c();
            ssChildren.add(storeBytes(session, c.infoName(), p.infoBytes(), time));
            ssChildren.add(storeFile(session, c.metaFile(), null, time));
            Path content = c.ssDir().resolve(DorisLayout.CONTENT);
            Walk walk = new Walk(session, p.info(), time);
            if (DorisBackup.isDirectory(content)) {
                ssChildren.add(walk.directory(content, 0, parentContent, null));
            }
            walk.checkComplete(content);
            CompletableFuture<Node> ss = directory(session, DorisLayout.SNAPSHOT_PREFIX + c.label(), join(ssChildren), time);
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
            s.paths = List.of("/" + DorisLayout.REPOSITORY_PREFIX + name + "/" + DorisLayout.SNAPSHOT_PREFIX + c.label());
            s.host = options.host();
            s.user = options.user();
            s.tags = options.tags();
            s.engine = DorisSnapshot.ENGINE;
            s.parent = parent == null ? null : parent.id().hex();
            s.programVersion = Version.PROGRAM;
            ObjectNode m = Json.MAPPER.createObjectNode();
            m.put("label", c.label());
            m.put("repository", name);
            m.put("timestamp", c.timestamp());
            m.put("info_file", c.infoName());
            m.put("meta_file", c.metaFile().getFileName().toString());
            m.put("files", stats.filesProcessed.get());
            m.put("bytes", stats.bytesProcessed.get());
            m.setAll(p.info().toMetadata());
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
         * 3 = partition, 4 = index, 5 = tablet, 6 = the older layout's schema hash level below the
         * tablet); {@code scope} is the job info object it stands for.
         */
        CompletableFuture<Node> directory(Path dir, int depth, Tree parent, Object scope) throws IOException {
            List<CompletableFuture<Node>> children = new ArrayList<>();
            List<String> names = DorisBackup.sortedNames(dir);
            for (String entry : names) {
                Path p = dir.resolve(entry);
                Node old = parent == null ? null : parent.find(entry);
                if (depth >= 5) {
                    TabletScope t = (TabletScope) scope;
                    if (depth == 5 && entry.equals(DorisLayout.TABLET_PREFIX + t.schemaHash) && DorisBackup.isDirectory(p)) {
                        // The older layout (assembleRemoteSnapshotPath) has the schema hash as one more level.
                        children.add(directory(p, 6, old != null && old.isDir() ? loadTree(old) : null, scope));
                        continue;
                    }
                    if (!t.remaining.remove(entry)) {
                        throw new DorisFormatException(p.toString(), "outside the Doris snapshot layout: the job info "
                                + "does not list this file for tablet " + t.tabletId);
                    }
                    if (!DorisBackup.isRegularFile(p)) {
                        throw new DorisFormatException(p.toString(), "not a regular file (a symlink or a directory)");
                    }
                    children.add(storeFile(session, p, old, time));
                    continue;
                }
                Object child = child(p, entry, depth, scope);
                if (!DorisBackup.isDirectory(p)) {
                    throw new DorisFormatException(p.toString(), "outside the Doris snapshot layout: expected a directory");
                }
                Tree oldTree = old != null && old.isDir() ? loadTree(old) : null;
                children.add(directory(p, depth + 1, oldTree, child));
            }
            if (depth == 5) {
                TabletScope t = (TabletScope) scope;
                tabletsSeen.add(t.tabletId);
                if (!t.remaining.isEmpty()) {
                    String missing = t.remaining.stream().sorted().findFirst().get();
                    throw new DorisFormatException(dir.resolve(missing).toString(), "missing: the job info lists it for "
                            + "tablet " + t.tabletId + (t.remaining.size() > 1 ? " (and " + (t.remaining.size() - 1)
                            + " more)" : ""));
                }
            }
            return SnapshotIngest.this.directory(session, dir.getFileName().toString(), join(children), time);
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
                        return new TabletScope(id, ((JobInfo.Index) scope).schemaHash(), new HashSet<>(files));
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

    /** A tablet directory: its files not seen yet. */
    private record TabletScope(long tabletId, long schemaHash, Set<String> remaining) {
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
        DorisBackup.checkMd5(p, Md5Name.hex(md5.digest()));
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
}
