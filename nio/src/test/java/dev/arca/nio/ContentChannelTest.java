package dev.arca.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arca.chunker.ChunkerParams;
import dev.arca.engine.files.BackupSession;
import dev.arca.engine.files.BackupStats;
import dev.arca.format.CorruptObjectException;
import dev.arca.format.backend.MemoryBackend;
import dev.arca.format.id.BlobId;
import dev.arca.format.index.MemoryBlobIndex;
import dev.arca.format.repo.Repository;
import dev.arca.format.testing.DeterministicRandom;
import dev.arca.format.testing.TestRepos;
import dev.arca.format.tree.Node;
import dev.arca.format.tree.NodeKind;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Seeking reads over a file cut into many small blobs, byte by byte at the boundaries. */
class ContentChannelTest {
    @Test
    void everyPositionReadsTheRightBytes() throws Exception {
        Repository.InitOptions tiny = TestRepos.options().withChunker(new ChunkerParams(64, 128, 512));
        try (Repository repo = Repository.init(new MemoryBackend(), TestRepos.PASSWORD, tiny, id -> new MemoryBlobIndex(),
                new SecureRandom())) {
            byte[] data = DeterministicRandom.bytes(200_000);
            Node file;
            try (BackupSession s = new BackupSession(repo, new BackupStats())) {
                BackupSession.Content c = s.saveContent(new ByteArrayInputStream(data));
                List<BlobId> ids = c.ids().join();
                assertTrue(ids.size() > 500, "many blobs: " + ids.size());
                file = s.withContent(Node.builder("f", NodeKind.FILE).size(data.length), ids);
                dev.arca.format.snapshot.Snapshot snap = new dev.arca.format.snapshot.Snapshot();
                snap.time = "2024-01-01T00:00:00Z";
                snap.tree = s.saveTree(dev.arca.format.tree.Tree.of(List.of(file))).hex();
                snap.host = "h";
                s.commit(snap);
            }
            Random r = new Random(1);
            try (ContentChannel ch = new ContentChannel(repo, file, "/f")) {
                assertEquals(data.length, ch.size());
                for (int i = 0; i < 2000; i++) {
                    int pos = r.nextInt(data.length + 10);
                    int len = 1 + r.nextInt(i % 10 == 0 ? 5000 : 3);
                    ByteBuffer b = ByteBuffer.allocate(len);
                    ch.position(pos);
                    int n = ch.read(b);
                    if (pos >= data.length) {
                        assertEquals(-1, n);
                    } else {
                        assertEquals(Math.min(len, data.length - pos), n);
                        assertArrayEquals(Arrays.copyOfRange(data, pos, pos + n), Arrays.copyOf(b.array(), n), "at " + pos);
                        assertEquals(pos + n, ch.position());
                    }
                }
                assertThrows(NonWritableChannelException.class, () -> ch.write(ByteBuffer.allocate(1)));
                assertThrows(IllegalArgumentException.class, () -> ch.position(-1));
            }
            Node lying = file.toBuilder().size(data.length + 1L).build();
            assertThrows(CorruptObjectException.class, () -> new ContentChannel(repo, lying, "/f"),
                    "a size that the blobs do not add up to is corruption");
            Node empty = Node.builder("e", NodeKind.FILE).size(0).content(List.of()).build();
            try (ContentChannel ch = new ContentChannel(repo, empty, "/e")) {
                assertEquals(-1, ch.read(ByteBuffer.allocate(4)));
            }
        }
    }
}
