package dev.arca.index;

import static dev.arca.index.IndexFixtures.allLocations;
import static dev.arca.index.IndexFixtures.assertContent;
import static dev.arca.index.IndexFixtures.assertSameLocation;
import static dev.arca.index.IndexFixtures.file;
import static dev.arca.index.IndexFixtures.firstLocations;
import static dev.arca.index.IndexFixtures.sameLocation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.arca.format.id.BlobId;
import dev.arca.format.id.FileId;
import dev.arca.format.index.BlobIndex;
import dev.arca.format.index.BlobIndex.Loaded;
import dev.arca.format.index.BlobLocation;
import dev.arca.format.index.IndexFile;
import dev.arca.format.index.MemoryBlobIndex;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.Txn;

class LmdbBlobIndexTest {
    @TempDir
    Path tmp;

    private static List<Loaded> loaded(IndexFixtures f, int files, int packs, int perPack) {
        List<Loaded> out = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            out.add(new Loaded(f.fileId(), f.file(packs, perPack)));
        }
        return out;
    }

    private static Set<FileId> ids(List<Loaded> files) {
        return files.stream().map(Loaded::id).collect(Collectors.toSet());
    }

    private static BlobIndex.Loader loaderOf(List<Loaded> files) {
        Map<FileId, IndexFile> byId = new HashMap<>();
        for (Loaded l : files) {
            byId.put(l.id(), l.content());
        }
        return id -> {
            IndexFile f = byId.get(id);
            if (f == null) {
                throw new AssertionError("asked to load " + id.shortHex() + ", which was not offered");
            }
            return f;
        };
    }

    /** The LMDB-only view: every ordinal maps back to its blob. */
    private static void assertOrdinalsMapBack(LmdbBlobIndex idx, Set<BlobId> blobs) {
        for (BlobId id : blobs) {
            assertEquals(id, idx.blobAt(idx.ordinal(id)), "blobAt(ordinal(" + id.shortHex() + "))");
        }
        assertNull(idx.blobAt(blobs.size()));
    }

    // ---------------------------------------------------------------- lookups after add

    @Test
    void emptyIndex() throws IOException {
        try (LmdbBlobIndex idx = LmdbBlobIndex.open(tmp.resolve("idx"))) {
            IndexFixtures f = new IndexFixtures(1);
            assertNull(idx.find(f.blobId()));
            assertEquals(-1, idx.ordinal(f.blobId()));
            assertEquals(0, idx.blobCount());
            assertEquals(Set.of(), idx.indexFiles());
            idx.forEach(loc -> fail("visited " + loc.id()));
            assertNull(idx.blobAt(0));
            idx.add(List.of());
            assertEquals(0, idx.blobCount());
        }
    }

    @Test
    void addSeveralFilesThenLookUpEveryBlob() throws IOException {
        IndexFixtures f = new IndexFixtures(2);
        List<Loaded> files = loaded(f, 6, 3, 150);
        try (LmdbBlobIndex idx = LmdbBlobIndex.open(tmp.resolve("idx"))) {
            idx.add(files.subList(0, 2));
            assertEquals(ids(files.subList(0, 2)), idx.indexFiles());
            assertContent(idx, firstLocations(files.subList(0, 2)));
            idx.add(files.subList(2, 3));
            idx.add(files.subList(3, 6));
            assertEquals(ids(files), idx.indexFiles());
            Map<BlobId, BlobLocation> expected = firstLocations(files);
            assertEquals(6 * 3 * 150, expected.size());
            assertContent(idx, expected);
            assertOrdinalsMapBack(idx, expected.keySet());
            assertNull(idx.find(f.blobId()));
            assertEquals(-1, idx.ordinal(f.blobId()));
            assertEquals(Map.of("files", 6L, "packs", 18L, "blobs", 2700L, "ords", 2700L), idx.sizes());
        }
    }

    @Test
    void ordinalsAreStableAcrossAdds() throws IOException {
        IndexFixtures f = new IndexFixtures(3);
        List<Loaded> files = loaded(f, 4, 2, 100);
        try (LmdbBlobIndex idx = LmdbBlobIndex.open(tmp.resolve("idx"))) {
            idx.add(files.subList(0, 1));
            Map<BlobId, Long> before = new HashMap<>();
            for (BlobId id : firstLocations(files.subList(0, 1)).keySet()) {
                before.put(id, idx.ordinal(id));
            }
            idx.add(files.subList(1, 4));
            for (Map.Entry<BlobId, Long> e : before.entrySet()) {
                assertEquals(e.getValue(), idx.ordinal(e.getKey()), "ordinal of " + e.getKey().shortHex());
            }
        }
    }

    @Test
    void aBlobInTwoPacksOrFilesKeepsOneLocation() throws IOException {
        IndexFixtures f = new IndexFixtures(4);
        List<BlobId> shared = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            shared.add(f.blobId());
        }
        List<BlobId> withOwn = new ArrayList<>(shared);
        for (int i = 0; i < 30; i++) {
            withOwn.add(f.blobId());
        }
        // The same blobs twice in one file (two packs), again in a later file of the same batch,
        // and again in a file of a later batch.
        Loaded a = new Loaded(f.fileId(), file(f.pack(withOwn), f.pack(shared)));
        Loaded b = new Loaded(f.fileId(), file(f.pack(shared), f.pack(20)));
        Loaded c = new Loaded(f.fileId(), file(f.pack(withOwn.subList(10, 80))));
        List<Loaded> all = List.of(a, b, c);
        MemoryBlobIndex ref = new MemoryBlobIndex();
        try (LmdbBlobIndex idx = LmdbBlobIndex.open(tmp.resolve("idx"))) {
            idx.add(List.of(a, b));
            ref.add(List.of(a, b));
            idx.add(List.of(c));
            ref.add(List.of(c));
            Map<BlobId, BlobLocation> expected = firstLocations(all);
            assertEquals(80 + 20, expected.size());
            assertContent(idx, expected);
            Map<BlobId, List<BlobLocation>> candidates = allLocations(all);
            for (BlobId id : shared) {
                assertTrue(candidates.get(id).size() >= 3, "the fixture must repeat " + id.shortHex());
                BlobLocation got = idx.find(id);
                assertTrue(candidates.get(id).stream().anyMatch(l -> sameLocation(l, got)));
                assertSameLocation(ref.find(id), got, "same choice as the reference for " + id.shortHex());
            }
        }
    }

    @Test
    void addingAnAlreadyMergedFileIsANoOp() throws IOException {
        IndexFixtures f = new IndexFixtures(5);
        List<Loaded> files = loaded(f, 2, 2, 100);
        Loaded first = files.get(0);
        // Same id, different content: if add() merged it again, the extra blobs would show.
        Loaded impostor = new Loaded(first.id(), f.file(1, 40));
        try (LmdbBlobIndex idx = LmdbBlobIndex.open(tmp.resolve("idx"))) {
            idx.add(List.of(first));
            Map<String, Long> sizes = idx.sizes();
            idx.add(List.of(first));
            idx.add(List.of(impostor));
            assertEquals(sizes, idx.sizes());
            assertContent(idx, firstLocations(List.of(first)));
            idx.add(List.of(impostor, files.get(1), files.get(1)));
            assertEquals(ids(files), idx.indexFiles());
            assertContent(idx, firstLocations(files));
            for (BlobId id : firstLocations(List.of(impostor)).keySet()) {
                assertNull(idx.find(id));
            }
        }
    }

    @Test
    void aFileTwiceInOneBatchIsMergedOnce() throws IOException {
        IndexFixtures f = new IndexFixtures(6);
        Loaded one = loaded(f, 1, 2, 50).get(0);
        Loaded impostor = new Loaded(one.id(), f.file(1, 10));
        try (LmdbBlobIndex idx = LmdbBlobIndex.open(tmp.resolve("idx"))) {
            idx.add(List.of(one, impostor, one));
            assertEquals(Set.of(one.id()), idx.indexFiles());
            assertContent(idx, firstLocations(List.of(one)));
        }
    }

    // ---------------------------------------------------------------- rebuild

    @Test
    void rebuildAgreesWithAddAndWithTheReference() throws IOException {
        IndexFixtures f = new IndexFixtures(7);
        List<Loaded> files = new ArrayList<>(loaded(f, 10, 3, 120));
        // Blobs repeated across files and packs.
        List<BlobId> again = new ArrayList<>(firstLocations(files.subList(2, 3)).keySet()).subList(0, 60);
        files.add(new Loaded(f.fileId(), file(f.pack(again), f.pack(again.subList(0, 10)), f.pack(30))));
        List<FileId> order = files.stream().map(Loaded::id).collect(Collectors.toList());

        MemoryBlobIndex ref = new MemoryBlobIndex();
        ref.rebuild(order, loaderOf(files));
        try (LmdbBlobIndex incremental = LmdbBlobIndex.open(tmp.resolve("inc"));
             LmdbBlobIndex rebuilt = LmdbBlobIndex.open(tmp.resolve("reb"))) {
            for (Loaded l : files) {
                incremental.add(List.of(l));
            }
            rebuilt.add(loaded(f, 2, 1, 30)); // replaced by the rebuild
            rebuilt.rebuild(order, loaderOf(files));

            Map<BlobId, BlobLocation> expected = new HashMap<>();
            ref.forEach(loc -> expected.put(loc.id(), loc));
            assertEquals(firstLocations(files).keySet(), expected.keySet());
            assertEquals(ref.blobCount(), expected.size());
            for (LmdbBlobIndex idx : List.of(incremental, rebuilt)) {
                assertContent(idx, expected);
                assertOrdinalsMapBack(idx, expected.keySet());
                assertEquals(ref.indexFiles(), idx.indexFiles());
            }
            assertEquals(incremental.sizes(), rebuilt.sizes());
            // And the firstLocations helper agrees with the reference, so it can stand in for it.
            assertContent(ref, firstLocations(files));
        }
    }

    @Test
    void rebuildFromNothingEmptiesTheIndex() throws IOException {
        IndexFixtures f = new IndexFixtures(8);
        try (LmdbBlobIndex idx = LmdbBlobIndex.open(tmp.resolve("idx"))) {
            idx.add(loaded(f, 3, 2, 20));
            idx.rebuild(List.of(), id -> fail("nothing to load"));
            assertEquals(Set.of(), idx.indexFiles());
            assertContent(idx, Map.of());
            assertEquals(Map.of("files", 0L, "packs", 0L, "blobs", 0L, "ords", 0L), idx.sizes());
        }
    }

    @Test
    void aLoaderReturningNullLeavesThatFileOut() throws IOException {
        IndexFixtures f = new IndexFixtures(9);
        List<Loaded> files = loaded(f, 3, 2, 40);
        Loaded skipped = files.get(1);
        BlobIndex.Loader all = loaderOf(files);
        try (LmdbBlobIndex idx = LmdbBlobIndex.open(tmp.resolve("idx"))) {
            idx.rebuild(ids(files), id -> id.equals(skipped.id()) ? null : all.load(id));
            assertEquals(Set.of(files.get(0).id(), files.get(2).id()), idx.indexFiles());
            assertContent(idx, firstLocations(List.of(files.get(0), files.get(2))));
            for (BlobId id : firstLocations(List.of(skipped)).keySet()) {
                assertNull(idx.find(id));
            }
            // A later sync that can read it merges it.
            idx.add(List.of(skipped));
            assertEquals(ids(files), idx.indexFiles());
            assertContent(idx, firstLocations(List.of(files.get(0), files.get(2), skipped)));
        }
    }

    @Test
    void anInterruptedRebuildLeavesNoIndexFilesSoCallersRebuild() throws IOException {
        IndexFixtures f = new IndexFixtures(10);
        List<Loaded> before = loaded(f, 2, 1, 30);
        List<Loaded> files = loaded(f, 5, 2, 30);
        Path dir = tmp.resolve("idx");
        try (LmdbBlobIndex idx = LmdbBlobIndex.open(dir)) {
            idx.add(before);
            assertEquals(ids(before), idx.indexFiles());
            AtomicInteger calls = new AtomicInteger();
            BlobIndex.Loader all = loaderOf(files);
            IOException e = assertThrows(IOException.class, () -> idx.rebuild(
                    files.stream().map(Loaded::id).collect(Collectors.toList()), id -> {
                        if (calls.incrementAndGet() == 3) {
                            throw new IOException("injected: backend went away");
                        }
                        return all.load(id);
                    }));
            assertEquals("injected: backend went away", e.getMessage());
            assertEquals(Set.of(), idx.indexFiles());
        }
        try (LmdbBlobIndex idx = LmdbBlobIndex.open(dir)) {
            assertEquals(Set.of(), idx.indexFiles(), "the unfinished rebuild must survive a reopen");
            idx.rebuild(files.stream().map(Loaded::id).collect(Collectors.toList()), loaderOf(files));
            assertEquals(ids(files), idx.indexFiles());
            assertContent(idx, firstLocations(files));
        }
        try (LmdbBlobIndex idx = LmdbBlobIndex.open(dir)) {
            assertEquals(ids(files), idx.indexFiles());
        }
    }

    /** Past the first intermediate commit (every 256 files), so some files are already recorded. */
    @Test
    void aRebuildInterruptedAfterAnIntermediateCommitStillReportsNothing() throws IOException {
        IndexFixtures f = new IndexFixtures(11);
        List<Loaded> files = loaded(f, 400, 1, 3);
        AtomicInteger calls = new AtomicInteger();
        BlobIndex.Loader all = loaderOf(files);
        try (LmdbBlobIndex idx = LmdbBlobIndex.open(tmp.resolve("idx"))) {
            assertThrows(IOException.class, () -> idx.rebuild(
                    files.stream().map(Loaded::id).collect(Collectors.toList()), id -> {
                        if (calls.incrementAndGet() == 300) {
                            throw new IOException("injected");
                        }
                        return all.load(id);
                    }));
            assertTrue(idx.sizes().get("files") >= 256, "the test must cross an intermediate commit: " + idx.sizes());
            assertEquals(Set.of(), idx.indexFiles());
        }
    }

    @Test
    void anExceptionFromTheLoaderMidwayLeavesNoTemporaryRuns() throws IOException {
        IndexFixtures f = new IndexFixtures(12);
        List<Loaded> files = loaded(f, 3, 1, 10);
        Path dir = tmp.resolve("idx");
        try (LmdbBlobIndex idx = LmdbBlobIndex.open(dir)) {
            assertThrows(IOException.class, () -> idx.rebuild(ids(files), id -> {
                throw new IOException("injected");
            }));
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(Set.of("data.mdb", "lock.mdb", "writer.lock"),
                    s.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
        }
    }

    // ---------------------------------------------------------------- persistence and format

    @Test
    void reopeningKeepsTheContent() throws IOException {
        IndexFixtures f = new IndexFixtures(13);
        List<Loaded> files = loaded(f, 4, 2, 80);
        Path dir = tmp.resolve("idx");
        Map<BlobId, Long> ordinals = new HashMap<>();
        try (LmdbBlobIndex idx = LmdbBlobIndex.open(dir)) {
            idx.add(files.subList(0, 2));
            idx.add(files.subList(2, 4));
            for (BlobId id : firstLocations(files).keySet()) {
                ordinals.put(id, idx.ordinal(id));
            }
        }
        try (LmdbBlobIndex idx = LmdbBlobIndex.open(dir)) {
            assertEquals(dir, idx.directory());
            assertEquals(ids(files), idx.indexFiles());
            assertContent(idx, firstLocations(files));
            for (Map.Entry<BlobId, Long> e : ordinals.entrySet()) {
                assertEquals(e.getValue(), idx.ordinal(e.getKey()));
            }
            // It keeps working after the reopen: new packs and blobs get fresh ordinals.
            Loaded more = loaded(f, 1, 2, 10).get(0);
            idx.add(List.of(more));
            List<Loaded> all = new ArrayList<>(files);
            all.add(more);
            assertContent(idx, firstLocations(all));
        }
    }

    private static void writeForeignIndex(Path dir, String marker, boolean withBlobs) {
        try (Env<ByteBuffer> env = Env.create().setMapSize(1L << 24).setMaxDbs(8).open(dir.toFile())) {
            Dbi<ByteBuffer> meta = env.openDbi("meta", DbiFlags.MDB_CREATE);
            Dbi<ByteBuffer> blobs = env.openDbi("blobs", DbiFlags.MDB_CREATE);
            try (Txn<ByteBuffer> txn = env.txnWrite()) {
                if (marker != null) {
                    meta.put(txn, direct("format".getBytes(StandardCharsets.US_ASCII)),
                            direct(marker.getBytes(StandardCharsets.US_ASCII)));
                }
                if (withBlobs) {
                    blobs.put(txn, direct(new byte[32]), direct(new byte[7]));
                }
                txn.commit();
            }
        }
    }

    private static ByteBuffer direct(byte[] b) {
        ByteBuffer buf = ByteBuffer.allocateDirect(Math.max(1, b.length));
        buf.put(b).flip();
        return buf;
    }

    @Test
    void anIndexWithAnotherFormatMarkerIsWiped() throws IOException {
        Path dir = tmp.resolve("idx");
        Files.createDirectories(dir);
        writeForeignIndex(dir, "arca-lmdb-index-0", true);
        IndexFixtures f = new IndexFixtures(14);
        List<Loaded> files = loaded(f, 2, 1, 20);
        try (LmdbBlobIndex idx = LmdbBlobIndex.open(dir)) {
            assertEquals(Set.of(), idx.indexFiles());
            assertEquals(0, idx.blobCount());
            assertNull(idx.find(BlobId.fromBytes(new byte[32])));
            idx.add(files);
            assertContent(idx, firstLocations(files));
        }
        try (LmdbBlobIndex idx = LmdbBlobIndex.open(dir)) {
            assertEquals(ids(files), idx.indexFiles(), "the index written after the wipe must not be wiped again");
        }
    }

    @Test
    void anIndexWithoutAMarkerButWithContentIsWiped() throws IOException {
        Path dir = tmp.resolve("idx");
        Files.createDirectories(dir);
        writeForeignIndex(dir, null, true);
        try (LmdbBlobIndex idx = LmdbBlobIndex.open(dir)) {
            assertEquals(0, idx.blobCount());
            assertNull(idx.find(BlobId.fromBytes(new byte[32])));
        }
    }

    @Test
    void anUnreadableDatabaseFileIsWiped() throws IOException {
        Path dir = tmp.resolve("idx");
        Files.createDirectories(dir);
        byte[] junk = new byte[64 << 10];
        ThreadLocalRandom.current().nextBytes(junk);
        Files.write(dir.resolve("data.mdb"), junk);
        IndexFixtures f = new IndexFixtures(15);
        List<Loaded> files = loaded(f, 1, 1, 5);
        try (LmdbBlobIndex idx = LmdbBlobIndex.open(dir)) {
            assertEquals(0, idx.blobCount());
            idx.add(files);
            assertContent(idx, firstLocations(files));
        }
    }

    // ---------------------------------------------------------------- concurrency

    /**
     * Readers running while one writer adds files: a blob whose file's add() has returned is
     * always found at its location; no blob is ever found at a wrong location; an ordinal is
     * always below a blob count read after it.
     */
    @Test
    void concurrentFindsWhileAdding() throws Exception {
        IndexFixtures f = new IndexFixtures(16);
        List<Loaded> files = loaded(f, 40, 2, 250);
        List<List<BlobId>> blobsOf = new ArrayList<>();
        for (Loaded l : files) {
            blobsOf.add(new ArrayList<>(firstLocations(List.of(l)).keySet()));
        }
        Map<BlobId, BlobLocation> expected = firstLocations(files);
        AtomicInteger published = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        CountDownLatch readersStarted = new CountDownLatch(3);
        try (LmdbBlobIndex idx = LmdbBlobIndex.open(tmp.resolve("idx"))) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Long>> readers = new ArrayList<>();
                for (int t = 0; t < 3; t++) {
                    readers.add(pool.submit(() -> {
                        ThreadLocalRandom r = ThreadLocalRandom.current();
                        readersStarted.countDown();
                        long checks = 0;
                        while (!done.get()) {
                            int visible = published.get();
                            int file = r.nextInt(files.size());
                            List<BlobId> blobs = blobsOf.get(file);
                            BlobId id = blobs.get(r.nextInt(blobs.size()));
                            BlobLocation got = idx.find(id);
                            if (file < visible) {
                                assertSameLocation(expected.get(id), got, "published blob " + id.shortHex());
                            } else if (got != null) {
                                assertSameLocation(expected.get(id), got, "blob " + id.shortHex());
                            }
                            long ord = idx.ordinal(id);
                            if (ord >= 0) {
                                long count = idx.blobCount();
                                assertTrue(ord < count, "ordinal " + ord + " >= count " + count);
                            } else if (file < visible) {
                                fail("published blob without an ordinal");
                            }
                            checks++;
                        }
                        return checks;
                    }));
                }
                Future<?> writer = pool.submit(() -> {
                    assertTrue(readersStarted.await(30, TimeUnit.SECONDS));
                    for (int i = 0; i < files.size(); i++) {
                        idx.add(List.of(files.get(i)));
                        published.set(i + 1);
                    }
                    return null;
                });
                try {
                    writer.get(60, TimeUnit.SECONDS);
                } finally {
                    done.set(true);
                }
                for (Future<Long> r : readers) {
                    r.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
                assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
            }
            assertContent(idx, expected);
        }
    }

    @Test
    void concurrentAddsFromSeveralThreadsMergeEverything() throws Exception {
        IndexFixtures f = new IndexFixtures(17);
        List<Loaded> files = loaded(f, 24, 1, 100);
        try (LmdbBlobIndex idx = LmdbBlobIndex.open(tmp.resolve("idx"))) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int first = t;
                    futures.add(pool.submit(() -> {
                        // Every thread offers every file; each must be merged exactly once.
                        for (int i = 0; i < files.size(); i++) {
                            idx.add(List.of(files.get((i + first * 6) % files.size())));
                        }
                        return null;
                    }));
                }
                for (Future<?> fu : futures) {
                    fu.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(ids(files), idx.indexFiles());
            assertContent(idx, firstLocations(files));
            assertEquals(24L, idx.sizes().get("packs"));
        }
    }

    @Test
    void indexFilesIsACopy() throws IOException {
        IndexFixtures f = new IndexFixtures(18);
        List<Loaded> files = loaded(f, 2, 1, 3);
        try (LmdbBlobIndex idx = LmdbBlobIndex.open(tmp.resolve("idx"))) {
            idx.add(files);
            Set<FileId> got = idx.indexFiles();
            got.add(f.fileId());
            got.remove(files.get(0).id());
            assertEquals(ids(files), idx.indexFiles());
        }
    }
}
