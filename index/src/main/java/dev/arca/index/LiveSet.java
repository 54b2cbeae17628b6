package dev.arca.index;

import dev.arca.format.MissingObjectException;
import dev.arca.format.id.BlobId;
import dev.arca.format.index.BlobIndex;
import dev.arca.format.repo.Repository;
import dev.arca.format.repo.SnapshotRef;
import dev.arca.format.tree.Node;
import dev.arca.format.tree.Tree;
import java.io.IOException;
import java.util.List;
import org.roaringbitmap.RoaringBitmap;

/**
 * The blobs that snapshots use, as a bitmap over blob ordinals: every tree reached from their
 * roots, every content-list blob and every data blob of their files. A tree already in the
 * bitmap is not walked again, so directories shared between snapshots cost one visit.
 *
 * <p>Memory is the bitmap (about a bit per blob when most blobs are live) and the repository's
 * bounded tree cache, whatever the number of blobs.
 */
public final class LiveSet {
    private final Repository repo;
    private final BlobIndex index;
    private final RoaringBitmap live = new RoaringBitmap();
    private long treesWalked;

    private LiveSet(Repository repo, BlobIndex index) {
        this.repo = repo;
        this.index = index;
    }

    /**
     * Walks the snapshots over the repository's current index.
     *
     * @throws MissingObjectException if a snapshot needs a blob that no index file lists: then
     *                                nothing may be deleted until {@code check} and repair
     */
    public static RoaringBitmap of(Repository repo, List<SnapshotRef> snapshots) throws IOException {
        LiveSet s = new LiveSet(repo, repo.index());
        for (SnapshotRef r : snapshots) {
            s.tree(r.snapshot().treeId(), "snapshot " + r.id().shortHex());
        }
        return s.live;
    }

    private int ordinal(BlobId id, String neededBy) throws IOException {
        long ord = index.ordinal(id);
        if (ord < 0) {
            throw new MissingObjectException("blob " + id.hex(), "needed by " + neededBy
                    + " but in no index file; prune deletes nothing until 'arca check' passes");
        }
        return (int) ord;
    }

    private void tree(BlobId id, String where) throws IOException {
        if (!live.checkedAdd(ordinal(id, where))) {
            return;
        }
        treesWalked++;
        Tree t = repo.loadTree(id);
        for (Node n : t.nodes()) {
            if (n.isDir()) {
                tree(n.subtree(), where);
            } else if (n.isFile()) {
                for (BlobId b : n.content()) {
                    live.add(ordinal(b, where));
                }
                if (n.contentIsIndirect()) {
                    for (BlobId b : repo.contentOf(n)) {
                        live.add(ordinal(b, where));
                    }
                }
            }
        }
    }
}
