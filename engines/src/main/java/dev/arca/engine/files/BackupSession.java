package dev.arca.engine.files;

import dev.arca.chunker.StreamChunker;
import dev.arca.format.id.BlobId;
import dev.arca.format.id.BlobType;
import dev.arca.format.id.FileId;
import dev.arca.format.repo.BlobWriter;
import dev.arca.format.repo.Repository;
import dev.arca.format.snapshot.Snapshot;
import dev.arca.format.tree.Node;
import dev.arca.format.tree.Tree;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The parallel part of a backup, shared by every engine that stores files: chunk a stream on
 * the calling thread, hash, compress, seal and pack the chunks on a bounded pool, store trees,
 * and finally flush and store the snapshot.
 *
 * <p>The pool has a thread per core; its queue holds at most two chunks per thread and, when it
 * is full, the reading thread waits. So memory stays bounded by (threads × 3) chunks however
 * large the input, and reading (cheap) never competes with compression (dear) for a core.
 */
public final class BackupSession implements AutoCloseable {
    private final Repository repo;
    private final BlobWriter writer;
    private final ThreadPoolExecutor pool;
    private final StreamChunker chunker;
    private final BackupStats stats;
    private final AtomicLong dataBlobs = new AtomicLong();
    private final AtomicLong treeBlobs = new AtomicLong();
    private final Instant start = Instant.now();

    public BackupSession(Repository repo, BackupStats stats) throws IOException {
        this.repo = repo;
        this.stats = stats;
        this.writer = repo.newWriter();
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(2 * threads), r -> {
                    Thread t = new Thread(r, "arca-backup-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, (task, executor) -> {
                    try {
                        executor.getQueue().put(task);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.util.concurrent.RejectedExecutionException("interrupted", e);
                    }
                });
        this.chunker = new StreamChunker(repo.chunker());
    }

    public Repository repository() {
        return repo;
    }

    public BackupStats stats() {
        return stats;
    }

    /**
     * Chunks {@code in} on the calling thread and stores the chunks in parallel. Returns the
     * stream's length and, once every chunk is stored, its blob ids in order. A read error
     * propagates at once; chunks already handed to the pool are still stored (harmless: nothing
     * refers to them).
     */
    public Content saveContent(InputStream in) throws IOException {
        chunker.reset(in);
        return saveChunks(() -> {
            StreamChunker.Chunk c = chunker.next();
            return c == null ? null : c.data();
        });
    }

    /** Chunks cut by an engine that picks its own boundaries (record starts, say). */
    public interface ChunkSource {
        /** The next chunk (owned by the session from then on), or null after the last. */
        byte[] next() throws IOException;
    }

    /**
     * Stores chunks the caller has already cut (record starts, say), in parallel; returns their
     * total length and, once every chunk is stored, their blob ids in order. Memory stays bounded:
     * handing a chunk over waits while the pool's queue is full.
     */
    public Content saveChunks(ChunkSource source) throws IOException {
        List<CompletableFuture<BlobId>> ids = new ArrayList<>();
        long length = 0;
        for (byte[] data = source.next(); data != null; data = source.next()) {
            byte[] chunk = data;
            length += chunk.length;
            stats.bytesProcessed.addAndGet(chunk.length);
            ids.add(CompletableFuture.supplyAsync(() -> {
                try {
                    BlobWriter.Saved s = writer.save(BlobType.DATA, chunk);
                    if (s.added()) {
                        dataBlobs.incrementAndGet();
                    }
                    return s.id();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, pool));
        }
        CompletableFuture<List<BlobId>> all = CompletableFuture.allOf(ids.toArray(CompletableFuture[]::new))
                .thenApply(v -> ids.stream().map(CompletableFuture::join).toList());
        return new Content(length, all);
    }

    /** A stream's length and its future blob ids. */
    public record Content(long length, CompletableFuture<List<BlobId>> ids) {
    }

    /**
     * Sets a file node's content, moving the ids into content-list blobs when there are more
     * than {@link Tree#MAX_INLINE_CONTENT} (spec §10).
     */
    public Node withContent(Node.Builder b, List<BlobId> ids) throws IOException {
        if (ids.size() <= Tree.MAX_INLINE_CONTENT) {
            return b.content(ids).build();
        }
        List<BlobId> lists = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += Tree.MAX_INLINE_CONTENT) {
            List<BlobId> part = ids.subList(i, Math.min(ids.size(), i + Tree.MAX_INLINE_CONTENT));
            lists.add(saveTreeBlob(Tree.encodeContentList(part)));
        }
        return b.indirectContent(lists).build();
    }

    /** Stores a tree; returns its id. */
    public BlobId saveTree(Tree tree) throws IOException {
        return saveTreeBlob(tree.encode());
    }

    private BlobId saveTreeBlob(byte[] bytes) throws IOException {
        BlobWriter.Saved s = writer.save(BlobType.TREE, bytes);
        if (s.added()) {
            treeBlobs.incrementAndGet();
        }
        return s.id();
    }

    /**
     * Whether the repository has every blob of this content, so a parent's node can be reused.
     * Blobs in packs a prune marked for deletion do not count (spec §13.1).
     */
    public boolean hasAll(List<BlobId> ids) throws IOException {
        for (BlobId id : ids) {
            if (!writer.reusable(id)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a parent's file node can be reused as it is: every blob of its content, and for
     * indirect content the content-list blobs and every data blob they list, is reusable.
     */
    public boolean hasContent(Node old) throws IOException {
        if (!hasAll(old.content())) {
            return false;
        }
        return !old.contentIsIndirect() || hasAll(repo.contentOf(old));
    }

    /**
     * Flushes the writer (packs, then index) and stores the snapshot (spec §13). Fills in the
     * summary from the session's counters.
     */
    public FileId commit(Snapshot s) throws IOException {
        writer.flush();
        Snapshot.Summary sum = new Snapshot.Summary();
        sum.filesNew = stats.filesNew.get();
        sum.filesChanged = stats.filesChanged.get();
        sum.filesUnmodified = stats.filesUnmodified.get();
        sum.dirsNew = stats.dirsNew.get();
        sum.dirsChanged = stats.dirsChanged.get();
        sum.dirsUnmodified = stats.dirsUnmodified.get();
        sum.dataBlobs = dataBlobs.get();
        sum.treeBlobs = treeBlobs.get();
        sum.dataAdded = writer.bytesAdded();
        sum.dataAddedPacked = writer.bytesStored();
        sum.totalFilesProcessed = stats.filesProcessed.get();
        sum.totalBytesProcessed = stats.bytesProcessed.get();
        sum.backupStart = start.toString();
        sum.backupEnd = Instant.now().toString();
        s.summary = sum;
        return repo.saveSnapshot(s);
    }

    /** Stored bytes added so far, for progress. */
    public long bytesStored() {
        return writer.bytesStored();
    }

    /** Unwraps what a future threw back into the IOException it carried. */
    public static IOException unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof java.util.concurrent.ExecutionException)
                && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof UncheckedIOException u) {
            return u.getCause();
        }
        if (c instanceof IOException io) {
            return io;
        }
        if (c instanceof RuntimeException r) {
            throw r;
        }
        if (c instanceof Error e) {
            throw e;
        }
        return new IOException(c);
    }

    @Override
    public void close() {
        pool.shutdownNow();
        writer.close();
    }
}
