package dev.arca.format.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arca.format.backend.MemoryBackend;
import dev.arca.format.id.BlobId;
import dev.arca.format.id.BlobType;
import dev.arca.format.id.FileId;
import dev.arca.format.mark.Mark;
import dev.arca.format.testing.DeterministicRandom;
import dev.arca.format.testing.TestRepos;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a writing session treats prune's delete marks (spec §13.1). */
class BlobWriterMarksTest {
    private static final byte[] DATA = DeterministicRandom.bytes(5000);

    private static FileId store(Repository repo, byte[] data) throws IOException {
        try (BlobWriter w = repo.newWriter()) {
            assertTrue(w.save(BlobType.DATA, data).added());
            w.flush();
        }
        return repo.locate(repo.hasher().id(data)).pack();
    }

    private static FileId mark(Repository repo, FileId pack, Duration grace) throws IOException {
        Instant now = Instant.now();
        return repo.saveMark(Mark.delete(now, now.plus(grace), "h", List.of(new Mark.Item(pack, 0, null))));
    }

    private static List<Mark> cancellations(Repository repo) throws IOException {
        return repo.marks(e -> { }).stream().map(Repository.MarkRef::mark).filter(m -> m.kind() == Mark.Kind.CANCEL).toList();
    }

    @Test
    void aBlobOnlyInAMarkedPackIsStoredAgain() throws IOException {
        Repository repo = TestRepos.init(new MemoryBackend());
        FileId pack = store(repo, DATA);
        mark(repo, pack, Duration.ofHours(24));
        try (BlobWriter w = repo.newWriter()) {
            assertTrue(w.save(BlobType.DATA, DATA).added(), "not reused from a marked pack");
            w.flush();
            assertTrue(cancellations(repo).isEmpty(), "nothing reused, nothing to cancel");
        }
        try (BlobWriter w = repo.newWriter()) {
            // The index may still place the blob in the marked pack; then it is stored once more.
            BlobId id = repo.hasher().id(DATA);
            boolean again = w.save(BlobType.DATA, DATA).added();
            assertEquals(repo.locate(id).pack().equals(pack), again);
        }
    }

    @Test
    void aMarkThatAppearsDuringASessionIsCancelledForPacksItReused() throws IOException {
        Repository repo = TestRepos.init(new MemoryBackend());
        FileId pack = store(repo, DATA);
        try (BlobWriter w = repo.newWriter()) {
            assertFalse(w.save(BlobType.DATA, DATA).added(), "reused");
            w.save(BlobType.DATA, DeterministicRandom.bytes(7000));
            FileId m = mark(repo, pack, Duration.ofHours(24));
            w.flush();
            List<Mark> cancels = cancellations(repo);
            assertEquals(1, cancels.size());
            assertEquals(new Mark.Item(pack, 0, m), cancels.get(0).items().get(0));
        }
    }

    @Test
    void aMarkTooCloseToItsDeletionFailsTheSession() throws IOException {
        Repository repo = TestRepos.init(new MemoryBackend());
        FileId pack = store(repo, DATA);
        FileId other = store(repo, DeterministicRandom.bytes(6000));
        assertNotEquals(pack, other);
        try (BlobWriter w = repo.newWriter()) {
            assertFalse(w.save(BlobType.DATA, DATA).added());
            mark(repo, other, Duration.ZERO);
            w.flush();
            assertTrue(cancellations(repo).isEmpty(), "a mark of a pack not reused does not matter");
        }
        try (BlobWriter w = repo.newWriter()) {
            assertFalse(w.save(BlobType.DATA, DATA).added());
            mark(repo, pack, Duration.ZERO);
            IOException e = assertThrows(IOException.class, w::flush);
            assertTrue(e.getMessage().contains("grace period"), e.getMessage());
            assertTrue(cancellations(repo).isEmpty());
        }
    }

    @Test
    void marksRoundTripThroughTheRepository() throws IOException {
        Repository repo = TestRepos.init(new MemoryBackend());
        FileId pack = store(repo, DATA);
        FileId m = mark(repo, pack, Duration.ofMinutes(5));
        List<Repository.MarkRef> marks = repo.marks(e -> { });
        assertEquals(1, marks.size());
        assertEquals(m, marks.get(0).id());
        assertEquals(Duration.ofMinutes(5), Duration.between(marks.get(0).mark().created(), marks.get(0).mark().notBefore()));
        repo.removeMark(m);
        assertTrue(repo.marks(e -> { }).isEmpty());
    }
}
