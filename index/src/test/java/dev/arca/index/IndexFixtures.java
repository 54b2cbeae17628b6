package dev.arca.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arca.format.id.BlobId;
import dev.arca.format.id.BlobType;
import dev.arca.format.id.FileId;
import dev.arca.format.index.BlobIndex;
import dev.arca.format.index.BlobLocation;
import dev.arca.format.index.IndexFile;
import dev.arca.format.pack.PackEntry;
import dev.arca.format.pack.PackFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Seeded random index files, and assertions over blob indexes. */
final class IndexFixtures {
    private final SplittableRandom random;

    IndexFixtures(long seed) {
        this.random = new SplittableRandom(seed);
    }

    byte[] bytes32() {
        byte[] b = new byte[32];
        for (int i = 0; i < 32; i += 8) {
            long v = random.nextLong();
            for (int j = 0; j < 8; j++) {
                b[i + j] = (byte) (v >>> (8 * j));
            }
        }
        return b;
    }

    BlobId blobId() {
        return BlobId.fromBytes(bytes32());
    }

    FileId fileId() {
        return FileId.fromBytes(bytes32());
    }

    /** A pack holding these blobs, with plausible offsets and lengths. */
    IndexFile.Pack pack(List<BlobId> ids) {
        List<PackEntry> entries = new ArrayList<>(ids.size());
        long offset = PackFormat.LEAD_LENGTH;
        for (BlobId id : ids) {
            int raw = 1 + random.nextInt(8000);
            int flags = random.nextInt(2);
            int stored = (flags == 0 ? raw : 1 + random.nextInt(raw)) + 16;
            BlobType type = random.nextInt(4) == 0 ? BlobType.TREE : BlobType.DATA;
            entries.add(new PackEntry(type, flags, offset, stored, raw, id));
            offset += stored;
        }
        return new IndexFile.Pack(fileId(), bytes32(), offset + 1000, entries);
    }

    /** A pack of {@code n} new blobs. */
    IndexFile.Pack pack(int n) {
        List<BlobId> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(blobId());
        }
        return pack(ids);
    }

    /** An index file of {@code packs} packs of {@code perPack} new blobs each. */
    IndexFile file(int packs, int perPack) {
        List<IndexFile.Pack> out = new ArrayList<>();
        for (int i = 0; i < packs; i++) {
            out.add(pack(perPack));
        }
        return new IndexFile(List.of(), out);
    }

    static IndexFile file(IndexFile.Pack... packs) {
        return new IndexFile(List.of(), List.of(packs));
    }

    // ---------------------------------------------------------------- expectations

    /** Every blob of these files, at its first occurrence in order (what the reference keeps). */
    static Map<BlobId, BlobLocation> firstLocations(List<BlobIndex.Loaded> files) {
        Map<BlobId, BlobLocation> out = new HashMap<>();
        for (BlobIndex.Loaded l : files) {
            for (IndexFile.Pack p : l.content().packs()) {
                for (PackEntry e : p.entries()) {
                    out.putIfAbsent(e.id(), new BlobLocation(p.id(), p.salt(), e));
                }
            }
        }
        return out;
    }

    /** Every location each blob has in these files. */
    static Map<BlobId, List<BlobLocation>> allLocations(List<BlobIndex.Loaded> files) {
        Map<BlobId, List<BlobLocation>> out = new HashMap<>();
        for (BlobIndex.Loaded l : files) {
            for (IndexFile.Pack p : l.content().packs()) {
                for (PackEntry e : p.entries()) {
                    out.computeIfAbsent(e.id(), k -> new ArrayList<>()).add(new BlobLocation(p.id(), p.salt(), e));
                }
            }
        }
        return out;
    }

    static boolean sameLocation(BlobLocation a, BlobLocation b) {
        return a.pack().equals(b.pack()) && java.util.Arrays.equals(a.packSalt(), b.packSalt())
                && a.entry().equals(b.entry());
    }

    static void assertSameLocation(BlobLocation expected, BlobLocation actual, String what) {
        assertNotNull(actual, what + ": not found");
        assertEquals(expected.pack(), actual.pack(), what + ": pack");
        assertArrayEquals(expected.packSalt(), actual.packSalt(), what + ": pack salt");
        assertEquals(expected.entry(), actual.entry(), what + ": entry");
    }

    /** The index answers exactly {@code expected}: finds, count, forEach, dense unique ordinals. */
    static void assertContent(BlobIndex index, Map<BlobId, BlobLocation> expected) throws IOException {
        assertEquals(expected.size(), index.blobCount(), "blobCount");
        BitSet ordinals = new BitSet(expected.size());
        for (Map.Entry<BlobId, BlobLocation> e : expected.entrySet()) {
            assertSameLocation(e.getValue(), index.find(e.getKey()), "blob " + e.getKey().shortHex());
            long ord = index.ordinal(e.getKey());
            assertTrue(ord >= 0 && ord < expected.size(), "ordinal " + ord + " of " + expected.size());
            assertTrue(!ordinals.get((int) ord), "ordinal " + ord + " given twice");
            ordinals.set((int) ord);
        }
        assertEquals(expected.size(), ordinals.cardinality(), "ordinals are not dense");
        Map<BlobId, BlobLocation> visited = new HashMap<>();
        index.forEach(loc -> {
            BlobLocation before = visited.put(loc.id(), loc);
            assertEquals(null, before, "forEach visited " + loc.id().shortHex() + " twice");
        });
        assertEquals(expected.keySet(), visited.keySet(), "blobs visited by forEach");
        for (Map.Entry<BlobId, BlobLocation> e : visited.entrySet()) {
            assertSameLocation(expected.get(e.getKey()), e.getValue(), "forEach of " + e.getKey().shortHex());
        }
    }
}
