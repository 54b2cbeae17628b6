package dev.arca.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arca.format.CorruptObjectException;
import dev.arca.format.MissingObjectException;
import dev.arca.format.RepositoryException;
import dev.arca.format.backend.FileType;
import dev.arca.format.backend.Handle;
import dev.arca.format.backend.MemoryBackend;
import dev.arca.format.backend.Payload;
import dev.arca.format.crypto.KdfParams;
import dev.arca.format.crypto.SealedFile;
import dev.arca.format.id.BlobId;
import dev.arca.format.id.BlobType;
import dev.arca.format.id.FileId;
import dev.arca.format.index.BlobIndex;
import dev.arca.format.index.BlobLocation;
import dev.arca.format.index.IndexFile;
import dev.arca.format.pack.PackEntry;
import dev.arca.format.repo.BlobWriter;
import dev.arca.format.repo.Repository;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Repository}'s index sync, with the LMDB index: new files merged, deleted ones rebuilt. */
class RepositoryLmdbSyncTest {
    private static final char[] PASSWORD = "pw".toCharArray();

    @TempDir
    Path tmp;

    private final MemoryBackend backend = new MemoryBackend();
    private final List<Repository> opened = new ArrayList<>();
    private Repository writer;

    /** What one writing session stored. */
    private record Batch(Map<BlobId, byte[]> blobs, FileId indexFile) {
    }

    private Repository.IndexFactory lmdbUnder(String name) {
        return id -> LmdbBlobIndex.open(tmp.resolve(name).resolve(id));
    }

    private Repository open(String cacheName) throws IOException {
        Repository r = Repository.open(backend, PASSWORD, lmdbUnder(cacheName), new SecureRandom());
        opened.add(r);
        return r;
    }

    @BeforeEach
    void init() throws IOException {
        writer = Repository.init(backend, PASSWORD, Repository.InitOptions.defaults("h", "u")
                .withKdf(new KdfParams(1, 8, 1)).withPackSize(1 << 20), lmdbUnder("writer"), new SecureRandom());
        opened.add(writer);
    }

    @AfterEach
    void closeAll() throws IOException {
        for (Repository r : opened) {
            r.close();
        }
    }

    /** Stores {@code count} new random blobs in one session: a few packs and one index file. */
    private Batch write(Repository repo, long seed, int count) throws IOException {
        Random r = new Random(seed);
        Map<BlobId, byte[]> blobs = new HashMap<>();
        List<FileId> indexFiles;
        try (BlobWriter w = repo.newWriter()) {
            for (int i = 0; i < count; i++) {
                byte[] data = new byte[100 + r.nextInt(20_000)];
                r.nextBytes(data);
                BlobWriter.Saved s = w.save(BlobType.DATA, data);
                assertTrue(s.added());
                blobs.put(s.id(), data);
            }
            w.flush();
            indexFiles = w.indexFilesWritten();
        }
        assertEquals(1, indexFiles.size(), "the fixture expects one index file per session");
        return new Batch(blobs, indexFiles.get(0));
    }

    private Set<FileId> indexFilesInBackend() throws IOException {
        Set<FileId> out = new HashSet<>();
        backend.list(FileType.INDEX, f -> out.add(FileId.fromHex(f.handle().name())));
        return out;
    }

    private static void assertFound(Repository repo, Batch b) throws IOException {
        BlobIndex idx = repo.index();
        for (Map.Entry<BlobId, byte[]> e : b.blobs().entrySet()) {
            assertNotNull(idx.find(e.getKey()), "blob " + e.getKey().shortHex() + " of index/" + b.indexFile().shortHex());
            assertArrayEquals(e.getValue(), repo.loadBlob(e.getKey()));
        }
    }

    private static void assertGone(Repository repo, Batch b) throws IOException {
        BlobIndex idx = repo.index();
        for (BlobId id : b.blobs().keySet()) {
            assertNull(idx.find(id), "blob " + id.shortHex() + " is still indexed");
            assertEquals(-1, idx.ordinal(id));
            assertThrows(MissingObjectException.class, () -> repo.loadBlob(id));
        }
    }

    private static Handle indexHandle(FileId id) {
        return new Handle(FileType.INDEX, id.hex());
    }

    private byte[] corrupt(FileId id) throws IOException {
        byte[] good = backend.readAll(indexHandle(id));
        byte[] bad = good.clone();
        bad[bad.length / 2] ^= 0x10;
        backend.overwrite(indexHandle(id), bad);
        return good;
    }

    // ---------------------------------------------------------------- tests

    @Test
    void aSecondRepositoryWithAFreshIndexFindsEveryBlob() throws IOException {
        Batch one = write(writer, 1, 150);
        Batch two = write(writer, 2, 120);
        assertEquals(Set.of(one.indexFile(), two.indexFile()), indexFilesInBackend());
        assertFound(writer, one);
        assertFound(writer, two);

        Repository reader = open("reader");
        BlobIndex idx = reader.index();
        assertTrue(idx instanceof LmdbBlobIndex);
        assertEquals(Set.of(one.indexFile(), two.indexFile()), idx.indexFiles());
        assertEquals(270, idx.blobCount());
        assertFound(reader, one);
        assertFound(reader, two);
    }

    @Test
    void syncMergesIndexFilesWrittenByAnotherSession() throws IOException {
        Batch one = write(writer, 3, 60);
        Repository reader = open("reader");
        assertFound(reader, one);
        Batch two = write(writer, 4, 60);
        assertNull(reader.index().find(two.blobs().keySet().iterator().next()), "not synced yet");
        reader.syncIndex();
        assertEquals(Set.of(one.indexFile(), two.indexFile()), reader.index().indexFiles());
        assertFound(reader, one);
        assertFound(reader, two);
    }

    @Test
    void reopeningWithTheSameCacheKeepsTheIndex() throws IOException {
        Batch one = write(writer, 5, 80);
        Repository first = open("reader");
        assertFound(first, one);
        Map<BlobId, Long> ordinals = new HashMap<>();
        for (BlobId id : one.blobs().keySet()) {
            ordinals.put(id, first.index().ordinal(id));
        }
        first.close();
        Repository again = open("reader");
        assertEquals(Set.of(one.indexFile()), again.index().indexFiles());
        for (Map.Entry<BlobId, Long> e : ordinals.entrySet()) {
            assertEquals(e.getValue(), again.index().ordinal(e.getKey()), "ordinal changed without a rebuild");
        }
        assertFound(again, one);
    }

    @Test
    void aDeletedIndexFileMakesSyncRebuild() throws IOException {
        Batch one = write(writer, 6, 100);
        Batch two = write(writer, 7, 100);
        Repository reader = open("reader");
        assertFound(reader, one);
        backend.delete(indexHandle(one.indexFile()));

        reader.syncIndex();
        assertEquals(Set.of(two.indexFile()), reader.index().indexFiles());
        assertEquals(100, reader.index().blobCount());
        assertGone(reader, one);
        assertFound(reader, two);

        writer.syncIndex();
        assertEquals(Set.of(two.indexFile()), writer.index().indexFiles());
        assertGone(writer, one);
    }

    /**
     * What prune does: writes an index file that supersedes an old one and lists only the packs
     * it keeps, then deletes the old one. After a sync, blobs of the kept packs are still found
     * (in the same pack), blobs of the dropped packs are not.
     */
    @Test
    void aSupersedingIndexFileKeepsOnlyItsPacks() throws IOException {
        Batch one = write(writer, 8, 200);
        Batch two = write(writer, 9, 30);
        Repository reader = open("reader");
        assertFound(reader, one);
        IndexFile old = reader.loadIndexFile(one.indexFile());
        assertTrue(old.packs().size() >= 2, "the fixture needs several packs, has " + old.packs().size());
        IndexFile.Pack kept = old.packs().get(0);
        byte[] sealed = SealedFile.seal(writer.keys().encKey(), IndexFile.MAGIC, IndexFile.VERSION_CURRENT,
                new IndexFile(List.of(one.indexFile()), List.of(kept)).encode(), new SecureRandom());
        FileId replacement = FileId.of(sealed);
        backend.save(indexHandle(replacement), Payload.of(sealed));
        backend.delete(indexHandle(one.indexFile()));

        reader.syncIndex();
        assertEquals(Set.of(replacement, two.indexFile()), reader.index().indexFiles());
        Set<BlobId> keptIds = new HashSet<>();
        for (PackEntry e : kept.entries()) {
            keptIds.add(e.id());
            BlobLocation loc = reader.index().find(e.id());
            assertNotNull(loc);
            assertEquals(kept.id(), loc.pack());
            assertArrayEquals(one.blobs().get(e.id()), reader.loadBlob(e.id()));
        }
        for (BlobId id : one.blobs().keySet()) {
            if (!keptIds.contains(id)) {
                assertNull(reader.index().find(id), "blob " + id.shortHex() + " of a dropped pack is still indexed");
            }
        }
        assertEquals(keptIds.size() + 30, reader.index().blobCount());
        assertFound(reader, two);
    }

    @Test
    void aCorruptNewIndexFileIsReportedSkippedAndPickedUpOnceFixed() throws IOException {
        Batch one = write(writer, 10, 50);
        Repository reader = open("reader");
        assertFound(reader, one);
        Batch two = write(writer, 11, 50);
        byte[] good = corrupt(two.indexFile());

        List<RepositoryException> problems = new ArrayList<>();
        reader.syncIndex(problems::add);
        assertEquals(1, problems.size(), "problems: " + problems);
        assertTrue(problems.get(0) instanceof CorruptObjectException, problems.get(0).toString());
        assertEquals("index/" + two.indexFile().hex(), ((CorruptObjectException) problems.get(0)).object());
        assertEquals(Set.of(one.indexFile()), reader.index().indexFiles());
        assertFound(reader, one);
        assertGone(reader, two);

        // The strict variant fails on it.
        assertThrows(CorruptObjectException.class, reader::syncIndex);

        backend.overwrite(indexHandle(two.indexFile()), good);
        problems.clear();
        reader.syncIndex(problems::add);
        assertEquals(List.of(), problems);
        assertEquals(Set.of(one.indexFile(), two.indexFile()), reader.index().indexFiles());
        assertFound(reader, one);
        assertFound(reader, two);
    }

    @Test
    void aCorruptIndexFileDuringARebuildIsReportedSkippedAndPickedUpOnceFixed() throws IOException {
        Batch one = write(writer, 12, 40);
        Batch two = write(writer, 13, 40);
        Repository reader = open("reader");
        assertFound(reader, one);
        Batch three = write(writer, 14, 40);
        byte[] good = corrupt(three.indexFile());
        backend.delete(indexHandle(one.indexFile()));

        List<RepositoryException> problems = new ArrayList<>();
        reader.syncIndex(problems::add);
        assertEquals(1, problems.size(), "problems: " + problems);
        assertEquals("index/" + three.indexFile().hex(), ((CorruptObjectException) problems.get(0)).object());
        assertEquals(Set.of(two.indexFile()), reader.index().indexFiles());
        assertGone(reader, one);
        assertFound(reader, two);
        assertGone(reader, three);

        backend.overwrite(indexHandle(three.indexFile()), good);
        problems.clear();
        reader.syncIndex(problems::add);
        assertEquals(List.of(), problems);
        assertEquals(Set.of(two.indexFile(), three.indexFile()), reader.index().indexFiles());
        assertFound(reader, two);
        assertFound(reader, three);
    }

    /** An LMDB index left mid-rebuild (its marker set) is rebuilt by the next sync. */
    @Test
    void anIndexLeftMidRebuildIsRebuiltOnOpen() throws IOException {
        Batch one = write(writer, 15, 60);
        Batch two = write(writer, 16, 60);
        Path dir = tmp.resolve("reader").resolve(writer.id());
        try (LmdbBlobIndex idx = LmdbBlobIndex.open(dir)) {
            assertThrows(IOException.class, () -> idx.rebuild(List.of(one.indexFile(), two.indexFile()), id -> {
                throw new IOException("injected: interrupted");
            }));
        }
        Repository reader = open("reader");
        assertEquals(Set.of(one.indexFile(), two.indexFile()), reader.index().indexFiles());
        assertFound(reader, one);
        assertFound(reader, two);
    }

    /**
     * {@code check} calls {@code syncIndex(problems)} on a freshly opened repository. The first
     * sync then happens inside {@code index()}, which uses the strict variant, so the corrupt
     * file aborts the sync instead of being reported.
     */
    @Test
    void syncWithProblemsReportsACorruptFileOnTheFirstSyncToo() throws IOException {
        Batch one = write(writer, 17, 30);
        Batch two = write(writer, 18, 30);
        corrupt(two.indexFile());
        Repository reader = open("reader");
        List<RepositoryException> problems = new ArrayList<>();
        reader.syncIndex(problems::add);
        assertEquals(1, problems.size(), "problems: " + problems);
        assertEquals(Set.of(one.indexFile()), reader.index().indexFiles());
        assertFound(reader, one);
    }
}
