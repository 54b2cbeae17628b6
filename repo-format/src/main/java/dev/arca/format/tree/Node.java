package dev.arca.format.tree;

import dev.arca.format.id.BlobId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One entry of a tree (spec §10). Immutable; build with {@link #builder(String, NodeKind)}.
 *
 * <p>A file's content is a list of data blob ids ({@link #content()}), or, for very large files,
 * a list of content-list blob ids ({@link #contentIsIndirect()}), each holding data blob ids.
 */
public final class Node {
    private final String name;
    private final NodeKind kind;
    private final int mode;
    private final long uid;
    private final long gid;
    private final String user;
    private final String group;
    private final Instant mtime;
    private final Instant ctime;
    private final long inode;
    private final long device;
    private final long links;
    private final long size;
    private final boolean indirect;
    private final List<BlobId> content;
    private final BlobId subtree;
    private final String linkTarget;
    private final long rdev;
    private final SortedMap<Long, byte[]> extensions;

    private Node(Builder b) {
        this.name = Objects.requireNonNull(b.name);
        this.kind = Objects.requireNonNull(b.kind);
        this.mode = b.mode & 07777;
        this.uid = b.uid;
        this.gid = b.gid;
        this.user = b.user == null ? "" : b.user;
        this.group = b.group == null ? "" : b.group;
        this.mtime = b.mtime == null ? Instant.EPOCH : b.mtime;
        this.ctime = b.ctime == null ? Instant.EPOCH : b.ctime;
        this.inode = b.inode;
        this.device = b.device;
        this.links = b.links;
        this.size = b.size;
        this.indirect = b.indirect;
        this.content = kind == NodeKind.FILE ? List.copyOf(b.content == null ? List.of() : b.content) : List.of();
        this.subtree = kind == NodeKind.DIR ? Objects.requireNonNull(b.subtree, "a directory needs a subtree") : null;
        this.linkTarget = kind == NodeKind.SYMLINK ? Objects.requireNonNull(b.linkTarget, "a symlink needs a target") : null;
        this.rdev = kind.isSpecial() ? b.rdev : 0;
        this.extensions = Collections.unmodifiableSortedMap(new TreeMap<>(b.extensions));
        String problem = nameProblem(name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        for (String text : new String[] {user, group, linkTarget}) {
            if (text != null && !isUnicode(text)) {
                throw new IllegalArgumentException("not valid Unicode (unpaired surrogate): " + text);
            }
        }
    }

    /** Whether the string has no unpaired surrogate, so that UTF-8 encodes it exactly. */
    static boolean isUnicode(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** Why {@code name} cannot be a tree entry name, or null if it can (spec §10). */
    public static String nameProblem(String name) {
        if (name.isEmpty()) {
            return "empty name";
        }
        if (name.equals(".") || name.equals("..")) {
            return "name '" + name + "' is not allowed";
        }
        if (name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            return "name contains '/' or NUL: " + name.replace("\0", "\\0");
        }
        if (!isUnicode(name)) {
            return "name is not valid Unicode (unpaired surrogate)";
        }
        return null;
    }

    public static Builder builder(String name, NodeKind kind) {
        return new Builder(name, kind);
    }

    public Builder toBuilder() {
        Builder b = new Builder(name, kind);
        b.mode = mode;
        b.uid = uid;
        b.gid = gid;
        b.user = user;
        b.group = group;
        b.mtime = mtime;
        b.ctime = ctime;
        b.inode = inode;
        b.device = device;
        b.links = links;
        b.size = size;
        b.indirect = indirect;
        b.content = content;
        b.subtree = subtree;
        b.linkTarget = linkTarget;
        b.rdev = rdev;
        b.extensions.putAll(extensions);
        return b;
    }

    public String name() {
        return name;
    }

    /** The name as UTF-8, the order trees sort by. */
    public byte[] nameBytes() {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    public NodeKind kind() {
        return kind;
    }

    /** Permission bits, {@code 07777}. */
    public int mode() {
        return mode;
    }

    public long uid() {
        return uid;
    }

    public long gid() {
        return gid;
    }

    public String user() {
        return user;
    }

    public String group() {
        return group;
    }

    public Instant mtime() {
        return mtime;
    }

    public Instant ctime() {
        return ctime;
    }

    public long inode() {
        return inode;
    }

    public long device() {
        return device;
    }

    public long links() {
        return links;
    }

    public long size() {
        return size;
    }

    public boolean contentIsIndirect() {
        return indirect;
    }

    /** Data blob ids, or content-list blob ids if {@link #contentIsIndirect()}. */
    public List<BlobId> content() {
        return content;
    }

    public BlobId subtree() {
        return subtree;
    }

    public String linkTarget() {
        return linkTarget;
    }

    public long rdev() {
        return rdev;
    }

    public SortedMap<Long, byte[]> extensions() {
        return extensions;
    }

    public boolean isDir() {
        return kind == NodeKind.DIR;
    }

    public boolean isFile() {
        return kind == NodeKind.FILE;
    }

    /** Same metadata and content (everything the tree stores). */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Node n)) {
            return false;
        }
        if (n.extensions.size() != extensions.size()) {
            return false;
        }
        for (var e : extensions.entrySet()) {
            if (!java.util.Arrays.equals(e.getValue(), n.extensions.get(e.getKey()))) {
                return false;
            }
        }
        return name.equals(n.name) && kind == n.kind && mode == n.mode && uid == n.uid && gid == n.gid
                && user.equals(n.user) && group.equals(n.group) && mtime.equals(n.mtime) && ctime.equals(n.ctime)
                && inode == n.inode && device == n.device && links == n.links && size == n.size
                && indirect == n.indirect && content.equals(n.content) && Objects.equals(subtree, n.subtree)
                && Objects.equals(linkTarget, n.linkTarget) && rdev == n.rdev;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, kind, size, mtime, subtree, content);
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase() + " " + name;
    }

    /** Builds a {@link Node}. */
    public static final class Builder {
        private final String name;
        private final NodeKind kind;
        private int mode;
        private long uid;
        private long gid;
        private String user;
        private String group;
        private Instant mtime;
        private Instant ctime;
        private long inode;
        private long device;
        private long links;
        private long size;
        private boolean indirect;
        private List<BlobId> content;
        private BlobId subtree;
        private String linkTarget;
        private long rdev;
        private final SortedMap<Long, byte[]> extensions = new TreeMap<>();

        private Builder(String name, NodeKind kind) {
            this.name = name;
            this.kind = kind;
        }

        public Builder mode(int v) {
            mode = v;
            return this;
        }

        public Builder owner(long uid, long gid, String user, String group) {
            this.uid = uid;
            this.gid = gid;
            this.user = user;
            this.group = group;
            return this;
        }

        public Builder mtime(Instant v) {
            mtime = v;
            return this;
        }

        public Builder ctime(Instant v) {
            ctime = v;
            return this;
        }

        public Builder inode(long inode, long device, long links) {
            this.inode = inode;
            this.device = device;
            this.links = links;
            return this;
        }

        public Builder size(long v) {
            size = v;
            return this;
        }

        public Builder content(List<BlobId> ids) {
            content = ids;
            indirect = false;
            return this;
        }

        public Builder indirectContent(List<BlobId> listIds) {
            content = listIds;
            indirect = true;
            return this;
        }

        public Builder subtree(BlobId v) {
            subtree = v;
            return this;
        }

        public Builder linkTarget(String v) {
            linkTarget = v;
            return this;
        }

        public Builder rdev(long v) {
            rdev = v;
            return this;
        }

        public Builder extension(long tag, byte[] value) {
            extensions.put(tag, value.clone());
            return this;
        }

        public Node build() {
            return new Node(this);
        }
    }
}
