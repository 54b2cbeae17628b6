package dev.arca.fuzz.support;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.chunker.ChunkerParams;
import dev.arca.format.crypto.SegmentedAead;
import dev.arca.format.id.BlobId;
import dev.arca.format.id.BlobType;
import dev.arca.format.id.FileId;
import dev.arca.format.index.IndexFile;
import dev.arca.format.io.Json;
import dev.arca.format.pack.PackEntry;
import dev.arca.format.pack.PackFormat;
import dev.arca.format.repo.Config;
import dev.arca.format.snapshot.Snapshot;
import dev.arca.format.tree.Node;
import dev.arca.format.tree.NodeKind;
import dev.arca.format.tree.Tree;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/** Random, valid format objects drawn from a {@link Gen}. */
public final class Samples {
    private Samples() {
    }

    public static BlobId blobId(Gen g) {
        return BlobId.fromBytes(g.bytes(32));
    }

    public static FileId fileId(Gen g) {
        return FileId.fromBytes(g.bytes(32));
    }

    /** A non-negative long, often small, sometimes near the top of the uvarint range. */
    public static long uvalue(Gen g) {
        return switch (g.intIn(0, 3)) {
            case 0 -> g.longIn(0, 127);
            case 1 -> g.longIn(0, 1L << 32);
            case 2 -> Long.MAX_VALUE - g.longIn(0, 3);
            default -> g.longIn(0, Long.MAX_VALUE);
        };
    }

    public static Instant instant(Gen g) {
        long seconds = switch (g.intIn(0, 3)) {
            case 0 -> g.longIn(-1L << 31, 1L << 33);
            case 1 -> g.longIn(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond());
            case 2 -> g.pick(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond(), 0L, -1L);
            default -> g.longIn(-100, 100);
        };
        return Instant.ofEpochSecond(seconds, g.intIn(0, 999_999_999));
    }

    /** A name that {@link Node#nameProblem} accepts, with non-ASCII characters more often than not. */
    public static String name(Gen g) {
        while (true) {
            String s = g.text(12);
            if (g.intIn(0, 3) == 0) {
                s = s + ".txt";
            }
            if (Node.nameProblem(s) == null) {
                return s;
            }
            s = "n" + s;
            if (Node.nameProblem(s) == null) {
                return s;
            }
        }
    }

    public static Node node(Gen g, String name) {
        NodeKind kind = g.pick(NodeKind.values());
        Node.Builder b = Node.builder(name, kind)
                .mode(g.intIn(0, 07777))
                .owner(uvalue(g), uvalue(g), g.text(6), g.text(6))
                .mtime(instant(g)).ctime(instant(g))
                .inode(uvalue(g), uvalue(g), uvalue(g))
                .size(uvalue(g));
        switch (kind) {
            case FILE -> {
                List<BlobId> ids = new ArrayList<>();
                int n = g.intIn(0, 5);
                for (int i = 0; i < n; i++) {
                    ids.add(blobId(g));
                }
                if (g.bool()) {
                    b.content(ids);
                } else {
                    b.indirectContent(ids);
                }
            }
            case DIR -> b.subtree(blobId(g));
            case SYMLINK -> b.linkTarget(g.text(20));
            default -> b.rdev(uvalue(g));
        }
        int e = g.intIn(0, 3);
        for (int i = 0; i < e; i++) {
            // Only optional (even) tags: a reader refuses critical ones it does not know (spec §10).
            b.extension(2 * g.longIn(0, Long.MAX_VALUE / 2), g.bytes(g.intIn(0, 16)));
        }
        return b.build();
    }

    public static List<Node> nodes(Gen g, int max) {
        int n = g.intIn(0, max);
        Set<String> names = new HashSet<>();
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = name(g);
            if (names.add(name)) {
                nodes.add(node(g, name));
            }
        }
        return nodes;
    }

    public static Tree tree(Gen g, int max) {
        return Tree.of(nodes(g, max));
    }

    /** A valid index file: every entry lies inside its pack and has a possible sealed length. */
    public static IndexFile indexFile(Gen g) {
        List<FileId> supersedes = new ArrayList<>();
        int s = g.intIn(0, 3);
        for (int i = 0; i < s; i++) {
            supersedes.add(fileId(g));
        }
        List<IndexFile.Pack> packs = new ArrayList<>();
        int p = g.intIn(0, 4);
        for (int i = 0; i < p; i++) {
            List<PackEntry> entries = new ArrayList<>();
            long offset = PackFormat.LEAD_LENGTH;
            int n = g.intIn(0, 6);
            for (int j = 0; j < n; j++) {
                int payload = g.bool() ? g.intIn(0, 200_000) : g.intIn(0, 1 << 28);
                int stored = (int) SegmentedAead.sealedLength(payload);
                entries.add(new PackEntry(g.pick(BlobType.values()), g.intIn(0, PackEntry.KNOWN_FLAGS), offset, stored,
                        g.intIn(0, Integer.MAX_VALUE), blobId(g)));
                offset += stored + (g.bool() ? 0 : g.intIn(0, 1000));
            }
            long length = Math.min(PackFormat.MAX_PACK_LENGTH, offset + g.longIn(PackFormat.TRAILER_LENGTH, 1 << 20));
            packs.add(new IndexFile.Pack(fileId(g), g.bytes(32), length, entries));
        }
        return new IndexFile(supersedes, packs);
    }

    public static ChunkerParams chunkerParams(Gen g, int maxAverageBits) {
        int bits = g.intIn(7, Math.min(maxAverageBits, 25));
        int avg = 1 << bits;
        int min = g.intIn(ChunkerParams.LOWEST_MIN, avg - 1);
        int max = g.intIn(avg + 1, Math.min(ChunkerParams.HIGHEST_MAX, avg * 8));
        return new ChunkerParams(min, avg, max);
    }

    public static Config config(Gen g) {
        return Config.create(HexFormat.of().formatHex(g.bytes(32)), instant(g).toString(), chunkerParams(g, 26),
                g.intIn(Config.MIN_PACK_SIZE, Config.MAX_PACK_SIZE));
    }

    public static Snapshot snapshot(Gen g) {
        Snapshot s = new Snapshot();
        s.time = Instant.ofEpochSecond(g.longIn(0, 1L << 36), g.intIn(0, 999_999_999)).toString();
        s.tree = blobId(g).hex();
        s.paths = strings(g);
        s.host = g.bool() ? g.text(10) : null;
        s.user = g.bool() ? g.text(10) : null;
        s.tags = strings(g);
        s.engine = g.pick("files", "postgres", g.text(5));
        s.engineMetadata = g.bool() ? jsonObject(g, 3) : null;
        s.parent = g.bool() ? fileId(g).hex() : null;
        s.programVersion = g.text(8);
        if (g.bool()) {
            Snapshot.Summary m = new Snapshot.Summary();
            m.filesNew = g.longIn(0, Long.MAX_VALUE);
            m.filesChanged = g.longIn(0, 1000);
            m.filesUnmodified = g.longIn(0, 1000);
            m.dirsNew = g.longIn(0, 1000);
            m.dirsChanged = g.longIn(0, 1000);
            m.dirsUnmodified = g.longIn(0, 1000);
            m.dataBlobs = g.longIn(0, 1L << 40);
            m.treeBlobs = g.longIn(0, 1000);
            m.dataAdded = g.longIn(0, Long.MAX_VALUE);
            m.dataAddedPacked = g.longIn(0, Long.MAX_VALUE);
            m.totalFilesProcessed = g.longIn(0, 1000);
            m.totalBytesProcessed = g.longIn(0, Long.MAX_VALUE);
            m.backupStart = s.time;
            m.backupEnd = g.bool() ? s.time : null;
            s.summary = m;
        }
        return s;
    }

    private static List<String> strings(Gen g) {
        List<String> out = new ArrayList<>();
        int n = g.intIn(0, 4);
        for (int i = 0; i < n; i++) {
            out.add(g.text(15));
        }
        return out;
    }

    public static ObjectNode jsonObject(Gen g, int depth) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        int n = g.intIn(0, 4);
        for (int i = 0; i < n; i++) {
            String key = g.text(6);
            switch (g.intIn(0, depth > 0 ? 6 : 4)) {
                case 0 -> o.put(key, g.text(10));
                case 1 -> o.put(key, g.longIn(Long.MIN_VALUE, Long.MAX_VALUE));
                case 2 -> o.put(key, g.bool());
                case 3 -> o.putNull(key);
                case 4 -> o.put(key, g.intIn(-1000, 1000) / 8.0);
                case 5 -> o.set(key, jsonObject(g, depth - 1));
                default -> {
                    ArrayNode a = o.putArray(key);
                    int m = g.intIn(0, 3);
                    for (int j = 0; j < m; j++) {
                        a.add(g.text(4));
                    }
                }
            }
        }
        return o;
    }
}
