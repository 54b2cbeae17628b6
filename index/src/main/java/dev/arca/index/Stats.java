package dev.arca.index;

import dev.arca.format.backend.FileType;
import dev.arca.format.id.BlobId;
import dev.arca.format.index.BlobIndex;
import dev.arca.format.index.BlobLocation;
import dev.arca.format.repo.Repository;
import dev.arca.format.repo.SnapshotRef;
import dev.arca.format.tree.Node;
import dev.arca.format.tree.Tree;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.roaringbitmap.RoaringBitmap;

/**
 * What a set of snapshots holds and costs: their restore size (every file of every snapshot
 * counted, as a restore would write it) and the unique blobs they reference, with their raw and
 * stored sizes. Blobs are counted once through a bitmap over blob ordinals; tree totals are
 * memoized per tree, so shared directories are walked once.
 */
public final class Stats {
    /** The figures {@code arca stats} shows. */
    public record Result(long snapshots, long files, long dirs, long restoreSize, long uniqueBlobs,
                         long uniqueRawBytes, long uniqueStoredBytes, long packs, long packBytes) {
        /** Raw bytes per stored byte of the unique blobs (higher is better). */
        public double compressionRatio() {
            return uniqueStoredBytes == 0 ? 0 : (double) uniqueRawBytes / uniqueStoredBytes;
        }
    }

    private record Totals(long files, long dirs, long bytes) {
    }

    private final Repository repo;
    /** Totals of recently seen trees; bounded, since shared directories recur close together. */
    private final Map<BlobId, Totals> memo = new java.util.LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<BlobId, Totals> eldest) {
            return size() > MEMO_ENTRIES;
        }
    };
    private static final int MEMO_ENTRIES = 200_000;
    private final RoaringBitmap counted = new RoaringBitmap();
    private long rawBytes;
    private long storedBytes;

    public Stats(Repository repo) {
        this.repo = repo;
    }

    public Result compute(List<SnapshotRef> snapshots) throws IOException {
        BlobIndex index = repo.index();
        long files = 0;
        long dirs = 0;
        long size = 0;
        for (SnapshotRef s : snapshots) {
            Totals t = tree(index, s.snapshot().treeId());
            files += t.files();
            dirs += t.dirs();
            size += t.bytes();
        }
        AtomicLong packs = new AtomicLong();
        AtomicLong packBytes = new AtomicLong();
        repo.backend().list(FileType.PACK, f -> {
            packs.incrementAndGet();
            packBytes.addAndGet(f.size());
        });
        return new Result(snapshots.size(), files, dirs, size, counted.getLongCardinality(), rawBytes, storedBytes,
                packs.get(), packBytes.get());
    }

    private Totals tree(BlobIndex index, BlobId id) throws IOException {
        Totals t = memo.get(id);
        if (t != null) {
            return t;
        }
        count(index, id);
        Tree tree = repo.loadTree(id);
        long files = 0;
        long dirs = 0;
        long bytes = 0;
        for (Node n : tree.nodes()) {
            if (n.isDir()) {
                Totals sub = tree(index, n.subtree());
                dirs += 1 + sub.dirs();
                files += sub.files();
                bytes += sub.bytes();
            } else {
                files++;
                if (n.isFile()) {
                    bytes += n.size();
                    if (n.contentIsIndirect()) {
                        for (BlobId list : n.content()) {
                            count(index, list);
                        }
                    }
                    for (BlobId b : repo.contentOf(n)) {
                        count(index, b);
                    }
                }
            }
        }
        t = new Totals(files, dirs, bytes);
        memo.put(id, t);
        return t;
    }

    private void count(BlobIndex index, BlobId id) throws IOException {
        long ord = index.ordinal(id);
        if (ord < 0 || !counted.checkedAdd((int) ord)) {
            return;
        }
        BlobLocation loc = index.find(id);
        rawBytes += loc.rawLength();
        storedBytes += loc.entry().storedLength();
    }
}
