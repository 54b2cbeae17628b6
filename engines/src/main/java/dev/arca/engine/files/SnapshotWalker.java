package dev.arca.engine.files;

import dev.arca.format.id.BlobId;
import dev.arca.format.repo.Repository;
import dev.arca.format.tree.Node;
import dev.arca.format.tree.NodeKind;
import dev.arca.format.tree.Tree;
import java.io.IOException;
import java.time.Instant;

/** Walks the trees of a snapshot depth-first in name order, loading one tree at a time. */
public final class SnapshotWalker {
    /** Sees every entry with its path inside the snapshot ({@code /home/ana/x}). */
    @FunctionalInterface
    public interface Visitor {
        /** Returns false to skip the entries below a directory. */
        boolean visit(String path, Node node) throws IOException;
    }

    private final Repository repo;

    public SnapshotWalker(Repository repo) {
        this.repo = repo;
    }

    /** Visits everything below the tree {@code tree}, whose own path is {@code prefix} ("" for the root). */
    public void walk(BlobId tree, String prefix, Visitor visitor) throws IOException {
        for (Node n : repo.loadTree(tree).nodes()) {
            String path = prefix + "/" + n.name();
            if (visitor.visit(path, n) && n.isDir()) {
                walk(n.subtree(), path, visitor);
            }
        }
    }

    /**
     * The entry at {@code path} below the root tree, or null if there is none. The root itself
     * ("/" or "") is a synthetic directory node named "/".
     */
    public Node resolve(BlobId root, String path) throws IOException {
        Node current = rootNode(root);
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (!current.isDir()) {
                return null;
            }
            Tree t = repo.loadTree(current.subtree());
            current = t.find(part);
            if (current == null) {
                return null;
            }
        }
        return current;
    }

    /** A directory node standing for a snapshot's root tree. */
    public static Node rootNode(BlobId root) {
        return Node.builder("root", NodeKind.DIR).mode(0755).mtime(Instant.EPOCH).subtree(root).build();
    }

    /** "/" + the normalized path without trailing slash, "" for the root. */
    public static String normalize(String path) {
        StringBuilder b = new StringBuilder();
        for (String part : path.split("/")) {
            if (!part.isEmpty() && !part.equals(".")) {
                b.append('/').append(part);
            }
        }
        return b.toString();
    }
}
