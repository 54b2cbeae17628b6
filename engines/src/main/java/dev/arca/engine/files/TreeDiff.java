package dev.arca.engine.files;

import dev.arca.format.id.BlobId;
import dev.arca.format.repo.Repository;
import dev.arca.format.tree.Node;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Compares two trees. Subtrees with equal ids are equal and are not entered, so comparing two
 * snapshots of a large, slowly changing tree reads only the changed directories.
 */
public final class TreeDiff {
    /** How an entry differs. */
    public enum Change {
        ADDED('+'), REMOVED('-'), MODIFIED('M'), METADATA('U'), TYPE('T');

        public final char symbol;

        Change(char symbol) {
            this.symbol = symbol;
        }
    }

    /** Receives every difference, in path order. */
    @FunctionalInterface
    public interface Listener {
        void changed(Change change, String path, Node before, Node after) throws IOException;
    }

    private final Repository repo;

    public TreeDiff(Repository repo) {
        this.repo = repo;
    }

    public void diff(BlobId a, BlobId b, String prefix, Listener l) throws IOException {
        if (a.equals(b)) {
            return;
        }
        List<Node> left = repo.loadTree(a).nodes();
        List<Node> right = repo.loadTree(b).nodes();
        int i = 0;
        int j = 0;
        while (i < left.size() || j < right.size()) {
            int c;
            if (i == left.size()) {
                c = 1;
            } else if (j == right.size()) {
                c = -1;
            } else {
                c = Arrays.compareUnsigned(left.get(i).nameBytes(), right.get(j).nameBytes());
            }
            if (c < 0) {
                removed(left.get(i++), prefix, l);
            } else if (c > 0) {
                added(right.get(j++), prefix, l);
            } else {
                both(left.get(i++), right.get(j++), prefix, l);
            }
        }
    }

    private void both(Node x, Node y, String prefix, Listener l) throws IOException {
        String path = prefix + "/" + x.name();
        if (x.kind() != y.kind()) {
            l.changed(Change.TYPE, path, x, y);
            if (x.isDir()) {
                walk(x.subtree(), path, Change.REMOVED, l);
            }
            if (y.isDir()) {
                walk(y.subtree(), path, Change.ADDED, l);
            }
            return;
        }
        if (x.isDir()) {
            if (!sameMetadata(x, y)) {
                l.changed(Change.METADATA, path, x, y);
            }
            diff(x.subtree(), y.subtree(), path, l);
            return;
        }
        boolean sameContent = x.content().equals(y.content()) && x.contentIsIndirect() == y.contentIsIndirect()
                && java.util.Objects.equals(x.linkTarget(), y.linkTarget()) && x.size() == y.size();
        if (!sameContent) {
            l.changed(Change.MODIFIED, path, x, y);
        } else if (!sameMetadata(x, y)) {
            l.changed(Change.METADATA, path, x, y);
        }
    }

    private static boolean sameMetadata(Node x, Node y) {
        return x.mode() == y.mode() && x.uid() == y.uid() && x.gid() == y.gid() && x.mtime().equals(y.mtime());
    }

    private void added(Node n, String prefix, Listener l) throws IOException {
        String path = prefix + "/" + n.name();
        l.changed(Change.ADDED, path, null, n);
        if (n.isDir()) {
            walk(n.subtree(), path, Change.ADDED, l);
        }
    }

    private void removed(Node n, String prefix, Listener l) throws IOException {
        String path = prefix + "/" + n.name();
        l.changed(Change.REMOVED, path, n, null);
        if (n.isDir()) {
            walk(n.subtree(), path, Change.REMOVED, l);
        }
    }

    private void walk(BlobId tree, String prefix, Change change, Listener l) throws IOException {
        for (Node n : repo.loadTree(tree).nodes()) {
            String path = prefix + "/" + n.name();
            l.changed(change, path, change == Change.REMOVED ? n : null, change == Change.ADDED ? n : null);
            if (n.isDir()) {
                walk(n.subtree(), path, change, l);
            }
        }
    }

}
