package dev.arca.engine.doris;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.engine.files.ContentStream;
import dev.arca.engine.files.SnapshotWalker;
import dev.arca.format.CorruptObjectException;
import dev.arca.format.io.Json;
import dev.arca.format.repo.Repository;
import dev.arca.format.tree.Node;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes a stored Doris snapshot back as a Doris repository tree under a location:
 * {@code <location>/__palo_repository_<name>/__repo_info} and {@code __ss_<label>/…}, whole or
 * only what {@code RESTORE SNAPSHOT … ON (table PARTITION (p, …))} reads: the job info and the
 * meta file whole, and the tablet directories of that table (or of those partitions), every index.
 *
 * <p>Restoring into a location that already holds the repository adds the snapshot beside the
 * others: a file that is already there with the same content is left alone (so is a
 * {@code __repo_info} of the same repository name, as Doris' CREATE REPOSITORY writes); one with
 * different content (or anything that is not a plain file or directory, such as a symlink) is an
 * error, found before anything is written, and nothing is ever overwritten. Files are written to a temporary
 * name and renamed, each file's md5 is checked against its name on the way out (a mismatch is a
 * {@link CorruptObjectException} and the file is not left behind), and the job info is written
 * last, so Doris never lists a snapshot whose files are not all there.
 */
public final class DorisRestore {
    /** Where to restore, and optionally which table and partitions. */
    public record Options(Path location, String table, List<String> partitions) {
        public Options {
            partitions = List.copyOf(partitions);
            if (table == null && !partitions.isEmpty()) {
                throw new IllegalArgumentException("partitions need a table");
            }
        }
    }

    /** What was done. */
    public record Result(Path repositoryDir, long filesWritten, long filesAlreadyThere, long bytesWritten) {
    }

    /** Files in the way with other content; nothing was written. */
    public static final class ConflictException extends IOException {
        private static final long serialVersionUID = 1L;
        private final List<String> files;

        ConflictException(List<String> files) {
            super(files.size() + " file(s) already exist with different content and would be overwritten; nothing "
                    + "was restored: " + String.join(", ", files.subList(0, Math.min(5, files.size())))
                    + (files.size() > 5 ? ", …" : ""));
            this.files = List.copyOf(files);
        }

        public List<String> files() {
            return files;
        }
    }

    /** Live counters for progress displays. */
    public static final class Progress {
        public final AtomicLong files = new AtomicLong();
        public final AtomicLong bytes = new AtomicLong();
    }

    private static final int THREADS = 4;

    private final Repository repo;
    private final DorisSnapshot snap;
    private final Options options;
    private final Progress progress;

    public DorisRestore(Repository repo, DorisSnapshot snap, Options options, Progress progress) {
        this.repo = repo;
        this.snap = snap;
        this.options = options;
        this.progress = progress;
    }

    /** A file to restore, by its path below the repository directory. */
    private record Item(String rel, Node node) {
    }

    /** The repository directory the snapshot goes to: the location, or its {@code __palo_repository_<name>}. */
    public Path repositoryDir() throws IOException {
        Path loc = options.location();
        Path name = loc.getFileName();
        if (name != null && name.toString().startsWith(DorisLayout.REPOSITORY_PREFIX)) {
            if (!name.toString().equals(snap.repositoryDirName())) {
                throw new IllegalArgumentException(loc + " is the directory of another Doris repository; the snapshot "
                        + "belongs in " + snap.repositoryDirName());
            }
            return loc;
        }
        return loc.resolve(snap.repositoryDirName());
    }

    public Result run() throws IOException {
        List<String> prefixes = selection();
        Path repoDir = repositoryDir();
        Node top = new SnapshotWalker(repo).resolve(snap.snapshot().treeId(), "/" + snap.repositoryDirName());
        if (top == null || !top.isDir()) {
            throw new CorruptObjectException("snapshot " + snap.id().shortHex(), "has no " + snap.repositoryDirName()
                    + " directory");
        }
        List<Item> files = new ArrayList<>();
        List<String> dirs = new ArrayList<>();
        new SnapshotWalker(repo).walk(top.subtree(), "", (path, node) -> {
            String rel = path.substring(1);
            if (node.isDir()) {
                boolean below = selected(prefixes, rel);
                boolean above = prefixes.stream().anyMatch(p -> p.startsWith(rel + "/"));
                if (below || above) {
                    dirs.add(rel);
                }
                return below || above;
            }
            if (!node.isFile()) {
                throw new CorruptObjectException("snapshot " + snap.id().shortHex(), rel + " is not a file or directory");
            }
            if (selected(prefixes, rel)) {
                if (!rel.equals(DorisLayout.REPO_INFO) && Md5Name.parse(node.name()) == null) {
                    throw new CorruptObjectException("snapshot " + snap.id().shortHex(), rel
                            + " has no md5 in its name: not a Doris snapshot file");
                }
                files.add(new Item(rel, node));
            }
            return false;
        });
        List<String> conflicts = new ArrayList<>();
        checkDirectory(repoDir, conflicts);
        for (String d : dirs) {
            checkDirectory(repoDir.resolve(d), conflicts);
        }
        List<Item> toWrite = new ArrayList<>();
        long already = 0;
        for (Item f : files) {
            Path p = repoDir.resolve(f.rel);
            BasicFileAttributes a = attributes(p);
            if (a == null) {
                toWrite.add(f);
            } else if (a.isRegularFile() && (a.size() == f.node.size() && sameContent(p, f) || sameRepository(p, f, a))) {
                already++;
            } else {
                conflicts.add(p.toString());
            }
        }
        if (!conflicts.isEmpty()) {
            throw new ConflictException(conflicts);
        }
        Files.createDirectories(repoDir);
        for (String d : dirs) {
            Path p = repoDir.resolve(d);
            if (attributes(p) == null) {
                Files.createDirectory(p);
            }
        }
        // The repository info first, the job info last: Doris lists snapshots by their info files.
        toWrite.sort((x, y) -> Integer.compare(rank(x.rel), rank(y.rel)));
        long bytes = write(repoDir, toWrite);
        return new Result(repoDir, toWrite.size(), already, bytes);
    }

    private int rank(String rel) {
        if (rel.equals(DorisLayout.REPO_INFO)) {
            return 0;
        }
        String name = rel.substring(rel.lastIndexOf('/') + 1);
        if (name.equals(snap.infoFile())) {
            return 3;
        }
        return name.equals(snap.metaFile()) ? 2 : 1;
    }

    /**
     * The paths below the repository directory that are restored: everything, or the repository
     * info, the info and meta files and the chosen table's (or partitions') directories.
     */
    List<String> selection() {
        String ss = snap.snapshotDirName();
        if (options.table() == null) {
            return List.of(DorisLayout.REPO_INFO, ss);
        }
        JsonNode table = null;
        List<String> names = new ArrayList<>();
        for (JsonNode t : snap.tables()) {
            names.add(t.path("name").asText());
            if (t.path("name").asText().equals(options.table())) {
                table = t;
            }
        }
        if (table == null) {
            throw new IllegalArgumentException("snapshot " + snap.label() + " has no table '" + options.table()
                    + "'; it has " + names);
        }
        String tableDir = ss + "/" + DorisLayout.CONTENT + "/" + DorisLayout.DB_PREFIX + snap.databaseId() + "/"
                + DorisLayout.TABLE_PREFIX + table.path("id").asLong();
        List<String> out = new ArrayList<>(List.of(DorisLayout.REPO_INFO, ss + "/" + snap.infoFile(),
                ss + "/" + snap.metaFile()));
        if (options.partitions().isEmpty()) {
            out.add(tableDir);
            return out;
        }
        for (String want : options.partitions()) {
            JsonNode part = null;
            List<String> parts = new ArrayList<>();
            for (JsonNode p : table.path("partitions")) {
                parts.add(p.path("name").asText());
                if (p.path("name").asText().equals(want)) {
                    part = p;
                }
            }
            if (part == null) {
                throw new IllegalArgumentException("table '" + options.table() + "' of snapshot " + snap.label()
                        + " has no partition '" + want + "'; it has " + parts);
            }
            out.add(tableDir + "/" + DorisLayout.PARTITION_PREFIX + part.path("id").asLong());
        }
        return out;
    }

    private static boolean selected(List<String> prefixes, String rel) {
        for (String p : prefixes) {
            if (rel.equals(p) || rel.startsWith(p + "/")) {
                return true;
            }
        }
        return false;
    }

    private static BasicFileAttributes attributes(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** A directory on the way must be a real directory, or absent. */
    private static void checkDirectory(Path p, List<String> conflicts) throws IOException {
        BasicFileAttributes a = attributes(p);
        if (a != null && !a.isDirectory()) {
            conflicts.add(p + " (not a directory)");
        }
    }

    /** Whether the file at {@code p} holds what the snapshot has (md5 by name, or the bytes for __repo_info). */
    private boolean sameContent(Path p, Item f) throws IOException {
        Md5Name n = Md5Name.parse(f.node.name());
        if (n != null && !f.rel.equals(DorisLayout.REPO_INFO)) {
            MessageDigest md = Md5Name.newDigest();
            try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
                byte[] buf = new byte[1 << 16];
                for (int r = in.read(buf); r > 0; r = in.read(buf)) {
                    md.update(buf, 0, r);
                }
            }
            return Md5Name.hex(md.digest()).equals(n.md5());
        }
        byte[] have = Files.readAllBytes(p);
        try (InputStream in = new ContentStream(repo, f.node)) {
            return Arrays.equals(have, in.readAllBytes());
        }
    }

    /**
     * Whether an existing {@code __repo_info} names the same repository. Doris' CREATE REPOSITORY
     * writes one with its own create time, and accepts one of the same name that is already there;
     * so a repository created before the restore keeps its own, untouched.
     */
    private static boolean sameRepository(Path p, Item f, BasicFileAttributes a) {
        if (!f.rel.equals(DorisLayout.REPO_INFO) || a.size() > 1 << 20) {
            return false;
        }
        try {
            JsonNode have = Json.MAPPER.readTree(Files.readAllBytes(p));
            String want = p.getParent().getFileName().toString().substring(DorisLayout.REPOSITORY_PREFIX.length());
            return have != null && have.path("name").asText("").equals(want);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private long write(Path repoDir, List<Item> items) throws IOException {
        AtomicLong bytes = new AtomicLong();
        int i = 0;
        // Everything before the meta and info files in parallel; those two after, in order.
        int parallelEnd = 0;
        while (parallelEnd < items.size() && rank(items.get(parallelEnd).rel) <= 1) {
            parallelEnd++;
        }
        if (parallelEnd > 0 && rank(items.get(0).rel) == 0) {
            bytes.addAndGet(writeOne(repoDir, items.get(0)));
            i = 1;
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "arca-doris-restore");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Long>> futures = new ArrayList<>();
            for (; i < parallelEnd; i++) {
                Item item = items.get(i);
                futures.add(pool.submit(() -> writeOne(repoDir, item)));
            }
            IOException first = null;
            for (Future<Long> f : futures) {
                try {
                    bytes.addAndGet(f.get());
                } catch (ExecutionException e) {
                    if (first == null) {
                        first = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted");
                }
            }
            if (first != null) {
                throw first;
            }
        } finally {
            pool.shutdownNow();
        }
        for (; i < items.size(); i++) {
            bytes.addAndGet(writeOne(repoDir, items.get(i)));
        }
        return bytes.get();
    }

    /** Writes one file under a temporary name, checks its md5, and renames it into place. */
    private long writeOne(Path repoDir, Item item) throws IOException {
        Path target = repoDir.resolve(item.rel);
        Path tmp = target.resolveSibling("." + target.getFileName() + ".arca-restore");
        Files.deleteIfExists(tmp);
        MessageDigest md = Md5Name.newDigest();
        long n = 0;
        boolean ok = false;
        try {
            try (InputStream in = new ContentStream(repo, item.node);
                 OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                         LinkOption.NOFOLLOW_LINKS)) {
                byte[] buf = new byte[1 << 16];
                for (int r = in.read(buf); r > 0; r = in.read(buf)) {
                    md.update(buf, 0, r);
                    out.write(buf, 0, r);
                    n += r;
                    progress.bytes.addAndGet(r);
                }
            }
            Md5Name name = Md5Name.parse(item.node.name());
            if (name != null && !item.rel.equals(DorisLayout.REPO_INFO)) {
                String got = Md5Name.hex(md.digest());
                if (!got.equals(name.md5())) {
                    throw new CorruptObjectException(target.toString(), "md5 of the restored content is " + got
                            + ", the name says " + name.md5());
                }
            }
            if (n != item.node.size()) {
                throw new CorruptObjectException(target.toString(), "restored " + n + " bytes, the snapshot says "
                        + item.node.size());
            }
            Files.setLastModifiedTime(tmp, FileTime.from(item.node.mtime()));
            try {
                Files.move(tmp, target);
            } catch (FileAlreadyExistsException e) {
                throw new ConflictException(List.of(target.toString()));
            }
            ok = true;
        } finally {
            if (!ok) {
                Files.deleteIfExists(tmp);
            }
        }
        progress.files.incrementAndGet();
        return n;
    }
}
