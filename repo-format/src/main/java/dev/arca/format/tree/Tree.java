package dev.arca.format.tree;

import dev.arca.format.CorruptObjectException;
import dev.arca.format.id.BlobId;
import dev.arca.format.io.ByteReader;
import dev.arca.format.io.ByteWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * A directory: its entries sorted by the UTF-8 bytes of their names (spec §10).
 *
 * <pre>
 * tree  := u8 1 || uvarint n || node × n
 * node  := bytes name || u8 kind || uvarint mode || uvarint uid || uvarint gid || string user || string group
 *          || svarint mtimeSec || uvarint mtimeNanos || svarint ctimeSec || uvarint ctimeNanos
 *          || uvarint inode || uvarint device || uvarint links || uvarint size || body(kind)
 *          || uvarint e || (uvarint tag || bytes value) × e
 * body  := file: u8 indirect || uvarint n || id × n | dir: id | symlink: bytes target | special: uvarint rdev
 * </pre>
 * The encoding is deterministic: equal directories give equal bytes.
 */
public final class Tree {
    public static final int VERSION = 1;
    /** First byte of a content-list blob. */
    public static final int CONTENT_LIST_VERSION = 2;
    /** A writer moves a file's blob ids into content-list blobs beyond this many (spec §10). */
    public static final int MAX_INLINE_CONTENT = 16384;

    private static final Comparator<byte[]> BYTES = Arrays::compareUnsigned;
    public static final Comparator<Node> BY_NAME = (a, b) -> BYTES.compare(a.nameBytes(), b.nameBytes());

    private final List<Node> nodes;

    private Tree(List<Node> sortedUnique) {
        this.nodes = Collections.unmodifiableList(sortedUnique);
    }

    /** A tree of these nodes, sorted; duplicate names are refused. */
    public static Tree of(List<Node> nodes) {
        List<Node> sorted = new ArrayList<>(nodes);
        sorted.sort(BY_NAME);
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i - 1).name().equals(sorted.get(i).name())) {
                throw new IllegalArgumentException("duplicate name in tree: " + sorted.get(i).name());
            }
        }
        return new Tree(sorted);
    }

    public List<Node> nodes() {
        return nodes;
    }

    /** The node with this name, or null. */
    public Node find(String name) {
        int lo = 0;
        int hi = nodes.size() - 1;
        byte[] key = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = BYTES.compare(nodes.get(mid).nameBytes(), key);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return nodes.get(mid);
            }
        }
        return null;
    }

    public byte[] encode() {
        ByteWriter w = new ByteWriter(64 + nodes.size() * 96);
        w.u8(VERSION).uvarint(nodes.size());
        for (Node n : nodes) {
            w.bytes(n.nameBytes()).u8(n.kind().code()).uvarint(n.mode()).uvarint(n.uid()).uvarint(n.gid())
                    .string(n.user()).string(n.group());
            time(w, n.mtime());
            time(w, n.ctime());
            w.uvarint(n.inode()).uvarint(n.device()).uvarint(n.links()).uvarint(n.size());
            switch (n.kind()) {
                case FILE -> {
                    w.u8(n.contentIsIndirect() ? 1 : 0).uvarint(n.content().size());
                    for (BlobId id : n.content()) {
                        w.id(id);
                    }
                }
                case DIR -> w.id(n.subtree());
                case SYMLINK -> w.string(n.linkTarget());
                default -> w.uvarint(n.rdev());
            }
            w.uvarint(n.extensions().size());
            for (var e : n.extensions().entrySet()) {
                w.uvarint(e.getKey()).bytes(e.getValue());
            }
        }
        return w.toByteArray();
    }

    private static void time(ByteWriter w, Instant t) {
        w.svarint(t.getEpochSecond()).uvarint(t.getNano());
    }

    public static Tree decode(byte[] data, String object) throws CorruptObjectException {
        ByteReader r = new ByteReader(data, object);
        int version = r.u8();
        if (version != VERSION) {
            throw r.corrupt("tree version " + version + " is not " + VERSION);
        }
        int n = r.uvarintAsInt("node count");
        if (n > r.remaining() / 16) {
            throw r.corrupt("node count " + n + " cannot fit in " + r.remaining() + " bytes");
        }
        List<Node> nodes = new ArrayList<>(n);
        byte[] previous = null;
        for (int i = 0; i < n; i++) {
            byte[] nameBytes = r.bytes("name");
            if (previous != null && BYTES.compare(previous, nameBytes) >= 0) {
                throw r.corrupt("names not strictly ascending at entry " + i);
            }
            previous = nameBytes;
            String name;
            try {
                name = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                        .decode(java.nio.ByteBuffer.wrap(nameBytes)).toString();
            } catch (java.nio.charset.CharacterCodingException e) {
                throw r.corrupt("entry " + i + " name is not valid UTF-8");
            }
            String problem = Node.nameProblem(name);
            if (problem != null) {
                throw r.corrupt("entry " + i + ": " + problem);
            }
            int code = r.u8();
            NodeKind kind = NodeKind.fromCode(code);
            if (kind == null) {
                throw r.corrupt("entry " + name + " has unknown kind " + code);
            }
            long mode = r.uvarint();
            if (mode > 07777) {
                throw r.corrupt("entry " + name + " has mode bits beyond 07777");
            }
            Node.Builder b = Node.builder(name, kind).mode((int) mode);
            long uid = r.uvarint();
            long gid = r.uvarint();
            b.owner(uid, gid, r.string("user"), r.string("group"));
            b.mtime(readTime(r, name)).ctime(readTime(r, name));
            long inode = r.uvarint();
            long device = r.uvarint();
            long links = r.uvarint();
            b.inode(inode, device, links).size(r.uvarint());
            switch (kind) {
                case FILE -> {
                    int indirect = r.u8();
                    if (indirect > 1) {
                        throw r.corrupt("entry " + name + " has unknown content kind " + indirect);
                    }
                    int count = r.uvarintAsInt("content count");
                    if ((long) count * 32 > r.remaining()) {
                        throw r.corrupt("content of " + name + " overruns the tree");
                    }
                    List<BlobId> ids = new ArrayList<>(count);
                    for (int j = 0; j < count; j++) {
                        ids.add(BlobId.fromBytes(data, r.idOffset()));
                    }
                    if (indirect == 1) {
                        b.indirectContent(ids);
                    } else {
                        b.content(ids);
                    }
                }
                case DIR -> b.subtree(BlobId.fromBytes(data, r.idOffset()));
                case SYMLINK -> b.linkTarget(r.string("link target"));
                default -> b.rdev(r.uvarint());
            }
            int e = r.uvarintAsInt("extension count");
            long lastTag = -1;
            for (int j = 0; j < e; j++) {
                long tag = r.uvarint();
                if (tag <= lastTag) {
                    throw r.corrupt("extension tags of " + name + " not ascending");
                }
                lastTag = tag;
                byte[] value = r.bytes("extension");
                if ((tag & 1) == 1) {
                    throw r.corrupt("entry " + name + " has critical extension " + tag + " this arca does not know");
                }
                b.extension(tag, value);
            }
            nodes.add(b.build());
        }
        r.expectEnd("the last entry");
        return new Tree(nodes);
    }

    private static Instant readTime(ByteReader r, String name) throws CorruptObjectException {
        long seconds = r.svarint();
        long nanos = r.uvarint();
        if (nanos > 999_999_999L) {
            throw r.corrupt("entry " + name + " has nanoseconds " + nanos);
        }
        try {
            return Instant.ofEpochSecond(seconds, nanos);
        } catch (java.time.DateTimeException e) {
            throw r.corrupt("entry " + name + " has a time out of range");
        }
    }

    /** Encodes a content-list blob: {@code u8 2 || uvarint n || id × n}. */
    public static byte[] encodeContentList(List<BlobId> ids) {
        ByteWriter w = new ByteWriter(8 + ids.size() * 32);
        w.u8(CONTENT_LIST_VERSION).uvarint(ids.size());
        for (BlobId id : ids) {
            w.id(id);
        }
        return w.toByteArray();
    }

    public static List<BlobId> decodeContentList(byte[] data, String object) throws CorruptObjectException {
        ByteReader r = new ByteReader(data, object);
        int version = r.u8();
        if (version != CONTENT_LIST_VERSION) {
            throw r.corrupt("content list version " + version + " is not " + CONTENT_LIST_VERSION);
        }
        int n = r.uvarintAsInt("content list count");
        if ((long) n * 32 != r.remaining()) {
            throw r.corrupt("content list of " + n + " ids holds " + r.remaining() + " bytes");
        }
        List<BlobId> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(BlobId.fromBytes(data, r.idOffset()));
        }
        return ids;
    }
}
