package dev.arca.format.repo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arca.format.CorruptObjectException;
import dev.arca.format.MissingObjectException;
import dev.arca.format.NoRepositoryException;
import dev.arca.format.RepositoryException;
import dev.arca.format.RepositoryExistsException;
import dev.arca.format.UnsupportedVersionException;
import dev.arca.format.WrongPasswordException;
import dev.arca.format.backend.Backend;
import dev.arca.format.backend.FileType;
import dev.arca.format.backend.Handle;
import dev.arca.format.backend.LocalBackend;
import dev.arca.format.backend.MemoryBackend;
import dev.arca.format.backend.Payload;
import dev.arca.format.crypto.SealedFile;
import dev.arca.format.id.BlobId;
import dev.arca.format.id.BlobType;
import dev.arca.format.id.FileId;
import dev.arca.format.index.MemoryBlobIndex;
import dev.arca.format.io.Json;
import dev.arca.format.snapshot.Snapshot;
import dev.arca.format.testing.DeterministicRandom;
import dev.arca.format.testing.TestRepos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryTest {
    private static List<Handle> list(Backend b, FileType t) throws IOException {
        List<Handle> out = new ArrayList<>();
        b.list(t, f -> out.add(f.handle()));
        return out;
    }

    @Test
    void blobsRoundTripAndDeduplicate() throws IOException {
        MemoryBackend backend = new MemoryBackend();
        byte[] text = "hello arca ".repeat(1000).getBytes();
        byte[] random = DeterministicRandom.bytes(200_000);
        BlobId a;
        BlobId b;
        try (Repository repo = TestRepos.init(backend); BlobWriter w = repo.newWriter()) {
            BlobWriter.Saved s1 = w.save(BlobType.DATA, text);
            BlobWriter.Saved s2 = w.save(BlobType.DATA, random);
            BlobWriter.Saved again = w.save(BlobType.DATA, text);
            assertTrue(s1.added());
            assertFalse(again.added(), "the same content in one session is stored once");
            assertEquals(s1.id(), again.id());
            w.flush();
            a = s1.id();
            b = s2.id();
            assertTrue(s1.storedLength() < text.length / 10, "repetitive text is stored compressed");
            assertTrue(s2.storedLength() >= random.length, "random data is stored raw");
        }
        try (Repository repo = TestRepos.open(backend); BlobWriter w = repo.newWriter()) {
            assertArrayEquals(text, repo.loadBlob(a));
            assertArrayEquals(random, repo.loadBlob(b));
            assertFalse(w.save(BlobType.DATA, random).added(), "a later session finds stored blobs in the index");
        }
        assertEquals(1, list(backend, FileType.INDEX).size());
    }

    @Test
    void filesAreNamedBySha256OfTheirBytes() throws IOException {
        MemoryBackend backend = new MemoryBackend();
        try (Repository repo = TestRepos.init(backend); BlobWriter w = repo.newWriter()) {
            w.save(BlobType.DATA, DeterministicRandom.bytes(5000));
            w.save(BlobType.TREE, new byte[] {1, 0});
            w.flush();
            Snapshot s = new Snapshot();
            s.time = "2026-01-01T00:00:00Z";
            s.tree = BlobId.fromBytes(new byte[32]).hex();
            repo.saveSnapshot(s);
        }
        for (FileType t : List.of(FileType.KEY, FileType.PACK, FileType.INDEX, FileType.SNAPSHOT)) {
            List<Handle> files = list(backend, t);
            assertFalse(files.isEmpty(), "no " + t);
            for (Handle h : files) {
                assertEquals(h.name(), FileId.of(backend.readAll(h)).hex(), h.path());
            }
        }
        assertEquals(2, list(backend, FileType.PACK).size(), "data and trees go to separate packs");
    }

    @Test
    void initRefusesAnExistingRepository(@TempDir Path dir) throws IOException {
        LocalBackend backend = new LocalBackend(dir.resolve("repo"));
        TestRepos.init(backend).close();
        RepositoryExistsException e = assertThrows(RepositoryExistsException.class, () -> TestRepos.init(backend));
        assertTrue(e.getMessage().contains("already exists"));
    }

    @Test
    void initRefusesANonEmptyDirectory(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("precious.txt"), "do not mix");
        assertThrows(RepositoryExistsException.class, () -> TestRepos.init(new LocalBackend(dir)));
        assertEquals(List.of(dir.resolve("precious.txt")), Files.list(dir).toList());
    }

    @Test
    void openingWithTheWrongPasswordIsATypedError() throws IOException {
        MemoryBackend backend = new MemoryBackend();
        TestRepos.init(backend).close();
        assertThrows(WrongPasswordException.class,
                () -> Repository.open(backend, "nope".toCharArray(), id -> new MemoryBlobIndex(), new SecureRandom()));
    }

    @Test
    void noConfigMeansNoRepository(@TempDir Path dir) {
        assertThrows(NoRepositoryException.class, () -> TestRepos.open(new LocalBackend(dir.resolve("absent"))));
    }

    @Test
    void aConfigFileOfANewerVersionIsRefusedBeforeAnyPassword() throws IOException {
        MemoryBackend backend = new MemoryBackend();
        TestRepos.init(backend).close();
        byte[] cfg = backend.readAll(Handle.CONFIG);
        cfg[4] = 2;
        backend.overwrite(Handle.CONFIG, cfg);
        UnsupportedVersionException e = assertThrows(UnsupportedVersionException.class,
                () -> Repository.open(backend, "wrong".toCharArray(), id -> new MemoryBlobIndex(), new SecureRandom()));
        assertTrue(e.getMessage().contains("version 2"), e.getMessage());
        assertTrue(e.getMessage().contains("newer arca"), e.getMessage());
    }

    @Test
    void aConfigClaimingANewerRepositoryVersionIsRefused() throws IOException {
        MemoryBackend backend = new MemoryBackend();
        byte[] encKey;
        try (Repository repo = TestRepos.init(backend)) {
            encKey = repo.keys().encKey();
        }
        byte[] content = SealedFile.open(encKey, backend.readAll(Handle.CONFIG), Config.MAGIC, 1, 1, "config", "config")
                .content();
        Config c = Json.read(content, 0, content.length, Config.class, "config");
        c.version = 7;
        backend.overwrite(Handle.CONFIG, SealedFile.seal(encKey, Config.MAGIC, 1, c.encode(), new SecureRandom()));
        UnsupportedVersionException e = assertThrows(UnsupportedVersionException.class, () -> TestRepos.open(backend));
        assertTrue(e.getMessage().contains("repository format version 7"), e.getMessage());
    }

    @Test
    void keysCanBeAddedRemovedAndChanged() throws IOException {
        MemoryBackend backend = new MemoryBackend();
        char[] second = "second password".toCharArray();
        FileId secondKey;
        try (Repository repo = TestRepos.init(backend)) {
            secondKey = repo.addKey(second, TestRepos.FAST_KDF, "h", "u");
            assertEquals(2, repo.listKeys().size());
            assertThrows(IllegalArgumentException.class, () -> repo.removeKey(repo.keyId()));
        }
        FileId first;
        try (Repository repo = Repository.open(backend, second, id -> new MemoryBlobIndex(), new SecureRandom())) {
            assertEquals(secondKey, repo.keyId());
            first = repo.listKeys().stream().filter(k -> !k.current()).findFirst().orElseThrow().id();
            repo.removeKey(first);
            assertEquals(1, repo.listKeys().size());
        }
        assertThrows(WrongPasswordException.class, () -> TestRepos.open(backend));
        char[] third = "third".toCharArray();
        try (Repository repo = Repository.open(backend, second, id -> new MemoryBlobIndex(), new SecureRandom())) {
            repo.changePassword(third, TestRepos.FAST_KDF, "h", "u");
        }
        assertThrows(WrongPasswordException.class,
                () -> Repository.open(backend, second, id -> new MemoryBlobIndex(), new SecureRandom()));
        Repository.open(backend, third, id -> new MemoryBlobIndex(), new SecureRandom()).close();
    }

    @Test
    void aFlippedByteInAPackIsCaughtWhenTheBlobIsRead() throws IOException {
        MemoryBackend backend = new MemoryBackend();
        BlobId id;
        try (Repository repo = TestRepos.init(backend); BlobWriter w = repo.newWriter()) {
            id = w.save(BlobType.DATA, DeterministicRandom.bytes(100_000)).id();
            w.flush();
        }
        Handle pack = list(backend, FileType.PACK).get(0);
        byte[] bytes = backend.readAll(pack);
        bytes[5000] ^= 0x40;
        backend.overwrite(pack, bytes);
        try (Repository repo = TestRepos.open(backend)) {
            CorruptObjectException e = assertThrows(CorruptObjectException.class, () -> repo.loadBlob(id));
            assertEquals(pack.path(), e.object());
        }
    }

    @Test
    void aMissingPackIsAMissingObject() throws IOException {
        MemoryBackend backend = new MemoryBackend();
        BlobId id;
        try (Repository repo = TestRepos.init(backend); BlobWriter w = repo.newWriter()) {
            id = w.save(BlobType.DATA, DeterministicRandom.bytes(1000)).id();
            w.flush();
        }
        backend.delete(list(backend, FileType.PACK).get(0));
        try (Repository repo = TestRepos.open(backend)) {
            MissingObjectException e = assertThrows(MissingObjectException.class, () -> repo.loadBlob(id));
            assertTrue(e.getMessage().contains("pack is missing"), e.getMessage());
        }
    }

    @Test
    void damagedIndexAndSnapshotFilesAreNamed() throws IOException {
        MemoryBackend backend = new MemoryBackend();
        try (Repository repo = TestRepos.init(backend); BlobWriter w = repo.newWriter()) {
            w.save(BlobType.DATA, DeterministicRandom.bytes(1000));
            w.flush();
            Snapshot s = new Snapshot();
            s.time = "2026-01-01T00:00:00Z";
            s.tree = BlobId.fromBytes(new byte[32]).hex();
            repo.saveSnapshot(s);
            repo.saveSnapshot(s);
        }
        Handle index = list(backend, FileType.INDEX).get(0);
        byte[] b = backend.readAll(index);
        b[b.length - 3] ^= 1;
        backend.overwrite(index, b);
        Handle snap = list(backend, FileType.SNAPSHOT).get(0);
        byte[] s = backend.readAll(snap);
        s[40] ^= 1;
        backend.overwrite(snap, s);
        try (Repository repo = TestRepos.open(backend)) {
            CorruptObjectException e = assertThrows(CorruptObjectException.class, repo::index);
            assertEquals(index.path(), e.object());
            List<RepositoryException> problems = new ArrayList<>();
            assertEquals(1, repo.snapshots(problems::add).size(), "the intact snapshot is still listed");
            assertEquals(1, problems.size());
            assertEquals(snap.path(), ((CorruptObjectException) problems.get(0)).object());
        }
    }

    @Test
    void snapshotsResolveByPrefixAndLatest() throws IOException {
        try (Repository repo = TestRepos.memory()) {
            List<FileId> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Snapshot s = new Snapshot();
                s.time = "2026-01-0" + (i + 1) + "T00:00:00Z";
                s.tree = BlobId.fromBytes(new byte[32]).hex();
                s.host = "h" + i;
                ids.add(repo.saveSnapshot(s));
            }
            assertEquals(ids.get(2), repo.resolveSnapshot("latest", s -> true));
            assertEquals(ids.get(1), repo.resolveSnapshot("latest", s -> "h1".equals(s.host)));
            assertEquals(ids.get(0), repo.resolveSnapshot(ids.get(0).hex().substring(0, 12), s -> true));
            assertThrows(dev.arca.format.NoSuchSnapshotException.class, () -> repo.resolveSnapshot("latest", s -> false));
            assertThrows(dev.arca.format.NoSuchSnapshotException.class, () -> repo.resolveSnapshot("ffff", s -> true));
            assertThrows(IllegalArgumentException.class, () -> repo.resolveSnapshot("xyz", s -> true));
            assertNotNull(repo.loadSnapshot(ids.get(1)).host);
        }
    }

    @Test
    void aFailedPackStoreFailsTheSessionAndNothingIsIndexed() throws IOException {
        MemoryBackend inner = new MemoryBackend();
        TestRepos.init(inner).close();
        Backend failing = new Backend() {
            @Override
            public String location() {
                return "failing";
            }

            @Override
            public void save(Handle h, Payload p) throws IOException {
                if (h.type() == FileType.PACK) {
                    throw new IOException("disk full");
                }
                inner.save(h, p);
            }

            @Override
            public java.io.InputStream openRange(Handle h, long o, long l) throws IOException {
                return inner.openRange(h, o, l);
            }

            @Override
            public long size(Handle h) throws IOException {
                return inner.size(h);
            }

            @Override
            public void list(FileType t, java.util.function.Consumer<FileInfo> c) throws IOException {
                inner.list(t, c);
            }

            @Override
            public void delete(Handle h) throws IOException {
                inner.delete(h);
            }

            @Override
            public boolean isEmpty() throws IOException {
                return inner.isEmpty();
            }
        };
        try (Repository repo = TestRepos.open(failing); BlobWriter w = repo.newWriter()) {
            w.save(BlobType.DATA, DeterministicRandom.bytes(10_000));
            IOException e = assertThrows(IOException.class, w::flush);
            assertTrue(e.getMessage().contains("disk full"), e.getMessage());
            assertThrows(IOException.class, () -> w.save(BlobType.DATA, new byte[] {1, 2, 3}));
        }
        assertTrue(list(inner, FileType.INDEX).isEmpty(), "no index file may list a pack that was not stored");
    }
}
