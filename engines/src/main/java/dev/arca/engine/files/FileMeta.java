package dev.arca.engine.files;

import dev.arca.format.tree.Node;
import dev.arca.format.tree.NodeKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.time.Instant;
import java.util.Map;

/**
 * What {@code lstat} says about a path, read through the JDK's "unix" attribute view (POSIX
 * systems only). Never follows symlinks.
 */
record FileMeta(NodeKind kind, int mode, long uid, long gid, String user, String group, Instant mtime, Instant ctime,
                long inode, long device, long links, long size, long rdev) {

    private static final int S_IFMT = 0170000;
    /**
     * Names of uids and gids. The JDK looks a name up (reading /etc/passwd or asking NSS) every
     * time it is asked; a backup asks once per id.
     */
    private static final Map<Integer, String> USERS = new java.util.concurrent.ConcurrentHashMap<>();
    private static final Map<Integer, String> GROUPS = new java.util.concurrent.ConcurrentHashMap<>();

    static FileMeta of(Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,ino,dev,rdev,nlink,uid,gid,ctime,lastModifiedTime,size",
                LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        NodeKind kind = switch (mode & S_IFMT) {
            case 0100000 -> NodeKind.FILE;
            case 0040000 -> NodeKind.DIR;
            case 0120000 -> NodeKind.SYMLINK;
            case 0010000 -> NodeKind.FIFO;
            case 0020000 -> NodeKind.CHAR_DEVICE;
            case 0060000 -> NodeKind.BLOCK_DEVICE;
            case 0140000 -> NodeKind.SOCKET;
            default -> throw new IOException(p + ": unknown file type " + Integer.toOctalString(mode & S_IFMT));
        };
        int uid = (Integer) a.get("uid");
        int gid = (Integer) a.get("gid");
        String user = USERS.get(uid);
        if (user == null) {
            user = ((UserPrincipal) Files.getAttribute(p, "unix:owner", LinkOption.NOFOLLOW_LINKS)).getName();
            USERS.put(uid, user);
        }
        String group = GROUPS.get(gid);
        if (group == null) {
            group = ((GroupPrincipal) Files.getAttribute(p, "unix:group", LinkOption.NOFOLLOW_LINKS)).getName();
            GROUPS.put(gid, group);
        }
        return new FileMeta(kind, mode & 07777, Integer.toUnsignedLong(uid), Integer.toUnsignedLong(gid), user, group,
                ((FileTime) a.get("lastModifiedTime")).toInstant(), ((FileTime) a.get("ctime")).toInstant(),
                (Long) a.get("ino"), (Long) a.get("dev"), ((Integer) a.get("nlink")).longValue(),
                (Long) a.get("size"), (Long) a.get("rdev"));
    }

    /** A node builder with this metadata; the caller adds content, subtree or target. */
    Node.Builder builder(String name) {
        return Node.builder(name, kind)
                .mode(mode)
                .owner(uid, gid, user, group)
                .mtime(mtime)
                .ctime(ctime)
                .inode(inode, device, links)
                .size(kind == NodeKind.FILE ? size : 0)
                .rdev(rdev);
    }

    /** Whether a file with this metadata is the one {@code old} describes, so its content can be reused. */
    boolean unchangedSince(Node old) {
        return old != null && old.kind() == NodeKind.FILE && kind == NodeKind.FILE
                && old.size() == size && old.mtime().equals(mtime) && old.ctime().equals(ctime) && old.inode() == inode;
    }
}
