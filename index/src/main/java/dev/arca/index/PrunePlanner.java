package dev.arca.index;

import dev.arca.format.crypto.SegmentedAead;
import dev.arca.format.id.FileId;
import dev.arca.format.pack.PackFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.roaringbitmap.RoaringBitmap;

/**
 * Decides, from the local index and a live set, which packs a prune marks for deletion and which
 * it repacks. One scan over the index's blob table fills per-pack counters held in arrays indexed
 * by pack ordinal, so memory is a few dozen bytes per pack and nothing per blob.
 *
 * <p>A blob counts for the one pack where the index locates it; other copies of it (left by an
 * interrupted repack, or by two backups that stored it at once) are dead space of their packs.
 * <ul>
 *   <li>A pack with no live blob is <em>unused</em>: marked for deletion.</li>
 *   <li>A pack whose dead share of its length exceeds {@code maxUnused} is repacked (its live
 *       blobs copied into new packs, then it is marked), the most wasteful first, until the packs
 *       chosen add up to {@code maxRepackBytes}.</li>
 * </ul>
 */
public final class PrunePlanner {
    /** A pack chosen by the plan. */
    public record PackChoice(FileId id, long length, long liveBytes, int liveBlobs) {
    }

    /** What a prune would do. */
    public record Plan(List<PackChoice> unused, List<PackChoice> repack, long packs, long packBytes, long blobs,
                       long liveBlobs, long liveBytes, long skippedPacks) {
        public long unusedBytes() {
            return unused.stream().mapToLong(PackChoice::length).sum();
        }

        public long repackBytes() {
            return repack.stream().mapToLong(PackChoice::length).sum();
        }

        /** Bytes freed once the marked packs are deleted: unused packs and the dead part of repacked ones. */
        public long reclaimableBytes() {
            return unusedBytes() + repack.stream().mapToLong(p -> p.length() - p.liveBytes()).sum();
        }
    }

    private PrunePlanner() {
    }

    /**
     * @param skip           pack ordinals to leave alone (already marked by an earlier prune)
     * @param maxUnused      dead share of a pack above which it is repacked, 0..1
     * @param maxRepackBytes bound on the summed length of the packs repacked
     */
    public static Plan plan(LmdbBlobIndex index, RoaringBitmap live, RoaringBitmap skip, double maxUnused,
                            long maxRepackBytes) {
        int n = (int) index.packCount();
        long[] length = new long[n];
        long[] liveBytes = new long[n];
        int[] liveCount = new int[n];
        int[] count = new int[n];
        index.forEachPack(p -> length[p.ordinal()] = p.length());
        long[] blobs = new long[2];
        index.forEachOrdinal((blob, pack, stored, type) -> {
            if (pack < 0 || pack >= n) {
                return;
            }
            count[pack]++;
            blobs[0]++;
            if (live.contains(blob)) {
                liveCount[pack]++;
                liveBytes[pack] += stored;
                blobs[1]++;
            }
        });
        List<Integer> unused = new ArrayList<>();
        List<Integer> candidates = new ArrayList<>();
        long packBytes = 0;
        long liveTotal = 0;
        for (int p = 0; p < n; p++) {
            packBytes += length[p];
            liveTotal += liveBytes[p];
            if (skip.contains(p)) {
                continue;
            }
            if (liveCount[p] == 0) {
                unused.add(p);
            } else if (dead(length[p], liveBytes[p], count[p]) > maxUnused * length[p]) {
                candidates.add(p);
            }
        }
        candidates.sort(Comparator.comparingDouble((Integer p) -> -(double) dead(length[p], liveBytes[p], count[p])
                / length[p]).thenComparing(p -> p));
        List<Integer> repack = new ArrayList<>();
        long budget = maxRepackBytes;
        for (int p : candidates) {
            if (length[p] > budget) {
                continue;
            }
            budget -= length[p];
            repack.add(p);
        }
        RoaringBitmap wanted = new RoaringBitmap();
        unused.forEach(wanted::add);
        repack.forEach(wanted::add);
        FileId[] ids = new FileId[n];
        index.forEachPack(p -> {
            if (wanted.contains(p.ordinal())) {
                ids[p.ordinal()] = p.id();
            }
        });
        List<PackChoice> u = new ArrayList<>(unused.size());
        for (int p : unused) {
            u.add(new PackChoice(ids[p], length[p], 0, 0));
        }
        List<PackChoice> r = new ArrayList<>(repack.size());
        for (int p : repack) {
            r.add(new PackChoice(ids[p], length[p], liveBytes[p], liveCount[p]));
        }
        return new Plan(u, r, n, packBytes, blobs[0], blobs[1], liveTotal, skip.getCardinality());
    }

    /**
     * Bytes of a pack that hold no live blob: its length less the live blobs and the pack's own
     * framing (lead, header for the blobs the index places here, length trailer).
     */
    static long dead(long length, long liveBytes, int blobsHere) {
        long framing = PackFormat.LEAD_LENGTH + SegmentedAead.sealedLength(4 + (long) PackFormat.ENTRY_LENGTH * blobsHere)
                + PackFormat.TRAILER_LENGTH;
        return Math.max(0, length - liveBytes - framing);
    }
}
