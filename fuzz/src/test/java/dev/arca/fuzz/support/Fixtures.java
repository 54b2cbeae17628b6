package dev.arca.fuzz.support;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.Zstd;
import dev.arca.chunker.ChunkerParams;
import dev.arca.format.crypto.BlobHasher;
import dev.arca.format.crypto.KdfParams;
import dev.arca.format.crypto.KeyFile;
import dev.arca.format.crypto.MasterKeys;
import dev.arca.format.crypto.SealedFile;
import dev.arca.format.id.BlobId;
import dev.arca.format.id.BlobType;
import dev.arca.format.id.FileId;
import dev.arca.format.index.IndexFile;
import dev.arca.format.io.Json;
import dev.arca.format.pack.PackEntry;
import dev.arca.format.pack.PackWriter;
import dev.arca.format.repo.Config;
import dev.arca.format.snapshot.Snapshot;
import dev.arca.format.tree.Node;
import dev.arca.format.tree.NodeKind;
import dev.arca.format.tree.Tree;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Fixed keys, salts and sample objects, produced by the main code itself. The seed corpus and the
 * tamper targets are built from these, so they are real encodings, reproducible byte for byte.
 */
public final class Fixtures {
    public static final byte[] ENC_KEY = pattern(0x01);
    public static final byte[] ID_KEY = pattern(0x41);
    public static final byte[] CHUNKER_SECRET = pattern(0x81);
    public static final MasterKeys KEYS = new MasterKeys(ENC_KEY, ID_KEY, CHUNKER_SECRET);
    public static final byte[] FILE_SALT = pattern(0xA0);
    public static final byte[] PACK_SALT = pattern(0xC0);
    public static final Instant TIME = Instant.parse("2026-11-21T12:34:56.123456789Z");
    public static final BlobHasher HASHER = new BlobHasher(ID_KEY);
    public static final String PASSWORD = "correct horse \u2603 battery";
    /** Cheap Argon2id parameters (1 pass, 8 KiB), so key files open in about a millisecond. */
    public static final KdfParams FAST_KDF = new KdfParams(1, 8, 1);

    private Fixtures() {
    }

    /** 32 bytes {@code first, first+1, …}. */
    public static byte[] pattern(int first) {
        byte[] b = new byte[32];
        for (int i = 0; i < 32; i++) {
            b[i] = (byte) (first + i);
        }
        return b;
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static BlobId blobId(String content) {
        return HASHER.id(utf8(content));
    }

    public static byte[] randomBytes(long seed, int n) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    // ------------------------------------------------------------------ packs

    /** A blob as a writer stores it: its plaintext, and what goes into the pack. */
    public record Blob(BlobType type, BlobId id, int flags, byte[] plain, byte[] payload) {
    }

    /**
     * Blobs of a small data pack: a raw one, a zstd-compressed one, an empty one, and, when
     * {@code big}, one of 70,000 random bytes that spans two AEAD segments.
     */
    public static List<Blob> sampleBlobs(boolean big) {
        List<Blob> blobs = new ArrayList<>();
        blobs.add(raw(BlobType.DATA, utf8("hello, arca: a first blob of plain data\n")));
        byte[] text = utf8("compressible ".repeat(40));
        blobs.add(new Blob(BlobType.DATA, HASHER.id(text), PackEntry.FLAG_ZSTD, text, Zstd.compress(text, 3)));
        blobs.add(raw(BlobType.DATA, new byte[0]));
        if (big) {
            blobs.add(raw(BlobType.DATA, randomBytes(70, 70_000)));
        }
        return blobs;
    }

    public static Blob raw(BlobType type, byte[] plain) {
        return new Blob(type, HASHER.id(plain), 0, plain, plain);
    }

    public static PackWriter.Finished pack(byte[] salt, List<Blob> blobs) {
        Reseal.allow();
        PackWriter w = new PackWriter(ENC_KEY, salt, 1024);
        try {
            for (Blob b : blobs) {
                w.add(b.type(), b.id(), b.flags(), b.plain().length, b.payload(), 0, b.payload().length);
            }
            return w.finish();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("an in-memory pack cannot fail to write", e);
        }
    }

    public static PackWriter.Finished samplePack() {
        return pack(PACK_SALT, sampleBlobs(false));
    }

    // ------------------------------------------------------------------ trees

    public static Tree sampleTree() {
        List<Node> nodes = new ArrayList<>();
        nodes.add(Node.builder("readme.txt", NodeKind.FILE).mode(0644).owner(1000, 100, "ana", "users")
                .mtime(TIME).ctime(TIME.plusSeconds(5)).inode(1234, 0x801, 1).size(40)
                .content(List.of(blobId("chunk one"), blobId("chunk two"))).build());
        nodes.add(Node.builder("docs", NodeKind.DIR).mode(0755).owner(1000, 100, "ana", "users")
                .mtime(Instant.ofEpochSecond(-86_400, 1)).subtree(blobId("subtree")).inode(77, 0x801, 3).build());
        nodes.add(Node.builder("link", NodeKind.SYMLINK).mode(0777).linkTarget("../target/\u00e9t\u00e9").build());
        nodes.add(Node.builder("pipe", NodeKind.FIFO).mode(0600).rdev(0).build());
        nodes.add(Node.builder("tty0", NodeKind.CHAR_DEVICE).mode(0620).rdev(0x0400).build());
        nodes.add(Node.builder("na\u00efve-\u65e5\u672c-\ud83d\ude00.txt", NodeKind.FILE).mode(04755)
                .owner(0, 0, "root", "\u0440\u043e\u043e\u0442").size(0).extension(2, utf8("optional extension"))
                .extension(10, new byte[0]).build());
        nodes.add(Node.builder("big.iso", NodeKind.FILE).size(1L << 40)
                .indirectContent(List.of(blobId("list one"))).build());
        return Tree.of(nodes);
    }

    // ------------------------------------------------------------------ sealed files

    public static IndexFile sampleIndex(PackWriter.Finished pack) {
        return new IndexFile(List.of(FileId.of(utf8("an older index file"))),
                List.of(new IndexFile.Pack(pack.id(), pack.salt(), pack.length(), pack.entries())));
    }

    public static Snapshot sampleSnapshot() {
        Snapshot s = new Snapshot();
        s.time = TIME.toString();
        s.tree = blobId("root tree").hex();
        s.paths = List.of("/home/ana/docs", "/srv/\u00e9t\u00e9");
        s.host = "host-1";
        s.user = "ana";
        s.tags = List.of("daily", "\u65e5\u672c");
        s.engine = "files";
        ObjectNode meta = Json.MAPPER.createObjectNode();
        meta.put("format", "files");
        meta.putObject("nested").putArray("a").add(1).add("two").add(3.5);
        s.engineMetadata = meta;
        s.parent = FileId.of(utf8("parent snapshot")).hex();
        s.programVersion = "0.1.0";
        s.summary = new Snapshot.Summary();
        s.summary.filesNew = 3;
        s.summary.dataBlobs = 7;
        s.summary.totalBytesProcessed = 1L << 33;
        s.summary.backupStart = TIME.toString();
        s.summary.backupEnd = TIME.plusSeconds(60).toString();
        return s;
    }

    public static Config sampleConfig() {
        return Config.create(HexFormat.of().formatHex(pattern(0x10)), TIME.toString(),
                new ChunkerParams(4096, 16384, 65536), Config.DEFAULT_PACK_SIZE);
    }

    public static byte[] seal(String magic, byte[] content) {
        Reseal.allow();
        return SealedFile.seal(ENC_KEY, magic, 1, content, FILE_SALT);
    }

    public static byte[] sampleKeyFile() {
        Reseal.allow();
        return KeyFile.create(KEYS, PASSWORD.toCharArray(), FAST_KDF, new FixedRandom(7), "host-1", "ana", TIME).encode();
    }
}
