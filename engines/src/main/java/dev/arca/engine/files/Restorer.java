package dev.arca.engine.files;

import dev.arca.format.CorruptObjectException;
import dev.arca.format.MissingObjectException;
import dev.arca.format.id.BlobId;
import dev.arca.format.id.FileId;
import dev.arca.format.index.BlobLocation;
import dev.arca.format.pack.PackEntry;
import dev.arca.format.repo.Repository;
import dev.arca.format.tree.Node;
import dev.arca.format.tree.NodeKind;
import dev.arca.format.tree.Tree;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Restores a snapshot's tree into a target directory.
 *
 * <p>The walk creates directories and empty files and collects, per batch of files, which blob
 * goes where; the batch is then executed pack by pack on a pool: each pack's needed range is
 * read once, every blob in it is authenticated, checked against its id and written to every
 * place that needs it; the walk goes on while a batch is written. A file is created by its first
 * write, and its metadata set when it is complete; a directory's symlinks are created when the
 * walk leaves it, and its metadata set once the batch holding its files is done, so memory does
 * not grow with the number of directories.
 *
 * <p>Nothing is written outside the target: tree names cannot contain '/' or be '..' (the tree
 * decoder refuses them), existing symlinks in the way are never followed (files are opened with
 * {@code O_NOFOLLOW}, and every directory on the way is checked to be a real directory before
 * anything below it is touched, whether it is restored or only passed through), and symlinks
 * from the snapshot are created only after everything else in their directory.
 *
 * <p>Errors on single entries are reported and the restore goes on; the result says how many
 * there were, and whether any was an integrity error.
 */
public final class Restorer {
    static final int BATCH_FILES = 8192;
    static final int BATCH_BLOBS = 65536;
    private static final long COALESCE_GAP = 1 << 20;
    /** A coalesced read is at most this long (unless one blob is longer). */
    private static final long MAX_READ = 4 << 20;
    /** Bytes of packs being read and decrypted at once, over all threads. */
    private static final int READ_BUDGET = 16 << 20;
    /**
     * Writer threads. More than cores: creating and writing files waits on the file system, and
     * overlapping those waits is what makes restoring many small files fast.
     */
    static final int THREADS = 8;

    /** How to restore. */
    public record Options(Path target, PathFilter include, boolean restoreOwnership) {
    }

    /** What was restored. */
    public record Result(long files, long dirs, long symlinks, long bytes, List<String> errors, boolean integrityError) {
    }

    /** Live counters, for progress displays. */
    public static final class Progress {
        public final AtomicLong files = new AtomicLong();
        public final AtomicLong bytes = new AtomicLong();
    }

    private final Repository repo;
    private final Options options;
    private final Progress progress;
    private final Consumer<String> errorSink;
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    /**
     * The access time restored entries get (trees keep no atime); given explicitly, because
     * leaving it unchanged costs a stat per entry.
     */
    private final FileTime accessTime = FileTime.from(Instant.now());
    private volatile boolean integrityError;
    private final Path target;
    /** The first name of every multiply-linked file restored so far, by device and inode. */
    private final Map<String, FileTask> hardlinks = new HashMap<>();
    private List<Link> pendingLinks = new ArrayList<>();
    private List<Link> inFlightLinks = new ArrayList<>();
    private Path lastParent;
    private long fileCount;
    private long dirCount;
    private long symlinkCount;
    private final AtomicLong byteCount = new AtomicLong();
    private final Semaphore readBudget = new Semaphore(READ_BUDGET);

    private List<FileTask> batchFiles = new ArrayList<>();
    private Map<BlobId, List<Target>> batchBlobs = new HashMap<>();
    private Map<BlobId, BlobLocation> batchLocations = new HashMap<>();
    private List<Future<?>> inFlight;
    private List<DirMeta> batchDirs = new ArrayList<>();
    private List<DirMeta> inFlightDirs = new ArrayList<>();
    private int defaultFileMode = -1;
    private int defaultDirMode = -1;
    private int uid = -1;
    private int gid = -1;
    private int batchRefs;

    private record Target(FileTask file, long offset) {
    }

    private record DirMeta(Path path, Node node, boolean fresh) {
    }

    /** A further name of a file whose first name a pending batch creates. */
    private record Link(Path path, FileTask first) {
    }

    private void link(Path p, Path first) throws IOException {
        Files.deleteIfExists(p);
        Files.createLink(p, first);
    }

    private static final class FileTask {
        final Path path;
        final Node node;
        final AtomicInteger remaining;
        volatile boolean failed;
        /** Opened for writing at least once (guarded by the task's monitor). */
        boolean created;
        /** This restore created the file, rather than overwriting one that was there. */
        volatile boolean fresh;

        FileTask(Path path, Node node, int blobs) {
            this.path = path;
            this.node = node;
            this.remaining = new AtomicInteger(blobs);
        }
    }

    public Restorer(Repository repo, Options options, Progress progress, Consumer<String> errorSink) {
        this.repo = repo;
        this.options = options;
        this.progress = progress;
        this.errorSink = errorSink;
        this.target = options.target().toAbsolutePath().normalize();
        dev.arca.format.crypto.CryptoWarmup.start();
    }

    /** Restores the tree {@code root} (a snapshot's root tree) into the target. */
    public Result restore(BlobId root) throws IOException {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(target + " exists and is not a directory");
        }
        Files.createDirectories(target);
        learnDefaults();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "arca-restore");
            t.setDaemon(true);
            return t;
        });
        try {
            walk(repo.loadTree(root), target, "", pool);
            runBatch(pool);
            awaitBatch();
        } finally {
            pool.shutdownNow();
        }
        return new Result(fileCount, dirCount, symlinkCount, byteCount.get(), List.copyOf(errors), integrityError);
    }

    private void walk(Tree tree, Path dir, String rel, ExecutorService pool) throws IOException {
        List<Node> links = new ArrayList<>();
        for (Node n : tree.nodes()) {
            String path = rel + "/" + n.name();
            Path p = dir.resolve(n.name());
            if (!p.getParent().equals(dir) || !p.startsWith(target)) {
                // Names are validated when trees are decoded; this is the last line of defence.
                error(path, new IOException("refusing an entry name that leaves its directory"));
                continue;
            }
            boolean included = options.include().includes(path, n.isDir());
            try {
                switch (n.kind()) {
                    case DIR -> directory(n, p, path, included, pool);
                    case FILE -> {
                        if (included) {
                            file(p, path, n, pool);
                        }
                    }
                    case SYMLINK -> {
                        if (included) {
                            ensureParents(p);
                            links.add(n);
                        }
                    }
                    case SOCKET -> {
                        // Like restic: a socket is its server's to create; nothing to restore.
                    }
                    default -> {
                        if (included) {
                            special(p, n);
                        }
                    }
                }
            } catch (IOException e) {
                error(path, e);
            }
        }
        // Symlinks last: nothing in this directory is written through them. Names in a tree are
        // unique, so no later path of this restore can pass through one either.
        for (Node l : links) {
            createSymlink(dir.resolve(l.name()), l);
        }
    }

    private void directory(Node n, Path p, String path, boolean included, ExecutorService pool) throws IOException {
        Tree sub;
        try {
            sub = repo.loadTree(n.subtree());
        } catch (CorruptObjectException | MissingObjectException e) {
            integrityError = true;
            error(path, e);
            return;
        }
        if (!realDirectoryOrAbsent(p, path)) {
            return;
        }
        Boolean fresh = null;
        if (included) {
            fresh = makeDirectory(p, path);
            if (fresh == null) {
                return;
            }
            dirCount++;
        }
        if (included || options.include().mayIncludeBelow(path)) {
            walk(sub, p, path, pool);
        }
        if (included) {
            if ((n.mode() & 0700) != 0700 && !options.restoreOwnership()) {
                // Without root, a directory we may not write or search would block the pending writes.
                runBatch(pool);
                awaitBatch();
            }
            leave(new DirMeta(p, n, fresh));
        }
    }

    /**
     * A directory's metadata is set once the files in it exist: files are created by their first
     * write, in the batch that holds them, so the directory waits for that batch (batches finish
     * in order). Memory holds only the directories left while a batch is pending.
     */
    private void leave(DirMeta d) {
        if (!batchFiles.isEmpty() || !pendingLinks.isEmpty()) {
            batchDirs.add(d);
        } else if (inFlight != null) {
            inFlightDirs.add(d);
        } else {
            applyMetadata(d.path(), d.node(), false, d.fresh());
        }
    }

    /**
     * Whether {@code p} is a real directory or absent. Anything else in the way (a symlink above
     * all) is refused with the whole subtree, so nothing below it is written through it.
     */
    private boolean realDirectoryOrAbsent(Path p, String rel) throws IOException {
        try {
            if (Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .isDirectory()) {
                return true;
            }
        } catch (java.nio.file.NoSuchFileException absent) {
            return true;
        }
        error(rel, new IOException("something that is not a directory is in the way; its subtree is skipped"));
        return false;
    }

    /** FIFOs with mkfifo; device nodes with mknod, as root. */
    private void special(Path p, Node n) throws IOException {
        ensureParents(p);
        List<String> cmd = switch (n.kind()) {
            case FIFO -> List.of("mkfifo", "-m", Integer.toOctalString(n.mode()), p.toString());
            case CHAR_DEVICE, BLOCK_DEVICE -> {
                if (!options.restoreOwnership()) {
                    throw new IOException("skipped: creating a device node needs root");
                }
                long rdev = n.rdev();
                long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
                long minor = (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
                yield List.of("mknod", "-m", Integer.toOctalString(n.mode()), p.toString(),
                        n.kind() == NodeKind.CHAR_DEVICE ? "c" : "b", Long.toString(major), Long.toString(minor));
            }
            default -> throw new IOException("skipped: arca does not restore " + n.kind().name().toLowerCase());
        };
        Files.deleteIfExists(p);
        run(cmd);
        // The JDK opens a file to change its mode or times, and opening a FIFO blocks until a
        // writer comes: set them with the tools instead (mode came with mkfifo/mknod).
        Instant t = n.mtime();
        run(List.of("touch", "-h", "-m", "-d", "@" + t.getEpochSecond() + "." + String.format("%09d", t.getNano()),
                p.toString()));
        if (options.restoreOwnership()) {
            run(List.of("chown", "-h", n.uid() + ":" + n.gid(), p.toString()));
        }
        fileCount++;
    }

    private static void run(List<String> cmd) throws IOException {
        try {
            Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(proc.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            if (proc.waitFor() != 0) {
                throw new IOException(cmd.get(0) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
    }

    /**
     * Creates a directory, or accepts a real one already there; refuses a symlink in the way.
     * Returns whether it was created, or null when it cannot be used.
     */
    private Boolean makeDirectory(Path p, String rel) throws IOException {
        ensureParents(p);
        try {
            Files.createDirectory(p);
            return Boolean.TRUE;
        } catch (FileAlreadyExistsException e) {
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                return Boolean.FALSE;
            }
            error(rel, new IOException("something that is not a directory is in the way"));
            return null;
        }
    }

    /**
     * Makes sure the parent of {@code p} is a real directory under the target, creating it (and
     * its parents) when an include filter left it out; never accepts a symlink in the way.
     */
    private void ensureParents(Path p) throws IOException {
        Path parent = p.getParent();
        if (parent.equals(target) || parent.equals(lastParent)) {
            return;
        }
        if (!Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
            if (Files.exists(parent, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("something that is not a directory is in the way at /" + target.relativize(parent));
            }
            ensureParents(parent);
            Files.createDirectory(parent);
        }
        lastParent = parent;
    }

    private void file(Path p, String rel, Node n, ExecutorService pool) throws IOException {
        ensureParents(p);
        String linkKey = n.links() > 1 && n.inode() != 0 ? n.device() + ":" + n.inode() : null;
        if (linkKey != null) {
            FileTask first = hardlinks.get(linkKey);
            if (first != null) {
                fileCount++;
                progress.files.incrementAndGet();
                boolean exists;
                synchronized (first) {
                    exists = first.created;
                }
                if (exists) {
                    link(p, first.path);
                } else {
                    // The first name is created by the pending batch's writes; link after them.
                    pendingLinks.add(new Link(p, first));
                }
                return;
            }
        }
        List<BlobId> content;
        try {
            content = repo.contentOf(n);
        } catch (CorruptObjectException | MissingObjectException e) {
            integrityError = true;
            throw e;
        }
        fileCount++;
        FileTask task = new FileTask(p, n, content.size());
        if (linkKey != null) {
            hardlinks.put(linkKey, task);
        }
        if (content.isEmpty()) {
            // Created now: an empty file has no write to create it.
            create(task).close();
        }
        if (content.isEmpty()) {
            applyMetadata(p, n, false, task.fresh);
            progress.files.incrementAndGet();
            return;
        }
        if (batchRefs + content.size() > BATCH_BLOBS && !batchFiles.isEmpty() || batchFiles.size() >= BATCH_FILES) {
            runBatch(pool);
        }
        batchFiles.add(task);
        long offset = 0;
        for (BlobId id : content) {
            BlobLocation loc = repo.index().find(id);
            if (loc == null) {
                integrityError = true;
                task.failed = true;
                throw new MissingObjectException("blob " + id.hex(), "not in any index file (needed by " + rel + ")");
            }
            batchBlobs.computeIfAbsent(id, k -> new ArrayList<>(1)).add(new Target(task, offset));
            batchLocations.putIfAbsent(id, loc);
            offset += loc.rawLength();
            batchRefs++;
        }
    }

    /**
     * Starts reading the packs the current batch needs, each range once, writing every blob where
     * it goes; the walk goes on meanwhile. At most one batch is in flight: starting one waits for
     * the previous to finish.
     */
    private void runBatch(ExecutorService pool) throws IOException {
        awaitBatch();
        if (batchFiles.isEmpty()) {
            return;
        }
        Map<FileId, List<BlobLocation>> byPack = new HashMap<>();
        for (BlobLocation loc : batchLocations.values()) {
            byPack.computeIfAbsent(loc.pack(), k -> new ArrayList<>()).add(loc);
        }
        Map<BlobId, List<Target>> blobs = batchBlobs;
        List<Future<?>> futures = new ArrayList<>();
        for (Map.Entry<FileId, List<BlobLocation>> e : byPack.entrySet()) {
            futures.add(pool.submit(() -> {
                restorePack(e.getKey(), e.getValue(), blobs);
                return null;
            }));
        }
        inFlight = futures;
        inFlightDirs = batchDirs;
        batchDirs = new ArrayList<>();
        inFlightLinks = pendingLinks;
        pendingLinks = new ArrayList<>();
        batchFiles = new ArrayList<>();
        batchBlobs = new HashMap<>();
        batchLocations = new HashMap<>();
        batchRefs = 0;
    }

    /** Waits for the batch in flight, then sets the metadata of the files it completed. */
    private void awaitBatch() throws IOException {
        if (inFlight == null) {
            return;
        }
        List<Future<?>> futures = inFlight;
        List<DirMeta> dirs = inFlightDirs;
        List<Link> links = inFlightLinks;
        inFlight = null;
        inFlightDirs = new ArrayList<>();
        inFlightLinks = new ArrayList<>();
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("restore interrupted");
            } catch (ExecutionException ee) {
                throw BackupSession.unwrap(ee);
            }
        }
        for (Link l : links) {
            if (l.first().failed) {
                error("/" + target.relativize(l.path()), new IOException("not linked: its first name could not be restored"));
                continue;
            }
            try {
                link(l.path(), l.first().path);
            } catch (IOException e) {
                error("/" + target.relativize(l.path()), e);
            }
        }
        for (DirMeta d : dirs) {
            applyMetadata(d.path(), d.node(), false, d.fresh());
        }
    }

    private void restorePack(FileId pack, List<BlobLocation> locs, Map<BlobId, List<Target>> blobs) {
        locs.sort((a, b) -> Long.compare(a.entry().offset(), b.entry().offset()));
        int i = 0;
        while (i < locs.size()) {
            int j = i + 1;
            long start = locs.get(i).entry().offset();
            long end = locs.get(i).entry().end();
            while (j < locs.size() && locs.get(j).entry().offset() - end <= COALESCE_GAP
                    && locs.get(j).entry().end() - start <= MAX_READ) {
                end = Math.max(end, locs.get(j).entry().end());
                j++;
            }
            List<BlobLocation> group = locs.subList(i, j);
            int permits = (int) Math.min(READ_BUDGET, end - start);
            readBudget.acquireUninterruptibly(permits);
            try {
                restoreRange(pack, group, start, end, blobs);
            } finally {
                readBudget.release(permits);
            }
            i = j;
        }
    }

    private void restoreRange(FileId pack, List<BlobLocation> group, long start, long end,
                              Map<BlobId, List<Target>> blobs) {
        byte[] range;
        try {
            range = repo.backend().readRange(Repository.packHandle(pack), start, (int) (end - start));
        } catch (IOException e) {
            String what = e instanceof java.nio.file.NoSuchFileException ? "pack is missing" : e.getMessage();
            if (e instanceof java.nio.file.NoSuchFileException || e instanceof java.io.EOFException) {
                integrityError = true;
            }
            for (BlobLocation l : group) {
                fail(blobs.get(l.id()), Repository.packHandle(pack).path() + ": " + what);
            }
            return;
        }
        for (BlobLocation l : group) {
            PackEntry pe = l.entry();
            List<Target> targets = blobs.get(l.id());
            byte[] plain;
            try {
                plain = repo.openBlob(pack, l.packSalt(), pe, range, (int) (pe.offset() - start));
            } catch (CorruptObjectException e) {
                integrityError = true;
                fail(targets, e.getMessage());
                continue;
            }
            for (Target t : targets) {
                write(t, plain);
            }
        }
    }

    private void write(Target t, byte[] plain) {
        FileTask f = t.file();
        if (f.failed) {
            return;
        }
        try (FileChannel ch = open(f)) {
            ByteBuffer b = ByteBuffer.wrap(plain);
            long pos = t.offset();
            while (b.hasRemaining()) {
                pos += ch.write(b, pos);
            }
            byteCount.addAndGet(plain.length);
            progress.bytes.addAndGet(plain.length);
            if (f.remaining.decrementAndGet() == 0) {
                // The last write: set the file's metadata here, in parallel, not after the batch.
                applyMetadata(f.path, f.node, false, f.fresh);
                progress.files.incrementAndGet();
            }
        } catch (IOException e) {
            f.failed = true;
            error(target.relativize(f.path).toString(), e);
        }
    }

    /** Opens a file for one blob's write; the first write creates (or truncates) it. */
    private FileChannel open(FileTask f) throws IOException {
        synchronized (f) {
            if (!f.created) {
                return create(f);
            }
        }
        return FileChannel.open(f.path, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Creates or truncates a file, never through a symlink: one in the way (from an earlier
     * restore into the same target) is removed first.
     */
    private static FileChannel create(FileTask f) throws IOException {
        try {
            FileChannel ch = FileChannel.open(f.path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            f.created = true;
            f.fresh = true;
            return ch;
        } catch (FileAlreadyExistsException exists) {
            if (Files.isSymbolicLink(f.path)) {
                Files.delete(f.path);
                return create(f);
            }
            FileChannel ch = FileChannel.open(f.path, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING,
                    LinkOption.NOFOLLOW_LINKS);
            f.created = true;
            return ch;
        }
    }

    private void fail(List<Target> targets, String why) {
        for (Target t : targets) {
            if (!t.file().failed) {
                t.file().failed = true;
                error("/" + target.relativize(t.file().path), new IOException(why));
            }
        }
    }

    private void createSymlink(Path p, Node n) {
        try {
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    throw new IOException("a directory is in the way");
                }
                Files.delete(p);
            }
            Files.createSymbolicLink(p, Path.of(n.linkTarget()));
            symlinkCount++;
            applyMetadata(p, n, true, true);
        } catch (IOException e) {
            error("/" + target.relativize(p), e);
        }
    }

    /**
     * What a new file and directory get here (the umask applied to 0666 and 0777) and who owns
     * them: metadata that already matches is not set again, which saves two to four system calls
     * per file.
     */
    private void learnDefaults() throws IOException {
        String suffix = Long.toHexString(System.nanoTime());
        Path file = target.resolve(".arca-probe-" + suffix + ".tmp");
        Path dir = target.resolve(".arca-probe-" + suffix + ".d");
        try {
            FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
            Files.createDirectory(dir);
            defaultFileMode = (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
            defaultDirMode = (Integer) Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
            uid = (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            gid = (Integer) Files.getAttribute(file, "unix:gid", LinkOption.NOFOLLOW_LINKS);
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    /**
     * Sets owner, mode and mtime. For an entry this restore created ({@code fresh}), owner and
     * mode are left alone when they already are what it got at creation.
     */
    private void applyMetadata(Path p, Node n, boolean symlink, boolean fresh) {
        try {
            if (options.restoreOwnership() && (!fresh || n.uid() != uid || n.gid() != gid)) {
                Files.setAttribute(p, "unix:uid", (int) n.uid(), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", (int) n.gid(), LinkOption.NOFOLLOW_LINKS);
            }
            if (!symlink && (!fresh || n.mode() != (n.isDir() ? defaultDirMode : defaultFileMode))) {
                Files.setAttribute(p, "unix:mode", n.mode(), LinkOption.NOFOLLOW_LINKS);
            }
            Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(FileTime.from(n.mtime()), accessTime, null);
        } catch (IOException | UnsupportedOperationException e) {
            error("/" + target.relativize(p), new IOException("could not set metadata: " + e.getMessage()));
        }
    }

    private void error(String path, IOException e) {
        String msg = path + ": " + FileBackup.describe(e);
        errors.add(msg);
        errorSink.accept(msg);
    }
}
