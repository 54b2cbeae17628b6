package dev.arca.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arca.format.id.BlobId;
import dev.arca.format.id.BlobType;
import dev.arca.format.id.FileId;
import dev.arca.format.index.IndexFile;
import dev.arca.format.pack.PackEntry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

/**
 * The small version of bench/prune/PruneScale.java: a synthetic index made through the index API
 * (no data stored) answers lookups, and prune's planning over it finds exactly the packs the
 * synthetic live set leaves unused or wasteful.
 */
class PruneScaleSmokeTest {
    static final int PER_PACK = 16;
    static final int PER_FILE = 4096;

    static BlobId blobId(long i) {
        ByteBuffer b = ByteBuffer.allocate(32);
        long x = i * 0x9E3779B97F4A7C15L;
        for (int k = 0; k < 4; k++) {
            x += 0x9E3779B97F4A7C15L;
            long z = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            b.putLong(z ^ (z >>> 31));
        }
        return BlobId.fromBytes(b.array());
    }

    static FileId fileId(String kind, long i) {
        return FileId.of((kind + i).getBytes(StandardCharsets.US_ASCII));
    }

    static IndexFile indexFile(long n, long file) {
        List<IndexFile.Pack> packs = new ArrayList<>();
        for (long p = file * PER_FILE; p < Math.min(n, (file + 1) * PER_FILE); p += PER_PACK) {
            List<PackEntry> entries = new ArrayList<>();
            long offset = 40;
            for (long i = p; i < Math.min(n, p + PER_PACK); i++) {
                int stored = 1000 + (int) (i % 7) * 100;
                entries.add(new PackEntry(BlobType.DATA, 0, offset, stored, stored, blobId(i)));
                offset += stored;
            }
            long length = offset + dev.arca.format.crypto.SegmentedAead.sealedLength(4 + 42L * entries.size()) + 4;
            packs.add(new IndexFile.Pack(fileId("pack", p / PER_PACK), new byte[32], length, entries));
        }
        return new IndexFile(List.of(), packs);
    }

    @Test
    void aSyntheticIndexAnswersLookupsAndPlans(@TempDir Path dir) throws Exception {
        long n = 200_000;
        List<FileId> ids = new ArrayList<>();
        Map<FileId, Long> number = new HashMap<>();
        for (long f = 0; f * PER_FILE < n; f++) {
            ids.add(fileId("index", f));
            number.put(ids.get((int) f), f);
        }
        try (LmdbBlobIndex index = LmdbBlobIndex.open(dir)) {
            index.rebuild(ids, id -> indexFile(n, number.get(id)));
            assertEquals(n, index.blobCount());
            assertEquals(n / PER_PACK, index.packCount());
            for (long k = 0; k < n; k += 997) {
                var loc = index.find(blobId(k));
                assertNotNull(loc, "blob " + k);
                assertEquals(fileId("pack", k / PER_PACK), loc.pack());
                assertNull(index.find(blobId(n + k)));
            }

            RoaringBitmap live = new RoaringBitmap();
            RoaringBitmap halfDead = new RoaringBitmap();
            index.forEachOrdinal((blob, pack, stored, type) -> {
                if (pack % 50 == 1) {
                    return;
                }
                if (pack % 20 == 0 && blob % 2 == 0) {
                    halfDead.add(pack);
                    return;
                }
                live.add(blob);
            });
            PrunePlanner.Plan plan = PrunePlanner.plan(index, live, new RoaringBitmap(), 0.05, Long.MAX_VALUE);
            long unusedExpected = (n / PER_PACK + 48) / 50;
            assertEquals(unusedExpected, plan.unused().size());
            assertEquals(halfDead.getCardinality(), plan.repack().size(), "exactly the packs with dead blobs, no "
                    + "fully live pack (framing is not counted as dead space)");
            for (PrunePlanner.PackChoice c : plan.repack()) {
                assertTrue(c.liveBytes() < c.length());
            }
            RoaringBitmap skip = new RoaringBitmap();
            skip.add(1);
            assertEquals(unusedExpected - 1, PrunePlanner.plan(index, live, skip, 0.05, Long.MAX_VALUE).unused().size(),
                    "packs already marked are left alone");
            long oneBudget = plan.repack().get(0).length();
            assertEquals(1, PrunePlanner.plan(index, live, new RoaringBitmap(), 0.05, oneBudget).repack().size(),
                    "--max-repack bounds the work");
        }
    }
}
