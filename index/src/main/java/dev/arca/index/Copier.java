package dev.arca.index;

import dev.arca.format.MissingObjectException;
import dev.arca.format.id.BlobId;
import dev.arca.format.id.BlobType;
import dev.arca.format.index.BlobIndex;
import dev.arca.format.index.BlobLocation;
import dev.arca.format.repo.BlobWriter;
import dev.arca.format.repo.Repository;
import dev.arca.format.repo.SnapshotRef;
import dev.arca.format.snapshot.Snapshot;
import dev.arca.format.tree.Node;
import dev.arca.format.tree.Tree;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies snapshots from one repository to another that shares its chunker secret, chunker
 * parameters and blob-id key ({@code init --copy-params-from}), so a blob has the same id in
 * both: only the blobs the target lacks are read, decrypted, re-encrypted under the target's key
 * and stored.
 *
 * <p>Crash safety and resumption follow the write ordering of spec §13: for each snapshot the
 * blobs' packs and index files are stored first, and the snapshot last. A snapshot the target
 * already has (same time, root tree, host and paths) is skipped, so running the copy again after
 * an interruption sends only what is still missing. The whole tree of each snapshot is walked
 * (not cut short at trees the target has), because an interrupted earlier copy may have stored a
 * tree without the data below it.
 */
public final class Copier {
    /** What happened, for the summary. */
    public record Summary(int snapshotsCopied, int snapshotsSkipped, long blobsCopied, long blobsSkipped,
                          long bytesSent, long bytesSkipped) {
    }

    /** Progress and per-snapshot events. */
    public interface Listener {
        default void snapshotCopied(SnapshotRef source, dev.arca.format.id.FileId target) {
        }

        default void snapshotSkipped(SnapshotRef source) {
        }
    }

    /** Blob copies in flight at once: reads from the source overlap with sealing and storing. */
    private static final int THREADS = 4;
    private static final int QUEUED = 32;

    private final Repository source;
    private final Repository target;
    private final Listener listener;
    private final AtomicLong blobsCopied = new AtomicLong();
    private final AtomicLong blobsSkipped = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong bytesSkipped = new AtomicLong();
    private final AtomicLong bytesRead = new AtomicLong();

    public Copier(Repository source, Repository target, Listener listener) {
        this.source = source;
        this.target = target;
        this.listener = listener;
    }

    /**
     * Why blobs of {@code source} cannot be copied into {@code target} as they are, or null if
     * they can: the two must share the id key, the chunker secret and the chunker parameters.
     */
    public static String incompatibility(Repository source, Repository target) {
        if (!source.keys().sharesContentKeys(target.keys())) {
            return "the target " + target.backend().location() + " has another chunker secret and blob-id key than "
                    + source.backend().location() + "; arca does not re-chunk: initialize the target with "
                    + "'arca init --copy-params-from " + source.backend().location() + "'";
        }
        if (!source.config().chunkerParams().equals(target.config().chunkerParams())) {
            return "the target " + target.backend().location() + " has other chunker parameters ("
                    + target.config().chunkerParams() + " vs " + source.config().chunkerParams()
                    + "); initialize the target with 'arca init --copy-params-from " + source.backend().location() + "'";
        }
        return null;
    }

    /** Bytes of source blobs read so far (for progress). */
    public long bytesRead() {
        return bytesRead.get();
    }

    public long bytesSent() {
        return bytesSent.get();
    }

    /** Snapshot identity across repositories: the same backup copied stays the same backup. */
    private record Identity(String time, String tree, String host, List<String> paths, String engine) {
        static Identity of(Snapshot s) {
            return new Identity(s.time, s.tree, s.host, List.copyOf(s.paths), s.engine);
        }
    }

    /** Copies the snapshots, oldest first; those the target has are skipped. */
    public Summary copy(List<SnapshotRef> snapshots) throws IOException {
        String problem = incompatibility(source, target);
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
        Set<Identity> present = new HashSet<>();
        for (SnapshotRef r : target.snapshots(e -> { })) {
            present.add(Identity.of(r.snapshot()));
        }
        int copied = 0;
        int skipped = 0;
        ExecutorService pool = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "arca-copy");
            t.setDaemon(true);
            return t;
        });
        try {
            Set<BlobId> walked = new HashSet<>();
            for (SnapshotRef ref : snapshots) {
                if (present.contains(Identity.of(ref.snapshot()))) {
                    skipped++;
                    listener.snapshotSkipped(ref);
                    continue;
                }
                try (BlobWriter writer = target.newWriter()) {
                    Batch batch = new Batch(pool, writer);
                    copyTree(ref.snapshot().treeId(), batch, walked);
                    batch.finish();
                    writer.flush();
                }
                dev.arca.format.id.FileId id = target.saveSnapshot(ref.snapshot().copy());
                present.add(Identity.of(ref.snapshot()));
                copied++;
                listener.snapshotCopied(ref, id);
            }
        } finally {
            pool.shutdownNow();
        }
        return new Summary(copied, skipped, blobsCopied.get(), blobsSkipped.get(), bytesSent.get(), bytesSkipped.get());
    }

    /** The blob copies of one snapshot, run on the pool with a bounded queue. */
    private final class Batch {
        private final ExecutorService pool;
        private final BlobWriter writer;
        private final Semaphore slots = new Semaphore(QUEUED);
        private final List<Future<?>> futures = new ArrayList<>();
        private final Set<BlobId> seen = new HashSet<>();

        Batch(ExecutorService pool, BlobWriter writer) {
            this.pool = pool;
            this.writer = writer;
        }

        void submit(BlobId id) throws IOException {
            if (!seen.add(id)) {
                return;
            }
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted");
            }
            futures.add(pool.submit(() -> {
                try {
                    copyBlob(id, writer);
                    return null;
                } finally {
                    slots.release();
                }
            }));
            if (futures.size() >= 4096) {
                drain();
            }
        }

        private void drain() throws IOException {
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted");
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IOException(e.getCause());
                }
            }
            futures.clear();
        }

        void finish() throws IOException {
            drain();
        }
    }

    private void copyTree(BlobId treeId, Batch batch, Set<BlobId> walked) throws IOException {
        if (!walked.add(treeId)) {
            return;
        }
        Tree tree = source.loadTree(treeId);
        for (Node n : tree.nodes()) {
            if (n.isDir()) {
                copyTree(n.subtree(), batch, walked);
            } else if (n.isFile()) {
                if (n.contentIsIndirect()) {
                    for (BlobId listId : n.content()) {
                        batch.submit(listId);
                        for (BlobId id : Tree.decodeContentList(source.loadBlob(listId), "content list " + listId.hex())) {
                            batch.submit(id);
                        }
                    }
                } else {
                    for (BlobId id : n.content()) {
                        batch.submit(id);
                    }
                }
            }
        }
        batch.submit(treeId);
    }

    private void copyBlob(BlobId id, BlobWriter writer) throws IOException {
        BlobIndex targetIndex = target.index();
        BlobLocation have = targetIndex.find(id);
        if (have != null) {
            blobsSkipped.incrementAndGet();
            bytesSkipped.addAndGet(have.entry().storedLength());
            return;
        }
        BlobLocation loc = source.locate(id);
        byte[] plain = source.loadBlob(loc);
        bytesRead.addAndGet(loc.entry().storedLength());
        BlobType type = loc.type();
        BlobWriter.Saved saved = writer.save(type, plain);
        if (!Objects.equals(saved.id(), id)) {
            // incompatibility() rules this out; a mismatch means the keys are not what they claim.
            throw new MissingObjectException("blob " + id.hex(), "has id " + saved.id().hex() + " in the target");
        }
        if (saved.added()) {
            blobsCopied.incrementAndGet();
            bytesSent.addAndGet(saved.storedLength());
        } else {
            blobsSkipped.incrementAndGet();
            bytesSkipped.addAndGet(loc.entry().storedLength());
        }
    }
}
