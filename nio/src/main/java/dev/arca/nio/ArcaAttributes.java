package dev.arca.nio;

import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Basic and POSIX attributes of a {@link VEntry}, as the snapshot recorded them. */
final class ArcaAttributes implements PosixFileAttributes {
    private static final PosixFilePermission[] BITS = {
        PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE,
        PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
        PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE,
    };

    /** A user or group as the snapshot names it: the name, or the numeric id when there is none. */
    record Principal(String name, boolean group) implements GroupPrincipal {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private final VEntry e;

    ArcaAttributes(VEntry e) {
        this.e = e;
    }

    @Override
    public FileTime lastModifiedTime() {
        return FileTime.from(e.mtime());
    }

    @Override
    public FileTime lastAccessTime() {
        return FileTime.from(e.mtime());
    }

    @Override
    public FileTime creationTime() {
        return FileTime.from(e.ctime());
    }

    @Override
    public boolean isRegularFile() {
        return e.kind() == VEntry.Kind.FILE;
    }

    @Override
    public boolean isDirectory() {
        return e.kind() == VEntry.Kind.DIR;
    }

    @Override
    public boolean isSymbolicLink() {
        return e.kind() == VEntry.Kind.SYMLINK;
    }

    @Override
    public boolean isOther() {
        return e.kind() == VEntry.Kind.OTHER;
    }

    @Override
    public long size() {
        return e.kind() == VEntry.Kind.SYMLINK ? e.linkTarget().length() : Math.max(0, e.size());
    }

    /**
     * A directory's snapshot and tree id, so that walks which follow links find cycles (a tree
     * never holds itself, so an ancestor with the same key is one); null for everything else.
     */
    @Override
    public Object fileKey() {
        if (e.isDir() && e.node() != null && e.snapshot() != null) {
            return e.snapshot().id().hex() + ":" + e.node().subtree().hex();
        }
        return null;
    }

    @Override
    public UserPrincipal owner() {
        return new Principal(e.user().isEmpty() ? Long.toString(e.uid()) : e.user(), false);
    }

    @Override
    public GroupPrincipal group() {
        return new Principal(e.group().isEmpty() ? Long.toString(e.gid()) : e.group(), true);
    }

    @Override
    public Set<PosixFilePermission> permissions() {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < 9; i++) {
            if ((e.mode() & (0400 >> i)) != 0) {
                s.add(BITS[i]);
            }
        }
        return s;
    }

    /** The attributes of view {@code view} ("basic" or "posix") named in {@code names} ("*" for all). */
    Map<String, Object> asMap(String view, String names) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("lastModifiedTime", lastModifiedTime());
        all.put("lastAccessTime", lastAccessTime());
        all.put("creationTime", creationTime());
        all.put("size", size());
        all.put("isRegularFile", isRegularFile());
        all.put("isDirectory", isDirectory());
        all.put("isSymbolicLink", isSymbolicLink());
        all.put("isOther", isOther());
        all.put("fileKey", fileKey());
        if (view.equals("posix")) {
            all.put("owner", owner());
            all.put("group", group());
            all.put("permissions", permissions());
        }
        if (names.equals("*")) {
            return all;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (String n : names.split(",")) {
            if (n.equals("*")) {
                out.putAll(all);
            } else if (!all.containsKey(n)) {
                throw new IllegalArgumentException("no attribute '" + n + "' in view " + view);
            } else {
                out.put(n, all.get(n));
            }
        }
        return out;
    }
}
