package dev.arca.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arca.format.backend.MemoryBackend;
import dev.arca.format.id.BlobId;
import dev.arca.format.id.BlobType;
import dev.arca.format.index.MemoryBlobIndex;
import dev.arca.format.repo.BlobWriter;
import dev.arca.format.repo.Repository;
import dev.arca.format.repo.SnapshotRef;
import dev.arca.format.snapshot.Snapshot;
import dev.arca.format.testing.TestRepos;
import dev.arca.format.tree.Node;
import dev.arca.format.tree.NodeKind;
import dev.arca.format.tree.Tree;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Copier at the library level, on trees the command-line tests do not make: a file whose content
 * goes through content-list blobs, nested directories, and blobs shared between snapshots.
 */
class CopierTest {
    private static byte[] bytes(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A snapshot of /dir/indirect (content lists over {@code blobs} blobs) and /dir/sub/small; its data blob ids. */
    private static List<BlobId> snapshot(Repository repo, int blobs, long seed, String time) throws IOException {
        List<BlobId> data = new ArrayList<>();
        try (BlobWriter w = repo.newWriter()) {
            for (int i = 0; i < blobs; i++) {
                data.add(w.save(BlobType.DATA, bytes(i, 200)).id());
            }
            BlobId list1 = w.save(BlobType.TREE, Tree.encodeContentList(data.subList(0, blobs / 2))).id();
            BlobId list2 = w.save(BlobType.TREE, Tree.encodeContentList(data.subList(blobs / 2, blobs))).id();
            Node indirect = Node.builder("indirect", NodeKind.FILE).size(200L * blobs)
                    .indirectContent(List.of(list1, list2)).build();
            BlobId small = w.save(BlobType.DATA, bytes(seed, 5000)).id();
            data.add(small);
            Node smallNode = Node.builder("small", NodeKind.FILE).size(5000).content(List.of(small)).build();
            BlobId sub = w.save(BlobType.TREE, Tree.of(List.of(smallNode)).encode()).id();
            BlobId dir = w.save(BlobType.TREE, Tree.of(List.of(indirect,
                    Node.builder("sub", NodeKind.DIR).subtree(sub).build())).encode()).id();
            BlobId root = w.save(BlobType.TREE, Tree.of(List.of(Node.builder("dir", NodeKind.DIR).subtree(dir).build()))
                    .encode()).id();
            w.flush();
            Snapshot s = new Snapshot();
            s.time = time;
            s.host = "h";
            s.tree = root.hex();
            repo.saveSnapshot(s);
        }
        return data;
    }

    @Test
    void copiesContentListsAndNestedTreesAndSkipsWhatTheTargetHas() throws IOException {
        try (Repository source = TestRepos.memory()) {
            List<BlobId> first = snapshot(source, 40, 1, "2026-01-01T00:00:00Z");
            List<BlobId> second = snapshot(source, 40, 2, "2026-01-02T00:00:00Z");
            Repository.InitOptions shared = new Repository.InitOptions(source.config().chunkerParams(),
                    source.config().packSize, TestRepos.FAST_KDF, "h", "u", source.keys());
            try (Repository target = Repository.init(new MemoryBackend(), "other".toCharArray(), shared,
                    id -> new MemoryBlobIndex(), new SecureRandom())) {
                List<SnapshotRef> snaps = source.snapshots(e -> { });
                Copier.Summary r = new Copier(source, target, new Copier.Listener() { }).copy(snaps);
                assertEquals(2, r.snapshotsCopied());
                // First: 40 data blobs, 2 content lists, 1 small file, 3 trees. Second: the same 42
                // shared blobs (skipped), its own small file and 3 trees.
                assertEquals(46 + 4, r.blobsCopied(), r.toString());
                assertEquals(42, r.blobsSkipped(), r.toString());
                for (BlobId id : first) {
                    assertArrayEquals(source.loadBlob(id), target.loadBlob(id));
                }
                for (BlobId id : second) {
                    assertNotNull(target.index().find(id));
                }
                List<SnapshotRef> copied = target.snapshots(e -> { });
                assertEquals(2, copied.size());
                assertEquals(snaps.get(0).snapshot().tree, copied.get(0).snapshot().tree);
                Tree dir = target.loadTree(target.loadTree(copied.get(1).snapshot().treeId()).find("dir").subtree());
                assertEquals(first.subList(0, 40), target.contentOf(dir.find("indirect")));

                Copier.Summary again = new Copier(source, target, new Copier.Listener() { }).copy(snaps);
                assertEquals(0, again.snapshotsCopied());
                assertEquals(2, again.snapshotsSkipped());
                assertEquals(0, again.bytesSent());
            }
        }
    }

    @Test
    void aTargetWithOtherKeysIsRefusedBeforeAnythingIsWritten() throws IOException {
        try (Repository source = TestRepos.memory(); Repository target = TestRepos.memory()) {
            snapshot(source, 4, 1, "2026-01-01T00:00:00Z");
            String why = Copier.incompatibility(source, target);
            assertTrue(why.contains("init --copy-params-from"), why);
            assertThrows(IllegalStateException.class,
                    () -> new Copier(source, target, new Copier.Listener() { }).copy(source.snapshots(e -> { })));
            assertEquals(0, target.snapshots(e -> { }).size());
            List<String> packs = new ArrayList<>();
            target.backend().list(dev.arca.format.backend.FileType.PACK, f -> packs.add(f.handle().name()));
            assertEquals(List.of(), packs);
        }
    }
}
