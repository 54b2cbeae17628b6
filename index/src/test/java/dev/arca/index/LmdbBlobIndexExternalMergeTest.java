package dev.arca.index;

import static dev.arca.index.IndexFixtures.assertSameLocation;
import static dev.arca.index.IndexFixtures.sameLocation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arca.format.id.BlobId;
import dev.arca.format.id.FileId;
import dev.arca.format.index.BlobIndex;
import dev.arca.format.index.BlobLocation;
import dev.arca.format.index.IndexFile;
import dev.arca.format.index.MemoryBlobIndex;
import dev.arca.format.pack.PackEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LmdbBlobIndex#rebuild} with more entries than fit one in-memory run
 * ({@link LmdbBlobIndex#RUN_ENTRIES}), so that sorted runs are spilled to disk and merged
 * ({@link SortedRuns}); and the same code path below the threshold, where nothing spills.
 *
 * <p>Index files are generated from seeds on demand, so the test holds no more of them than the
 * index under test does. Some blobs are repeated {@value #DUPLICATE_DISTANCE} files later, far
 * enough apart to land in different runs.
 */
class LmdbBlobIndexExternalMergeTest {
    private static final int DUPLICATE_DISTANCE = 100;
    private static final int DUPLICATES_PER_FILE = 20;

    @TempDir
    Path tmp;

    /** A deterministic corpus of {@code files} index files of {@code packs × perPack} blobs. */
    private record Corpus(long seed, int files, int packs, int perPack) {
        FileId id(int i) {
            return new IndexFixtures(seed * 1_000_003L + i).fileId();
        }

        /** File i: its own packs, plus (from file 100 on) a pack repeating blobs of file i-100. */
        IndexFile file(int i) {
            IndexFixtures f = new IndexFixtures(seed * 1_000_003L + i);
            f.fileId();
            IndexFile own = f.file(packs, perPack);
            if (i < DUPLICATE_DISTANCE) {
                return own;
            }
            List<BlobId> repeated = new ArrayList<>();
            for (PackEntry e : firstPack(i - DUPLICATE_DISTANCE).entries().subList(0, DUPLICATES_PER_FILE)) {
                repeated.add(e.id());
            }
            List<IndexFile.Pack> all = new ArrayList<>(own.packs());
            all.add(f.pack(repeated));
            return new IndexFile(List.of(), all);
        }

        /** The first pack of file i, without generating the rest. */
        IndexFile.Pack firstPack(int i) {
            IndexFixtures f = new IndexFixtures(seed * 1_000_003L + i);
            f.fileId();
            return f.pack(perPack);
        }

        List<FileId> ids() {
            List<FileId> out = new ArrayList<>();
            for (int i = 0; i < files; i++) {
                out.add(id(i));
            }
            return out;
        }

        BlobIndex.Loader loader() {
            Map<FileId, Integer> index = new HashMap<>();
            for (int i = 0; i < files; i++) {
                index.put(id(i), i);
            }
            return id -> file(index.get(id));
        }

        long entries() {
            return (long) files * packs * perPack + (long) Math.max(0, files - DUPLICATE_DISTANCE) * DUPLICATES_PER_FILE;
        }

        long distinct() {
            return (long) files * packs * perPack;
        }
    }

    /**
     * Rebuilds from the corpus and checks the result against the reference, blob by blob.
     * Returns how many blobs the index placed at another copy than the reference (which keeps
     * the first occurrence in load order); every such placement must be a real copy.
     */
    private long rebuildAndCompare(Corpus corpus) throws IOException {
        Path dir = tmp.resolve("idx");
        MemoryBlobIndex ref = new MemoryBlobIndex();
        ref.rebuild(corpus.ids(), corpus.loader());
        assertEquals(corpus.distinct(), ref.blobCount());
        // Where the repeated blobs also are: the last pack of every file from DUPLICATE_DISTANCE on.
        Map<BlobId, List<BlobLocation>> copies = new HashMap<>();
        BlobIndex.Loader loader = corpus.loader();
        BlobIndex.Loader recording = id -> {
            IndexFile f = loader.load(id);
            if (f.packs().size() > corpus.packs()) {
                IndexFile.Pack p = f.packs().get(f.packs().size() - 1);
                synchronized (copies) {
                    for (PackEntry e : p.entries()) {
                        copies.computeIfAbsent(e.id(), k -> new ArrayList<>()).add(new BlobLocation(p.id(), p.salt(), e));
                    }
                }
            }
            return f;
        };
        long differing;
        try (LmdbBlobIndex idx = LmdbBlobIndex.open(dir)) {
            idx.rebuild(corpus.ids(), recording);
            assertEquals(new HashSet<>(corpus.ids()), idx.indexFiles());
            int n = (int) corpus.distinct();
            assertEquals(n, idx.blobCount());
            long packs = (long) corpus.files() * corpus.packs() + Math.max(0, corpus.files() - DUPLICATE_DISTANCE);
            assertEquals(Map.of("files", (long) corpus.files(), "packs", packs, "blobs", (long) n, "ords", (long) n),
                    idx.sizes());

            long[] counts = new long[2];
            BlobId[] last = new BlobId[1];
            Map<BlobId, BlobLocation> sample = new HashMap<>();
            idx.forEach(loc -> {
                BlobId id = loc.id();
                assertTrue(last[0] == null || last[0].compareTo(id) < 0, "forEach out of order or twice at " + id);
                last[0] = id;
                BlobLocation expected = ref.find(id);
                assertNotNull(expected, "the index has a blob the reference has not: " + id);
                if (!sameLocation(expected, loc)) {
                    counts[1]++;
                    List<BlobLocation> c = copies.getOrDefault(id, List.of());
                    assertTrue(c.stream().anyMatch(l -> sameLocation(l, loc)), "blob " + id.shortHex()
                            + " is placed where no index file puts it");
                }
                if (counts[0]++ % 64 == 0) {
                    sample.put(id, loc);
                }
            });
            // Every index blob is in the reference and the counts agree: the same set.
            assertEquals(n, counts[0]);
            differing = counts[1];

            // Ordinals: n keys appended in ascending order (so unique), the last being n - 1: dense.
            assertNotNull(idx.blobAt(n - 1));
            assertEquals(null, idx.blobAt(n));
            for (Map.Entry<BlobId, BlobLocation> e : sample.entrySet()) {
                long ord = idx.ordinal(e.getKey());
                assertTrue(ord >= 0 && ord < n, "ordinal " + ord);
                assertEquals(e.getKey(), idx.blobAt(ord));
                assertSameLocation(e.getValue(), idx.find(e.getKey()), "find " + e.getKey().shortHex());
            }
        }
        try (Stream<Path> s = Files.list(dir)) {
            Set<String> left = s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
            assertEquals(Set.of("data.mdb", "lock.mdb", "writer.lock"), left, "temporary runs left behind");
        }
        return differing;
    }

    /** Below the spill threshold: one in-memory run, duplicates included. */
    @Test
    void rebuildBelowTheSpillThreshold() throws IOException {
        Corpus c = new Corpus(1, 120, 4, 500);
        assertTrue(c.entries() < LmdbBlobIndex.RUN_ENTRIES);
        assertEquals(0, rebuildAndCompare(c), "within one run, duplicates keep their first occurrence");
    }

    /** Just past the threshold: one spilled run and the in-memory remainder. */
    @Test
    void rebuildJustPastTheSpillThreshold() throws IOException {
        // 27 files of 10,000 entries reach RUN_ENTRIES; the 28th and later stay in memory.
        Corpus c = new Corpus(2, 30, 10, 1000);
        assertTrue(c.entries() > LmdbBlobIndex.RUN_ENTRIES);
        rebuildAndCompare(c);
    }

    /**
     * {@link BlobIndex#add} and {@link MemoryBlobIndex} keep a repeated blob's first occurrence
     * in load order; a rebuild should agree, whichever runs the copies were sorted into.
     */
    @Test
    void duplicatesAcrossRunsKeepTheFirstOccurrence() throws IOException {
        Corpus c = new Corpus(2, 30, 10, 1000);
        assertEquals(0, rebuildAndCompare(c));
    }

    /** Several spilled runs (about 0.8 million entries), with duplicates across runs. */
    @Tag("slow")
    @Test
    void rebuildWithSeveralSpilledRuns() throws IOException {
        Corpus c = new Corpus(3, 80, 10, 1000);
        assertTrue(c.entries() > 2L * LmdbBlobIndex.RUN_ENTRIES);
        rebuildAndCompare(c);
    }
}
