package dev.arca.format.repo;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import dev.arca.format.id.BlobId;
import dev.arca.format.id.BlobType;
import dev.arca.format.id.FileId;
import dev.arca.format.index.BlobIndex;
import dev.arca.format.index.BlobLocation;
import dev.arca.format.mark.Mark;
import dev.arca.format.index.IndexFile;
import dev.arca.format.pack.PackEntry;
import dev.arca.format.pack.PackWriter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One writing session: stores new blobs in packs, packs in the backend, and index files listing
 * the stored packs. Thread-safe: {@link #save} may be called from many threads at once.
 *
 * <p>Order of effects (spec §13): a pack is stored, then an index file lists it (every
 * {@value #INDEX_EVERY_BLOBS} blobs or {@value #INDEX_EVERY_SECONDS} seconds, and at
 * {@link #flush()}), and only then are its blobs visible in the {@link BlobIndex}. A crash loses
 * at most unindexed packs, which no snapshot can refer to yet.
 *
 * <p>Data blobs go to one of {@value #DATA_PACKERS} open packs chosen at random (spec §15), tree
 * blobs to their own pack. Packs are built in the backend's staging directory when it has one
 * (a local repository does), so memory holds no pack bytes; otherwise memory holds the open
 * packs plus {@value #UPLOADS_IN_FLIGHT} packs being stored.
 *
 * <p>Once a store or index write has failed, every later call fails with that error.
 *
 * <p>Concurrent prunes (spec §13.1): a blob found only in a pack that a prune has marked for
 * deletion is stored again rather than reused. The packs whose blobs this session did reuse are
 * remembered; {@link #flush()} then looks for deletion marks that appeared during the session
 * and, for packs it reused, writes a cancellation before the snapshot can be stored (or fails if
 * the mark is too close to its deletion time for a cancellation to be seen in time).
 */
public final class BlobWriter implements AutoCloseable {
    static final int DATA_PACKERS = 2;
    static final int UPLOADS_IN_FLIGHT = 3;
    static final int INDEX_EVERY_BLOBS = 32768;
    static final int INDEX_EVERY_SECONDS = 300;

    /** What {@link #save} did. */
    public record Saved(BlobId id, boolean added, long storedLength) {
    }

    private final Repository repo;
    private final BlobIndex index;
    private final Path staging;
    private final int packSize;
    private final Packer[] dataPackers = new Packer[DATA_PACKERS];
    private final Packer treePacker;
    private final ConcurrentHashMap<BlobId, Boolean> pending = new ConcurrentHashMap<>();
    private final ExecutorService uploader;
    private final Semaphore inFlight = new Semaphore(UPLOADS_IN_FLIGHT);
    private final Object indexLock = new Object();
    private final List<IndexFile.Pack> unindexed = new ArrayList<>();
    private int unindexedBlobs;
    private long lastIndexNanos = System.nanoTime();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final ThreadLocal<ZstdCompressCtx> zstd;
    /** Every context {@link #zstd} made: native memory that only {@link ZstdCompressCtx#close()} frees. */
    private final java.util.Queue<ZstdCompressCtx> zstdContexts = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final AtomicLong blobsAdded = new AtomicLong();
    private final AtomicLong bytesAdded = new AtomicLong();
    private final AtomicLong bytesStored = new AtomicLong();
    private final List<FileId> indexFilesWritten = new ArrayList<>();
    private boolean closed;
    /** Whether blobs the index already lists are skipped (false only for prune's repacking). */
    private final boolean dedup;
    /** Packs in delete marks this session knows of: their blobs are not reused. */
    private final Set<FileId> avoided = ConcurrentHashMap.newKeySet();
    /** Delete marks already taken into account. */
    private final Set<FileId> knownMarks = ConcurrentHashMap.newKeySet();
    /** Packs holding blobs this session reused instead of storing. */
    private final Set<FileId> reused = ConcurrentHashMap.newKeySet();

    /** One open pack, guarded by its own monitor. */
    private final class Packer {
        private final BlobType type;
        private PackWriter writer;

        Packer(BlobType type) {
            this.type = type;
        }

        /** Adds a blob; returns a finished pack when this one reached its target size. */
        synchronized PackWriter.Finished add(BlobId id, int flags, int rawLength, byte[] payload, int off, int len)
                throws IOException {
            if (writer == null) {
                writer = newPackWriter(type == BlobType.DATA ? packSize + (packSize >> 3) : 1 << 20);
            }
            writer.add(type, id, flags, rawLength, payload, off, len);
            if (writer.size() >= packSize) {
                PackWriter.Finished f = writer.finish();
                writer = null;
                return f;
            }
            return null;
        }

        /** Drops the open pack (its blobs were never indexed) and its staging file. */
        synchronized void abandon() {
            if (writer != null) {
                writer.fail();
                writer = null;
            }
        }

        synchronized PackWriter.Finished finish() throws IOException {
            if (writer == null || writer.isEmpty()) {
                if (writer != null) {
                    writer.fail();
                }
                writer = null;
                return null;
            }
            PackWriter.Finished f = writer.finish();
            writer = null;
            return f;
        }
    }

    BlobWriter(Repository repo, BlobIndex index) throws IOException {
        this(repo, index, true);
    }

    BlobWriter(Repository repo, BlobIndex index, boolean dedup) throws IOException {
        this.repo = repo;
        this.dedup = dedup;
        if (dedup) {
            for (Repository.MarkRef m : repo.marks(e -> { })) {
                if (m.mark().kind() == Mark.Kind.DELETE) {
                    knownMarks.add(m.id());
                    for (Mark.Item i : m.mark().items()) {
                        avoided.add(i.pack());
                    }
                }
            }
        }
        dev.arca.format.crypto.CryptoWarmup.start();
        this.staging = repo.backend().stagingDirectory();
        this.index = index;
        this.packSize = repo.config().packSize;
        for (int i = 0; i < DATA_PACKERS; i++) {
            dataPackers[i] = new Packer(BlobType.DATA);
        }
        this.treePacker = new Packer(BlobType.TREE);
        int level = repo.compressionLevel();
        this.zstd = ThreadLocal.withInitial(() -> {
            ZstdCompressCtx c = new ZstdCompressCtx().setLevel(level);
            zstdContexts.add(c);
            return c;
        });
        this.uploader = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "arca-pack-store");
            t.setDaemon(true);
            return t;
        });
    }

    /** A per-thread buffer for compressed output, reused across blobs (sealing copies out of it). */
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[0]);

    private static byte[] scratch(int len) {
        int need = (int) Zstd.compressBound(len);
        byte[] b = SCRATCH.get();
        if (b.length < need) {
            b = new byte[Math.max(need, 1 << 16)];
            SCRATCH.set(b);
        }
        return b;
    }

    /**
     * A writer for the next pack: in the backend's staging directory when it has one (then memory
     * holds no pack bytes at all), else in memory.
     */
    private PackWriter newPackWriter(int expectedSize) throws IOException {
        byte[] salt = new byte[32];
        repo.random().nextBytes(salt);
        if (staging != null) {
            Path file = staging.resolve("pack-" + java.util.HexFormat.of().formatHex(salt, 0, 12) + ".tmp");
            return new PackWriter(repo.keys().encKey(), salt, file);
        }
        return new PackWriter(repo.keys().encKey(), salt, expectedSize);
    }

    public Repository repository() {
        return repo;
    }

    /** Stores a blob unless the repository or this session already has it. */
    public Saved save(BlobType type, byte[] data) throws IOException {
        return save(type, data, 0, data.length);
    }

    public Saved save(BlobType type, byte[] data, int off, int len) throws IOException {
        checkFailure();
        BlobId id = repo.hasher().id(data, off, len);
        if (pending.containsKey(id) || dedup && reusable(id) || pending.putIfAbsent(id, Boolean.TRUE) != null) {
            return new Saved(id, false, 0);
        }
        boolean stored = false;
        try {
            int flags = 0;
            byte[] payload = data;
            int pOff = off;
            int pLen = len;
            int level = repo.compressionLevel();
            if (level != 0 && len >= 128) {
                byte[] z = scratch(len);
                int n = zstd.get().compressByteArray(z, 0, z.length, data, off, len);
                if (n <= len - len / 32) {
                    flags = PackEntry.FLAG_ZSTD;
                    payload = z;
                    pOff = 0;
                    pLen = n;
                }
            }
            Packer p = type == BlobType.TREE ? treePacker : dataPackers[ThreadLocalRandom.current().nextInt(DATA_PACKERS)];
            PackWriter.Finished done = p.add(id, flags, len, payload, pOff, pLen);
            stored = true;
            blobsAdded.incrementAndGet();
            bytesAdded.addAndGet(len);
            long sealed = dev.arca.format.crypto.SegmentedAead.sealedLength(pLen);
            bytesStored.addAndGet(sealed);
            if (done != null) {
                try {
                    store(done);
                } catch (IOException | RuntimeException e) {
                    // The finished pack is lost with its blobs: nothing later may count on them.
                    failure.compareAndSet(null, e);
                    throw e;
                }
            }
            return new Saved(id, true, sealed);
        } finally {
            if (!stored) {
                pending.remove(id);
            }
        }
    }

    /**
     * Whether the repository holds this blob in a pack that no known delete mark names, so that
     * a snapshot of this session may refer to it without storing it again. Records the pack for
     * the check in {@link #flush()}.
     */
    public boolean reusable(BlobId id) throws IOException {
        BlobLocation loc = index.find(id);
        if (loc == null) {
            return false;
        }
        // Recorded before the avoided set is read: flush adds to that set before reading this one,
        // so a mark that arrives meanwhile is seen by one side or the other.
        reused.add(loc.pack());
        return !avoided.contains(loc.pack());
    }

    /**
     * Cancels, for the packs this session reused, every delete mark written since the session
     * began; fails if one of them may already be acted on. Called after the last blob was saved
     * and before a snapshot may refer to them.
     */
    private void protectReused() throws IOException {
        List<Repository.MarkRef> marks = repo.marks(e -> { });
        List<Mark.Item> cancels = new ArrayList<>();
        java.time.Instant now = java.time.Instant.now();
        for (Repository.MarkRef m : marks) {
            if (m.mark().kind() != Mark.Kind.DELETE || knownMarks.contains(m.id())) {
                continue;
            }
            for (Mark.Item i : m.mark().items()) {
                avoided.add(i.pack());
            }
            knownMarks.add(m.id());
            List<Mark.Item> hit = new ArrayList<>();
            for (Mark.Item i : m.mark().items()) {
                if (reused.contains(i.pack())) {
                    hit.add(new Mark.Item(i.pack(), 0, m.id()));
                }
            }
            if (hit.isEmpty()) {
                continue;
            }
            java.time.Duration grace = java.time.Duration.between(m.mark().created(), m.mark().notBefore());
            java.time.Duration margin = grace.dividedBy(2).compareTo(CANCEL_MARGIN) < 0 ? grace.dividedBy(2) : CANCEL_MARGIN;
            if (!now.plus(margin).isBefore(m.mark().notBefore())) {
                throw new IOException("a prune marked " + hit.size() + " pack(s) that this backup reused for deletion "
                        + "after " + m.mark().notBefore() + " (mark " + m.id().shortHex() + "), too soon for this backup "
                        + "to keep them: the prune's grace period (" + grace + ") must be longer than a backup runs. "
                        + "No snapshot was stored; run the backup again");
            }
            cancels.addAll(hit);
        }
        if (!cancels.isEmpty()) {
            repo.saveMark(Mark.cancel(now, Mark.localHost(), cancels));
        }
    }

    /** How long before a mark's deletion time a cancellation must be written at the latest. */
    static final java.time.Duration CANCEL_MARGIN = java.time.Duration.ofMinutes(10);

    private void store(PackWriter.Finished pack) throws IOException {
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to store a pack");
        }
        try {
            uploader.execute(() -> {
                try {
                    if (failure.get() == null) {
                        if (pack.file() != null) {
                            repo.backend().saveFile(Repository.packHandle(pack.id()), pack.file());
                        } else {
                            repo.backend().save(Repository.packHandle(pack.id()), pack.payload());
                        }
                        packStored(pack);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    discard(pack);
                    inFlight.release();
                }
            });
        } catch (RuntimeException e) {
            inFlight.release();
            throw e;
        }
    }

    /** Removes a finished pack's staging file if it is still there (storing failed or was skipped). */
    private static void discard(PackWriter.Finished pack) {
        if (pack.file() != null) {
            try {
                java.nio.file.Files.deleteIfExists(pack.file());
            } catch (IOException ignored) {
                // a leftover .tmp file, which readers ignore
            }
        }
    }

    private void packStored(PackWriter.Finished pack) throws IOException {
        synchronized (indexLock) {
            unindexed.add(new IndexFile.Pack(pack.id(), pack.salt(), pack.length(), pack.entries()));
            unindexedBlobs += pack.entries().size();
            if (unindexedBlobs >= INDEX_EVERY_BLOBS
                    || System.nanoTime() - lastIndexNanos > TimeUnit.SECONDS.toNanos(INDEX_EVERY_SECONDS)) {
                writeIndexLocked();
            }
        }
    }

    private void writeIndexLocked() throws IOException {
        if (unindexed.isEmpty()) {
            return;
        }
        IndexFile f = new IndexFile(List.of(), unindexed);
        FileId id = repo.saveIndexFile(f);
        index.add(List.of(new BlobIndex.Loaded(id, f)));
        for (IndexFile.Pack p : unindexed) {
            for (PackEntry e : p.entries()) {
                pending.remove(e.id());
            }
        }
        indexFilesWritten.add(id);
        unindexed.clear();
        unindexedBlobs = 0;
        lastIndexNanos = System.nanoTime();
    }

    /**
     * Stores every open pack and an index file for everything stored so far. After it returns,
     * all blobs saved before the call are durable and findable; a snapshot may refer to them.
     */
    public void flush() throws IOException {
        checkFailure();
        for (Packer p : dataPackers) {
            PackWriter.Finished f = p.finish();
            if (f != null) {
                store(f);
            }
        }
        PackWriter.Finished t = treePacker.finish();
        if (t != null) {
            store(t);
        }
        try {
            inFlight.acquire(UPLOADS_IN_FLIGHT);
            inFlight.release(UPLOADS_IN_FLIGHT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for packs to be stored");
        }
        checkFailure();
        synchronized (indexLock) {
            writeIndexLocked();
        }
        if (dedup) {
            protectReused();
        }
    }

    private void checkFailure() throws IOException {
        Throwable t = failure.get();
        if (t == null) {
            return;
        }
        if (t instanceof IOException io) {
            throw new IOException("storing a pack failed: " + io.getMessage(), io);
        }
        throw new IOException("storing a pack failed", t);
    }

    /** Blobs this session added (not counting those it found already stored). */
    public long blobsAdded() {
        return blobsAdded.get();
    }

    /** Plaintext bytes of the blobs this session added. */
    public long bytesAdded() {
        return bytesAdded.get();
    }

    /** Stored (compressed and sealed) bytes of the blobs this session added. */
    public long bytesStored() {
        return bytesStored.get();
    }

    public List<FileId> indexFilesWritten() {
        synchronized (indexLock) {
            return List.copyOf(indexFilesWritten);
        }
    }

    /**
     * Stops the store threads and frees the compression contexts. Blobs saved since the last
     * {@link #flush()} are abandoned. Call it after every {@link #save} has returned.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Packer p : dataPackers) {
            p.abandon();
        }
        treePacker.abandon();
        uploader.shutdown();
        try {
            uploader.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ZstdCompressCtx c; (c = zstdContexts.poll()) != null; ) {
            c.close();
        }
    }
}
