package dev.arca.nio;

import dev.arca.format.repo.SnapshotRef;
import dev.arca.format.tree.Node;
import dev.arca.format.tree.NodeKind;
import java.time.Instant;

/**
 * One entry of a {@link RepositoryTree}: a node of a snapshot's tree ({@link #node} set), an entry
 * of an engine's record view ({@link #recordPath} set), or a synthetic directory (the root,
 * {@code snapshots}, {@code latest}, a host, a snapshot's root). Immutable.
 *
 * @param name       the last path element ("" for the root)
 * @param kind       what it is
 * @param size       bytes of content; -1 when unknown without reading it (records in listings)
 * @param snapshot   the snapshot it is in, null above the snapshots
 * @param node       the tree node, null for records and synthetic directories
 * @param recordPath the record view path ({@code /records/...}), else null
 * @param summary    a record's one-line summary from its view, else ""
 */
public record VEntry(String name, Kind kind, long size, Instant mtime, Instant ctime, int mode,
                     SnapshotRef snapshot, Node node, String recordPath, String summary) {
    /** What an entry is, as a filesystem sees it. */
    public enum Kind { DIR, FILE, SYMLINK, OTHER }

    public boolean isDir() {
        return kind == Kind.DIR;
    }

    public boolean isFile() {
        return kind == Kind.FILE;
    }

    public boolean isRecord() {
        return recordPath != null && kind == Kind.FILE;
    }

    public long uid() {
        return node == null ? 0 : node.uid();
    }

    public long gid() {
        return node == null ? 0 : node.gid();
    }

    public String user() {
        return node == null ? "" : node.user();
    }

    public String group() {
        return node == null ? "" : node.group();
    }

    public String linkTarget() {
        return node == null ? null : node.linkTarget();
    }

    static VEntry synthetic(String name, Instant time, SnapshotRef snapshot) {
        return new VEntry(name, Kind.DIR, 0, time, time, 0555, snapshot, null, null, "");
    }

    static VEntry of(String name, Node n, SnapshotRef snapshot) {
        Kind k = switch (n.kind()) {
            case DIR -> Kind.DIR;
            case FILE -> Kind.FILE;
            case SYMLINK -> Kind.SYMLINK;
            default -> Kind.OTHER;
        };
        long size = n.kind() == NodeKind.FILE ? n.size() : 0;
        Instant ctime = n.ctime().equals(Instant.EPOCH) ? n.mtime() : n.ctime();
        return new VEntry(name, k, size, n.mtime(), ctime, n.mode(), snapshot, n, null, "");
    }
}
