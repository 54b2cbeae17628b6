package dev.arca.engine.files;

import dev.arca.format.id.BlobId;
import dev.arca.format.id.FileId;
import dev.arca.format.repo.Repository;
import dev.arca.format.snapshot.Snapshot;
import dev.arca.format.tree.Node;
import dev.arca.format.tree.NodeKind;
import dev.arca.format.tree.Tree;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Backs up directories and files into a snapshot whose root tree mirrors their absolute paths
 * (spec §11).
 *
 * <p>One thread walks the paths depth-first in name order, reads files and cuts them into
 * chunks; a {@link BackupSession} pool stores the chunks. A directory's tree is built and stored
 * when all its entries are done, by whichever thread finished the last one, so the walker never
 * waits for storage. Files whose size, mtime, ctime and inode equal the parent snapshot's are
 * not read again.
 *
 * <p>A file or directory that cannot be read is reported to the error sink and left out of the
 * snapshot; the backup goes on (the caller exits with status 3). Failures to store are fatal: no
 * snapshot is written.
 */
public final class FileBackup {
    /** What to back up and how. */
    public record Options(List<Path> paths, String host, String user, List<String> tags, Excluder excluder,
                          FileId parent, boolean rereadAll) {
        public Options {
            paths = List.copyOf(paths);
            tags = List.copyOf(tags);
            Objects.requireNonNull(excluder);
        }
    }

    /** The snapshot made and the paths that could not be read. */
    public record Result(FileId snapshotId, Snapshot snapshot, List<String> errors) {
    }

    private final Repository repo;
    private final Options options;
    private final BackupStats stats;
    private final Consumer<String> errorSink;
    private final List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());

    public FileBackup(Repository repo, Options options, BackupStats stats, Consumer<String> errorSink) {
        this.repo = repo;
        this.options = options;
        this.stats = stats;
        this.errorSink = errorSink;
    }

    public Result run() throws IOException {
        List<Path> roots = new ArrayList<>();
        for (Path p : options.paths()) {
            Path abs = p.toAbsolutePath().normalize();
            if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
                throw new NoSuchFileException(abs.toString(), null, "does not exist");
            }
            roots.add(abs);
        }
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("nothing to back up: give at least one path");
        }
        Trie trie = Trie.of(roots);
        Tree parentRoot = null;
        if (options.parent() != null && !options.rereadAll()) {
            parentRoot = repo.loadTree(repo.loadSnapshot(options.parent()).treeId());
        }
        try (BackupSession session = new BackupSession(repo, stats)) {
            CompletableFuture<List<Node>> top = children(session, trie, Path.of("/"), parentRoot);
            BlobId rootTree;
            try {
                rootTree = session.saveTree(Tree.of(top.join()));
            } catch (RuntimeException e) {
                throw BackupSession.unwrap(e);
            }
            Snapshot s = new Snapshot();
            s.time = Instant.now().toString();
            s.tree = rootTree.hex();
            s.paths = roots.stream().map(Path::toString).sorted().toList();
            s.host = options.host();
            s.user = options.user();
            s.tags = options.tags();
            s.engine = "files";
            s.parent = options.parent() == null ? null : options.parent().hex();
            s.programVersion = dev.arca.engine.Version.PROGRAM;
            FileId id = session.commit(s);
            return new Result(id, s, List.copyOf(errors));
        }
    }

    /** The paths given, as a tree of names from "/"; a leaf is backed up whole. */
    static final class Trie {
        final Map<String, Trie> children = new TreeMap<>((a, b) -> Arrays.compareUnsigned(
                a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
        boolean leaf;

        static Trie of(List<Path> absolute) {
            Trie root = new Trie();
            for (Path p : absolute) {
                Trie t = root;
                for (Path part : p) {
                    if (t.leaf) {
                        break;
                    }
                    t = t.children.computeIfAbsent(part.toString(), k -> new Trie());
                }
                if (p.getNameCount() == 0) {
                    t = root;
                }
                t.leaf = true;
                t.children.clear();
            }
            return root;
        }
    }

    private CompletableFuture<List<Node>> children(BackupSession session, Trie trie, Path dir, Tree parentTree) {
        if (trie.leaf) {
            return listDirectory(session, dir, parentTree);
        }
        List<CompletableFuture<Node>> nodes = new ArrayList<>();
        for (Map.Entry<String, Trie> e : trie.children.entrySet()) {
            Path p = dir.resolve(e.getKey());
            Node old = parentTree == null ? null : parentTree.find(e.getKey());
            if (e.getValue().leaf) {
                nodes.add(entry(session, p, e.getKey(), old));
            } else {
                nodes.add(intermediate(session, e.getValue(), p, e.getKey(), old));
            }
        }
        return collect(nodes);
    }

    /** A directory on the way to a backed-up path: its metadata, and only the children on the way. */
    private CompletableFuture<Node> intermediate(BackupSession session, Trie trie, Path p, String name, Node old) {
        FileMeta meta;
        try {
            meta = FileMeta.of(p);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        return directory(session, meta, name, old, children(session, trie, p, subtreeOf(old)));
    }

    private CompletableFuture<Node> entry(BackupSession session, Path p, String name, Node old) {
        FileMeta meta;
        try {
            meta = FileMeta.of(p);
        } catch (IOException e) {
            error(p, e);
            return CompletableFuture.completedFuture(null);
        }
        String problem = Node.nameProblem(name);
        if (problem != null || name.indexOf('\uFFFD') >= 0) {
            error(p, new IOException(problem != null ? problem : "name is not valid UTF-8 and cannot be stored exactly"));
            return CompletableFuture.completedFuture(null);
        }
        try {
            return switch (meta.kind()) {
                case FILE -> file(session, p, name, meta, old);
                case DIR -> directory(session, meta, name, old, listDirectory(session, p, subtreeOf(old)));
                case SYMLINK -> {
                    stats.filesProcessed.incrementAndGet();
                    yield CompletableFuture.completedFuture(
                            meta.builder(name).linkTarget(Files.readSymbolicLink(p).toString()).build());
                }
                default -> {
                    stats.filesProcessed.incrementAndGet();
                    yield CompletableFuture.completedFuture(meta.builder(name).build());
                }
            };
        } catch (IOException e) {
            error(p, e);
            return CompletableFuture.completedFuture(null);
        }
    }

    private Tree subtreeOf(Node old) {
        if (old == null || !old.isDir()) {
            return null;
        }
        try {
            return repo.loadTree(old.subtree());
        } catch (IOException e) {
            // The parent snapshot only saves reading; without it every file is read again.
            return null;
        }
    }

    private CompletableFuture<List<Node>> listDirectory(BackupSession session, Path dir, Tree parentTree) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path c : ds) {
                names.add(c.getFileName().toString());
            }
        } catch (IOException e) {
            error(dir, e);
            return CompletableFuture.completedFuture(List.of());
        }
        names.sort((a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
        List<CompletableFuture<Node>> nodes = new ArrayList<>(names.size());
        for (String name : names) {
            Path p = dir.resolve(name);
            if (options.excluder().excludes(p, name)) {
                continue;
            }
            nodes.add(entry(session, p, name, parentTree == null ? null : parentTree.find(name)));
        }
        return collect(nodes);
    }

    private static CompletableFuture<List<Node>> collect(List<CompletableFuture<Node>> nodes) {
        return CompletableFuture.allOf(nodes.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<Node> out = new ArrayList<>(nodes.size());
            for (CompletableFuture<Node> f : nodes) {
                Node n = f.join();
                if (n != null) {
                    out.add(n);
                }
            }
            return out;
        });
    }

    private CompletableFuture<Node> directory(BackupSession session, FileMeta meta, String name, Node old,
                                              CompletableFuture<List<Node>> children) {
        return children.thenApply(list -> {
            try {
                BlobId subtree = session.saveTree(Tree.of(list));
                if (old == null || !old.isDir()) {
                    stats.dirsNew.incrementAndGet();
                } else if (old.subtree().equals(subtree)) {
                    stats.dirsUnmodified.incrementAndGet();
                } else {
                    stats.dirsChanged.incrementAndGet();
                }
                return meta.builder(name).subtree(subtree).build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private CompletableFuture<Node> file(BackupSession session, Path p, String name, FileMeta meta, Node old)
            throws IOException {
        stats.filesProcessed.incrementAndGet();
        if (meta.unchangedSince(old) && session.hasContent(old)) {
            stats.filesUnmodified.incrementAndGet();
            stats.bytesProcessed.addAndGet(meta.size());
            Node.Builder b = meta.builder(name);
            Node n = old.contentIsIndirect() ? b.indirectContent(old.content()).build() : b.content(old.content()).build();
            return CompletableFuture.completedFuture(n);
        }
        BackupSession.Content content;
        try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
            content = session.saveContent(in);
        }
        (old != null && old.isFile() ? stats.filesChanged : stats.filesNew).incrementAndGet();
        long length = content.length();
        return content.ids().thenApply(ids -> {
            try {
                return session.withContent(meta.builder(name).size(length), ids);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private void error(Path p, IOException e) {
        String msg = p + ": " + describe(e);
        errors.add(msg);
        errorSink.accept(msg);
    }

    static String describe(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "vanished during the backup";
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
