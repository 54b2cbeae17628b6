package dev.arca.index;

import dev.arca.format.RepositoryException;
import dev.arca.format.backend.FileType;
import dev.arca.format.backend.Handle;
import dev.arca.format.id.BlobId;
import dev.arca.format.id.FileId;
import dev.arca.format.index.BlobIndex;
import dev.arca.format.index.BlobLocation;
import dev.arca.format.index.IndexFile;
import dev.arca.format.mark.Mark;
import dev.arca.format.pack.PackEntry;
import dev.arca.format.repo.BlobWriter;
import dev.arca.format.repo.Repository;
import dev.arca.format.repo.SnapshotRef;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.roaringbitmap.RoaringBitmap;

/**
 * Two-phase, lock-free (for backups) removal of unused data (spec §13.1). One run does:
 * <ol>
 *   <li><b>Delete</b> what earlier runs marked, for marks whose time has come: packs that a
 *       backup cancelled, that a snapshot needs again, or that were indexed since (when unindexed
 *       at marking), are kept; index files listing the others are rewritten without them (the new
 *       file first, then the old ones removed), then the packs are deleted, then the marks.</li>
 *   <li><b>Mark</b>: from a fresh live set, plan (see {@link PrunePlanner}); copy the live blobs
 *       of packs to repack into new packs with their index files; then write one delete mark
 *       naming the unused, repacked and unindexed packs, deletable after the grace period.</li>
 * </ol>
 * Every step is safe to interrupt: files are only ever added before the ones they replace are
 * removed, and the mark is removed last.
 */
public final class Pruner {
    /** What to do. */
    public record Options(Duration keepDelete, double maxUnused, long maxRepackBytes, boolean dryRun) {
        public static Options defaults() {
            return new Options(Duration.ofHours(24), 0.05, Long.MAX_VALUE, false);
        }
    }

    /** Progress: phase names and counters for a progress line. */
    public interface Listener {
        default void phase(String name) {
        }

        default void bytes(long n) {
        }
    }

    /** What a run did (or, with dryRun, would do). */
    public record Result(int marksProcessed, long packsDeleted, long bytesDeleted, long packsKept,
                         long indexFilesRewritten, long packsMarked, long bytesMarked, long packsRepacked,
                         long bytesRepacked, long blobsRepacked, long unindexedMarked, long reclaimableBytes,
                         long marksPending, long packs, long packBytes, long blobs, long liveBlobs, boolean dryRun) {
    }

    private static final int REWRITE_BLOBS_PER_FILE = 100_000;

    private final Repository repo;
    private final Options options;
    private final Listener listener;
    private final AtomicLong done = new AtomicLong();

    public Pruner(Repository repo, Options options, Listener listener) {
        this.repo = repo;
        this.options = options;
        this.listener = listener;
    }

    public Result run() throws IOException {
        try (PruneLock lock = options.dryRun() ? null : PruneLock.acquire(repo)) {
            return runLocked();
        }
    }

    private static void fail(RepositoryException e) {
        throw new java.io.UncheckedIOException(e);
    }

    private List<SnapshotRef> snapshots() throws IOException {
        try {
            // A snapshot that cannot be read might need any pack: delete nothing then.
            return repo.snapshots(Pruner::fail);
        } catch (java.io.UncheckedIOException e) {
            throw new IOException("prune stops: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private List<Repository.MarkRef> marks() throws IOException {
        try {
            return repo.marks(Pruner::fail);
        } catch (java.io.UncheckedIOException e) {
            throw new IOException("prune stops: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private LmdbBlobIndex lmdb() throws IOException {
        BlobIndex idx = repo.index();
        if (idx instanceof LmdbBlobIndex l) {
            return l;
        }
        throw new IllegalStateException("prune needs the LMDB index, got " + idx.getClass().getSimpleName());
    }

    private Result runLocked() throws IOException {
        Instant now = Instant.now();
        listener.phase("index");
        repo.syncIndex();
        listener.phase("live set");
        RoaringBitmap live = LiveSet.of(repo, snapshots());

        // ---- phase 2: act on marks whose time has come
        List<Repository.MarkRef> marks = marks();
        List<Repository.MarkRef> due = new ArrayList<>();
        Map<FileId, Set<FileId>> cancelled = new HashMap<>();
        for (Repository.MarkRef m : marks) {
            if (m.mark().kind() == Mark.Kind.CANCEL) {
                for (Mark.Item i : m.mark().items()) {
                    cancelled.computeIfAbsent(i.mark(), k -> new HashSet<>()).add(i.pack());
                }
            } else if (!m.mark().notBefore().isAfter(now)) {
                due.add(m);
            }
        }
        if (!due.isEmpty()) {
            listener.phase("delete");
        }
        Deletion deletion = due.isEmpty() ? new Deletion() : delete(due, cancelled, live);
        if (deletion.changedIndex) {
            repo.syncIndex();
            listener.phase("live set");
            live = LiveSet.of(repo, snapshots());
        }

        // ---- phase 1: plan and mark
        listener.phase("plan");
        LmdbBlobIndex index = lmdb();
        Set<FileId> dueIds = new HashSet<>();
        due.forEach(m -> dueIds.add(m.id()));
        RoaringBitmap skip = new RoaringBitmap();
        Set<FileId> pendingPacks = new HashSet<>();
        int pendingMarks = 0;
        for (Repository.MarkRef m : marks) {
            if (m.mark().kind() == Mark.Kind.DELETE && !dueIds.contains(m.id())) {
                pendingMarks++;
                for (Mark.Item i : m.mark().items()) {
                    pendingPacks.add(i.pack());
                    int ord = index.packOrdinal(i.pack());
                    if (ord >= 0) {
                        skip.add(ord);
                    }
                }
            }
        }
        if (options.dryRun()) {
            // a dry run deleted nothing: the packs it would delete are not to be planned again
            for (FileId p : deletion.wouldDelete) {
                int ord = index.packOrdinal(p);
                if (ord >= 0) {
                    skip.add(ord);
                }
            }
        }
        PrunePlanner.Plan plan = PrunePlanner.plan(index, live, skip, options.maxUnused(), options.maxRepackBytes());
        List<FileId> unindexed = new ArrayList<>();
        repo.backend().list(FileType.PACK, f -> {
            String name = f.handle().name();
            if (FileId.isValid(name)) {
                FileId id = FileId.fromHex(name);
                if (index.packOrdinal(id) < 0 && !pendingPacks.contains(id) && !deletion.wouldDelete.contains(id)) {
                    unindexed.add(id);
                }
            }
        });
        long repacked = 0;
        long blobsRepacked = 0;
        if (!options.dryRun() && !plan.repack().isEmpty()) {
            listener.phase("repack");
            blobsRepacked = repack(plan.repack(), live, index);
            repacked = plan.repackBytes();
        }
        List<PrunePlanner.PackChoice> unused = stillUnused(plan, pendingPacks, live, index);
        List<Mark.Item> items = new ArrayList<>();
        long markedBytes = 0;
        for (PrunePlanner.PackChoice p : unused) {
            items.add(new Mark.Item(p.id(), 0, null));
            markedBytes += p.length();
        }
        for (PrunePlanner.PackChoice p : plan.repack()) {
            items.add(new Mark.Item(p.id(), 0, null));
            markedBytes += p.length();
        }
        long unindexedBytes = 0;
        for (FileId p : unindexed) {
            items.add(new Mark.Item(p, Mark.FLAG_UNINDEXED, null));
            try {
                unindexedBytes += repo.backend().size(Repository.packHandle(p));
            } catch (java.nio.file.NoSuchFileException e) {
                // stored and gone again while listing
            }
        }
        markedBytes += unindexedBytes;
        if (!options.dryRun() && !items.isEmpty()) {
            Instant at = Instant.now();
            repo.saveMark(Mark.delete(at, at.plus(options.keepDelete()), Mark.localHost(), items));
            pendingMarks++;
        }
        return new Result(due.size(), deletion.packsDeleted, deletion.bytesDeleted, deletion.kept.size(),
                deletion.indexFilesRewritten, items.size(), markedBytes, plan.repack().size(), repacked, blobsRepacked,
                unindexed.size(), plan.reclaimableBytes() - plan.unusedBytes()
                        + unused.stream().mapToLong(PrunePlanner.PackChoice::length).sum() + unindexedBytes, pendingMarks, plan.packs(), plan.packBytes(),
                plan.blobs(), plan.liveBlobs(), options.dryRun());
    }

    /**
     * The plan's unused packs, less those holding a live blob whose indexed copy is in a pack
     * that is marked or about to be repacked: such a pack is the new home of blobs an earlier
     * (perhaps interrupted) repack copied, and the index will place the blobs there once the old
     * pack is gone. One header read per unused pack.
     */
    private List<PrunePlanner.PackChoice> stillUnused(PrunePlanner.Plan plan, Set<FileId> pendingPacks,
                                                      RoaringBitmap live, LmdbBlobIndex index) throws IOException {
        Set<FileId> leaving = new HashSet<>(pendingPacks);
        plan.repack().forEach(p -> leaving.add(p.id()));
        List<PrunePlanner.PackChoice> out = new ArrayList<>();
        for (PrunePlanner.PackChoice p : plan.unused()) {
            boolean home = false;
            List<PackEntry> entries;
            try {
                entries = repo.readPackHeader(p.id(), p.length());
            } catch (dev.arca.format.MissingObjectException e) {
                continue;
            }
            for (PackEntry e : entries) {
                long ord = index.ordinal(e.id());
                if (ord >= 0 && live.contains((int) ord)) {
                    BlobLocation loc = index.find(e.id());
                    if (loc != null && leaving.contains(loc.pack())) {
                        home = true;
                        break;
                    }
                }
            }
            if (!home) {
                out.add(p);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- phase 2

    private static final class Deletion {
        final Set<FileId> kept = new HashSet<>();
        final Set<FileId> wouldDelete = new HashSet<>();
        long packsDeleted;
        long bytesDeleted;
        long indexFilesRewritten;
        boolean changedIndex;
    }

    private Deletion delete(List<Repository.MarkRef> due, Map<FileId, Set<FileId>> cancelled, RoaringBitmap live)
            throws IOException {
        Deletion d = new Deletion();
        LmdbBlobIndex index = lmdb();
        Set<FileId> candidates = new HashSet<>();
        for (Repository.MarkRef m : due) {
            Set<FileId> vetoed = cancelled.getOrDefault(m.id(), Set.of());
            for (Mark.Item i : m.mark().items()) {
                if (vetoed.contains(i.pack())) {
                    d.kept.add(i.pack());
                } else if (i.unindexed() && index.packOrdinal(i.pack()) >= 0) {
                    // a backup indexed it after the mark: its blobs may be about to be used
                    d.kept.add(i.pack());
                } else {
                    candidates.add(i.pack());
                }
            }
        }
        candidates.removeAll(d.kept);

        // Index files that list candidates, and the live blobs only candidates hold.
        List<FileId> indexIds = new ArrayList<>(repo.index().indexFiles());
        indexIds.sort(null);
        Map<BlobId, List<FileId>> atRisk = new HashMap<>();
        List<FileId> toRewrite = new ArrayList<>();
        for (FileId f : indexIds) {
            IndexFile file = repo.loadIndexFile(f);
            boolean lists = false;
            for (IndexFile.Pack p : file.packs()) {
                if (!candidates.contains(p.id())) {
                    continue;
                }
                lists = true;
                for (PackEntry e : p.entries()) {
                    long ord = index.ordinal(e.id());
                    if (ord >= 0 && live.contains((int) ord)) {
                        atRisk.computeIfAbsent(e.id(), k -> new ArrayList<>(1)).add(p.id());
                    }
                }
            }
            if (lists) {
                toRewrite.add(f);
            }
        }
        if (!atRisk.isEmpty()) {
            for (FileId f : indexIds) {
                for (IndexFile.Pack p : repo.loadIndexFile(f).packs()) {
                    if (!candidates.contains(p.id())) {
                        for (PackEntry e : p.entries()) {
                            atRisk.remove(e.id());
                        }
                    }
                }
            }
            // What remains is live and held only by candidates: keep one holder of each.
            for (List<FileId> holders : atRisk.values()) {
                if (holders.stream().noneMatch(d.kept::contains)) {
                    d.kept.add(holders.get(0));
                }
            }
            candidates.removeAll(d.kept);
            toRewrite.clear();
            for (FileId f : indexIds) {
                for (IndexFile.Pack p : repo.loadIndexFile(f).packs()) {
                    if (candidates.contains(p.id())) {
                        toRewrite.add(f);
                        break;
                    }
                }
            }
        }
        d.wouldDelete.addAll(candidates);
        if (options.dryRun()) {
            for (FileId p : candidates) {
                try {
                    d.bytesDeleted += repo.backend().size(Repository.packHandle(p));
                    d.packsDeleted++;
                } catch (java.nio.file.NoSuchFileException e) {
                    // already gone
                }
            }
            d.indexFilesRewritten = toRewrite.size();
            return d;
        }

        // New index files first, then the old ones go, then the packs, then the marks.
        List<IndexFile.Pack> keep = new ArrayList<>();
        List<FileId> replaced = new ArrayList<>();
        int blobs = 0;
        for (FileId f : toRewrite) {
            for (IndexFile.Pack p : repo.loadIndexFile(f).packs()) {
                if (!candidates.contains(p.id())) {
                    keep.add(p);
                    blobs += p.entries().size();
                }
            }
            replaced.add(f);
            if (blobs >= REWRITE_BLOBS_PER_FILE) {
                repo.saveIndexFile(new IndexFile(replaced, keep));
                keep.clear();
                replaced.clear();
                blobs = 0;
            }
        }
        if (!keep.isEmpty()) {
            repo.saveIndexFile(new IndexFile(replaced, keep));
        }
        for (FileId f : toRewrite) {
            repo.backend().delete(new Handle(FileType.INDEX, f.hex()));
            d.indexFilesRewritten++;
            d.changedIndex = true;
        }
        for (FileId p : candidates) {
            Handle h = Repository.packHandle(p);
            long size;
            try {
                size = repo.backend().size(h);
            } catch (java.nio.file.NoSuchFileException e) {
                continue;
            }
            repo.backend().delete(h);
            d.packsDeleted++;
            d.bytesDeleted += size;
            listener.bytes(done.addAndGet(size));
        }
        Set<FileId> finished = new HashSet<>();
        for (Repository.MarkRef m : due) {
            repo.removeMark(m.id());
            finished.add(m.id());
        }
        // Cancellations whose marks are all gone have nothing left to overrule.
        Set<FileId> present = new HashSet<>();
        List<Repository.MarkRef> now = marks();
        now.forEach(m -> present.add(m.id()));
        for (Repository.MarkRef m : now) {
            if (m.mark().kind() == Mark.Kind.CANCEL
                    && m.mark().items().stream().noneMatch(i -> present.contains(i.mark()))) {
                repo.removeMark(m.id());
            }
        }
        return d;
    }

    // ---------------------------------------------------------------- phase 1

    /** Copies the live blobs the index places in these packs into new packs; returns how many. */
    private long repack(List<PrunePlanner.PackChoice> packs, RoaringBitmap live, LmdbBlobIndex index) throws IOException {
        long n = 0;
        try (BlobWriter w = repo.newRepackWriter()) {
            for (PrunePlanner.PackChoice p : packs) {
                for (PackEntry e : repo.readPackHeader(p.id(), p.length())) {
                    BlobLocation loc = index.find(e.id());
                    long ord = index.ordinal(e.id());
                    if (loc == null || !loc.pack().equals(p.id()) || ord < 0 || !live.contains((int) ord)) {
                        continue;
                    }
                    w.save(e.type(), repo.loadBlob(loc));
                    n++;
                    listener.bytes(done.addAndGet(e.storedLength()));
                }
            }
            w.flush();
        }
        return n;
    }
}
