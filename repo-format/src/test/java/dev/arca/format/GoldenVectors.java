package dev.arca.format;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.chunker.ChunkerParams;
import dev.arca.chunker.FastCdc;
import dev.arca.chunker.GearTable;
import dev.arca.format.crypto.KdfParams;
import dev.arca.format.crypto.KeyFile;
import dev.arca.format.crypto.MasterKeys;
import dev.arca.format.crypto.SealedFile;
import dev.arca.format.id.BlobId;
import dev.arca.format.id.BlobType;
import dev.arca.format.id.FileId;
import dev.arca.format.index.IndexFile;
import dev.arca.format.mark.Mark;
import dev.arca.format.io.Json;
import dev.arca.format.pack.PackEntry;
import dev.arca.format.pack.PackWriter;
import dev.arca.format.snapshot.Snapshot;
import dev.arca.format.testing.DeterministicRandom;
import dev.arca.format.testing.TestRepos;
import dev.arca.format.tree.Node;
import dev.arca.format.tree.NodeKind;
import dev.arca.format.tree.Tree;
import com.github.luben.zstd.Zstd;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the golden vectors of spec §16 from fixed inputs. {@link GoldenVectorsTest} checks the
 * committed files against what this code decodes and encodes; run it with
 * {@code -Darca.regenerate.vectors=true} to rewrite them after a deliberate format change.
 */
final class GoldenVectors {
    static final String PASSWORD = "arca-golden";
    static final KdfParams KDF = new KdfParams(1, 8192, 1);
    static final Instant CREATED = Instant.parse("2026-11-21T00:00:00Z");
    static final MasterKeys KEYS = TestRepos.goldenKeys();
    static final byte[] PACK_SALT = fill(0xA0);
    static final byte[] INDEX_SALT = fill(0xB0);
    static final byte[] SNAPSHOT_SALT = fill(0xC0);
    static final byte[] MARK_SALT = fill(0xD0);
    static final byte[] CANCEL_SALT = fill(0xE0);
    static final int CHUNK_INPUT = 4 << 20;
    static final ChunkerParams SMALL_CHUNKS = new ChunkerParams(4096, 16384, 65536);

    /** The three blobs of the pack: compressible text (stored compressed), random bytes (raw), empty (raw). */
    static final byte[] TEXT = "arca golden vector: the quick brown fox jumps over the lazy dog. ".repeat(64)
            .getBytes(StandardCharsets.UTF_8);
    static final byte[] RANDOM = DeterministicRandom.bytes(3000);
    static final byte[] EMPTY = new byte[0];

    private GoldenVectors() {
    }

    static byte[] fill(int start) {
        byte[] b = new byte[32];
        for (int i = 0; i < 32; i++) {
            b[i] = (byte) (start + i);
        }
        return b;
    }

    static byte[] keyFile() {
        return KeyFile.create(KEYS, PASSWORD.toCharArray(), KDF, new DeterministicRandom(1), "golden-host", "golden-user",
                CREATED).encode();
    }

    static BlobId id(byte[] plain) {
        return new dev.arca.format.crypto.BlobHasher(KEYS.idKey()).id(plain);
    }

    /** The pack, built from stored payloads (so re-encoding does not depend on the zstd version). */
    static PackWriter.Finished pack(List<byte[]> storedPayloads, List<Integer> flags) {
        byte[][] plains = {TEXT, RANDOM, EMPTY};
        PackWriter w = new PackWriter(KEYS.encKey(), PACK_SALT, 1 << 16);
        try {
            for (int i = 0; i < plains.length; i++) {
                byte[] p = storedPayloads.get(i);
                w.add(i == 2 ? BlobType.TREE : BlobType.DATA, id(plains[i]), flags.get(i), plains[i].length, p, 0, p.length);
            }
            return w.finish();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("an in-memory pack cannot fail to write", e);
        }
    }

    static PackWriter.Finished freshPack() {
        byte[] z = Zstd.compress(TEXT, 3);
        return pack(List.of(z, RANDOM, EMPTY), List.of(PackEntry.FLAG_ZSTD, 0, 0));
    }

    static IndexFile index(PackWriter.Finished pack) {
        return new IndexFile(List.of(FileId.fromBytes(fill(0x10))),
                List.of(new IndexFile.Pack(pack.id(), pack.salt(), pack.length(), pack.entries())));
    }

    static Tree tree() {
        BlobId sub = id("subtree".getBytes(StandardCharsets.UTF_8));
        return Tree.of(List.of(
                Node.builder("README.txt", NodeKind.FILE).mode(0644).owner(1000, 1000, "ana", "staff")
                        .mtime(Instant.parse("2026-01-02T03:04:05.123456789Z")).ctime(Instant.parse("2026-01-02T03:04:06Z"))
                        .inode(4242, 2049, 1).size(TEXT.length + RANDOM.length)
                        .content(List.of(id(TEXT), id(RANDOM))).build(),
                Node.builder("docs", NodeKind.DIR).mode(0755).owner(1000, 1000, "ana", "staff")
                        .mtime(Instant.parse("2025-12-31T23:59:59Z")).ctime(Instant.parse("2025-12-31T23:59:59Z"))
                        .inode(4243, 2049, 2).subtree(sub).build(),
                Node.builder("latest", NodeKind.SYMLINK).mode(0777).owner(0, 0, "root", "root")
                        .mtime(Instant.EPOCH).ctime(Instant.EPOCH).inode(4244, 2049, 1).linkTarget("docs/ünïcode")
                        .build(),
                Node.builder("Ünïcödé 名前.txt", NodeKind.FILE).mode(0600).owner(1000, 1000, "ana", "staff")
                        .mtime(Instant.parse("1969-07-20T20:17:40Z")).ctime(Instant.parse("2026-01-01T00:00:00Z"))
                        .inode(4245, 2049, 1).size(0).content(List.of()).build()));
    }

    static Snapshot snapshot(BlobId tree) {
        Snapshot s = new Snapshot();
        s.time = "2026-11-21T12:00:00.000000001Z";
        s.tree = tree.hex();
        s.paths = List.of("/home/ana");
        s.host = "golden-host";
        s.user = "golden-user";
        s.tags = List.of("daily", "golden");
        s.engine = "files";
        ObjectNode meta = Json.MAPPER.createObjectNode();
        meta.put("note", "engine metadata is an object the engine defines");
        s.engineMetadata = meta;
        s.programVersion = "arca 0.1.0";
        Snapshot.Summary sum = new Snapshot.Summary();
        sum.filesNew = 2;
        sum.dirsNew = 1;
        sum.dataAdded = TEXT.length + RANDOM.length;
        sum.totalFilesProcessed = 3;
        sum.totalBytesProcessed = TEXT.length + RANDOM.length;
        sum.backupStart = "2026-11-21T11:59:00Z";
        sum.backupEnd = "2026-11-21T12:00:00Z";
        s.summary = sum;
        return s;
    }

    /** A delete mark: the golden pack, and an unindexed pack named 0x20.. */
    static Mark mark(FileId pack) {
        return Mark.delete(CREATED, CREATED.plus(java.time.Duration.ofHours(24)), "golden-host",
                List.of(new Mark.Item(pack, 0, null), new Mark.Item(FileId.fromBytes(fill(0x20)), Mark.FLAG_UNINDEXED, null)));
    }

    /** A cancellation of the golden pack for the mark with this id. */
    static Mark cancel(FileId pack, FileId mark) {
        return Mark.cancel(CREATED.plusSeconds(60), "golden-host", List.of(new Mark.Item(pack, 0, mark)));
    }

    /** Chunk lengths of the 4 MiB input (spec §16) under the golden chunker secret. */
    static List<Integer> chunks(ChunkerParams params) {
        byte[] input = DeterministicRandom.bytes(CHUNK_INPUT);
        FastCdc cdc = new FastCdc(GearTable.derive(KEYS.chunkerSecret()), params);
        List<Integer> out = new ArrayList<>();
        for (int off = 0; off < input.length; ) {
            int n = cdc.cut(input, off, input.length - off);
            out.add(n);
            off += n;
        }
        return out;
    }

    static String chunksText() {
        StringBuilder b = new StringBuilder();
        b.append("# fastcdc-v1 chunk lengths of the spec §16 input (4 MiB: SHA-256 of u64 LE counters 0,1,2,...)\n");
        b.append("# chunker secret = bytes 0x40..0x5f\n");
        for (ChunkerParams p : List.of(SMALL_CHUNKS, ChunkerParams.DEFAULT)) {
            b.append("params ").append(p.min()).append(' ').append(p.avg()).append(' ').append(p.max()).append('\n');
            List<Integer> c = chunks(p);
            for (int i = 0; i < c.size(); i++) {
                b.append(c.get(i)).append(i % 16 == 15 || i == c.size() - 1 ? "\n" : " ");
            }
        }
        return b.toString();
    }

    /** Every vector file by name. */
    static Map<String, byte[]> all() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("keyfile", keyFile());
        PackWriter.Finished pack = freshPack();
        files.put("pack", pack.bytes());
        files.put("index", SealedFile.seal(KEYS.encKey(), IndexFile.MAGIC, IndexFile.VERSION_CURRENT, index(pack).encode(),
                INDEX_SALT));
        Tree t = tree();
        files.put("tree", t.encode());
        files.put("snapshot", SealedFile.seal(KEYS.encKey(), Snapshot.MAGIC, Snapshot.VERSION_CURRENT,
                snapshot(id(t.encode())).encode(), SNAPSHOT_SALT));
        byte[] mark = SealedFile.seal(KEYS.encKey(), Mark.MAGIC, Mark.VERSION_CURRENT, mark(pack.id()).encode(), MARK_SALT);
        files.put("mark", mark);
        files.put("cancel", SealedFile.seal(KEYS.encKey(), Mark.MAGIC, Mark.VERSION_CURRENT,
                cancel(pack.id(), FileId.of(mark)).encode(), CANCEL_SALT));
        files.put("chunks.txt", chunksText().getBytes(StandardCharsets.UTF_8));
        files.put("vectors.json", description(pack).getBytes(StandardCharsets.UTF_8));
        return files;
    }

    private static String description(PackWriter.Finished pack) {
        HexFormat hex = HexFormat.of();
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("about", "Golden vectors of the arca repository format version 1 (spec/FORMAT.md section 16). "
                + "Every file here is made from the fixed inputs below.");
        ObjectNode keys = o.putObject("master_keys");
        keys.put("encKey", hex.formatHex(KEYS.encKey()));
        keys.put("idKey", hex.formatHex(KEYS.idKey()));
        keys.put("chunkerSecret", hex.formatHex(KEYS.chunkerSecret()));
        ObjectNode kf = o.putObject("keyfile");
        kf.put("password", PASSWORD);
        kf.put("argon2id", "t=1 m=8192 KiB p=1");
        kf.put("salt", "first 32 bytes of SHA-256(u64 LE 1 || u64 LE 0)");
        ObjectNode p = o.putObject("pack");
        p.put("name", pack.id().hex());
        p.put("salt", hex.formatHex(PACK_SALT));
        p.put("blob_1", "data, zstd: \"arca golden vector: the quick brown fox jumps over the lazy dog. \" x 64");
        p.put("blob_2", "data, raw: the first 3000 bytes of the chunker input");
        p.put("blob_3", "tree type, raw, empty");
        o.put("index_salt", hex.formatHex(INDEX_SALT));
        o.put("index_supersedes", hex.formatHex(fill(0x10)));
        o.put("snapshot_salt", hex.formatHex(SNAPSHOT_SALT));
        o.put("mark_salt", hex.formatHex(MARK_SALT));
        o.put("mark", "delete mark made 2026-11-21T00:00:00Z, not before +24h, host golden-host: the pack (flags 0) "
                + "and pack 202122..3f (unindexed)");
        o.put("cancel_salt", hex.formatHex(CANCEL_SALT));
        o.put("cancel", "cancellation made 2026-11-21T00:01:00Z: the pack, for the mark file above (its SHA-256)");
        o.put("tree", "blob plaintext: README.txt (2 data blobs), docs (dir), latest (symlink), a non-ASCII empty file");
        o.put("chunks", "chunks.txt: min/avg/max 4096/16384/65536 and 262144/1048576/8388608");
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
