package dev.arca.fuzz;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdOutputStream;
import dev.arca.format.id.BlobId;
import dev.arca.format.index.IndexFile;
import dev.arca.format.io.ByteWriter;
import dev.arca.format.pack.PackEntry;
import dev.arca.format.pack.PackFormat;
import dev.arca.format.pack.PackWriter;
import dev.arca.format.repo.Config;
import dev.arca.format.tree.Node;
import dev.arca.format.tree.NodeKind;
import dev.arca.format.tree.Tree;
import dev.arca.fuzz.support.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the seed corpus under {@code src/test/resources/dev/arca/fuzz/<Class>Inputs/<method>/}.
 * The files are committed; this class only regenerates them:
 *
 * <pre>mvn -pl fuzz test -Dtest=SeedCorpus -Darca.fuzz.writeSeeds=true</pre>
 *
 * Every seed is made by the main code with the fixed keys and salts of {@link Fixtures}: real
 * encodings (names starting {@code valid-}, which {@link CorpusTest} checks still parse), and
 * truncated or mutated variants of them. Seeds of FuzzedDataProvider targets are random bytes from
 * fixed seeds. Files are overwritten, never deleted, so reproducers added by hand survive.
 */
class SeedCorpus {
    private Path root;

    @Test
    @EnabledIfSystemProperty(named = "arca.fuzz.writeSeeds", matches = "true")
    void writeSeeds() throws IOException {
        writeAll(Path.of(System.getProperty("basedir", "."), "src", "test", "resources"));
    }

    public static void main(String[] args) throws IOException {
        writeAll(Path.of(args.length > 0 ? args[0] : "fuzz/src/test/resources"));
    }

    static void writeAll(Path root) throws IOException {
        SeedCorpus c = new SeedCorpus();
        c.root = root;
        c.writeEverything();
    }

    private void writeEverything() throws IOException {
        trees();
        indexes();
        packs();
        sealedFiles();
        aead();
        jsonFiles();
        misc();
    }

    private void write(Class<?> test, String method, String name, byte[] data) throws IOException {
        Path dir = root.resolve(test.getPackageName().replace('.', '/')).resolve(test.getSimpleName() + "Inputs")
                .resolve(method);
        Files.createDirectories(dir);
        Files.write(dir.resolve(name), data);
    }

    private void random(Class<?> test, String method, int... sizes) throws IOException {
        for (int i = 0; i < sizes.length; i++) {
            write(test, method, "random-" + (i + 1), Fixtures.randomBytes(1000L * (i + 1) + method.hashCode(), sizes[i]));
        }
    }

    private static byte[] cut(byte[] b, int drop) {
        return Arrays.copyOf(b, b.length - drop);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] patch(byte[] b, int at, int... values) {
        byte[] out = b.clone();
        for (int i = 0; i < values.length; i++) {
            out[at + i] = (byte) values[i];
        }
        return out;
    }

    private static int indexOf(byte[] bytes, char c) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == c) {
                return i;
            }
        }
        throw new IllegalArgumentException("no " + c);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ trees and index files

    private void trees() throws IOException {
        Class<?> t = TreeFuzzTest.class;
        byte[] sample = Fixtures.sampleTree().encode();
        write(t, "decode", "valid-sample-tree", sample);
        write(t, "decode", "valid-empty-tree", Tree.of(List.of()).encode());
        write(t, "decode", "truncated-half", Arrays.copyOf(sample, sample.length / 2));
        write(t, "decode", "truncated-last-byte", cut(sample, 1));
        write(t, "decode", "critical-extension",
                Tree.of(List.of(Node.builder("x", NodeKind.FIFO).extension(3, new byte[] {1}).build())).encode());
        byte[] two = Tree.of(List.of(Node.builder("a", NodeKind.FIFO).build(), Node.builder("b", NodeKind.FIFO).build()))
                .encode();
        int a = indexOf(two, 'a');
        int b = indexOf(two, 'b');
        write(t, "decode", "names-not-ascending", patch(patch(two, a, 'b'), b, 'a'));
        write(t, "decode", "huge-node-count", new ByteWriter().u8(1).uvarint(Integer.MAX_VALUE).raw(new byte[64]).toByteArray());
        write(t, "decode", "huge-name-length",
                new ByteWriter().u8(1).uvarint(1).uvarint(Integer.MAX_VALUE).raw(utf8("abc")).raw(new byte[16]).toByteArray());

        List<BlobId> ids = List.of(Fixtures.blobId("1"), Fixtures.blobId("2"), Fixtures.blobId("3"));
        byte[] list = Tree.encodeContentList(ids);
        write(t, "decodeContentList", "valid-three-ids", list);
        write(t, "decodeContentList", "valid-empty", Tree.encodeContentList(List.of()));
        write(t, "decodeContentList", "truncated", cut(list, 5));
        write(t, "decodeContentList", "count-overflow",
                new ByteWriter().u8(2).uvarint(Integer.MAX_VALUE).raw(new byte[32]).toByteArray());
        random(t, "roundTrip", 200, 3000);
    }

    private void indexes() throws IOException {
        Class<?> t = IndexFileFuzzTest.class;
        byte[] sample = Fixtures.sampleIndex(Fixtures.samplePack()).encode();
        write(t, "decode", "valid-sample-index", sample);
        write(t, "decode", "valid-empty", new IndexFile(List.of(), List.of()).encode());
        write(t, "decode", "truncated", cut(sample, 10));
        write(t, "decode", "huge-superseded-count", new ByteWriter().u32(0x7FFF_FFFF).raw(new byte[40]).toByteArray());
        write(t, "decode", "huge-pack-count", new ByteWriter().u32(0).u32(0xFFFF_FFFFL).raw(new byte[80]).toByteArray());
        int entry = 4 + 32 + 4 + 32 + 32 + 8 + 4;
        write(t, "decode", "entry-outside-pack", patch(sample, entry + 2, 0x00, 0xFF, 0xFF, 0xFF));
        write(t, "decode", "unknown-blob-type", patch(sample, entry, 9));
        random(t, "roundTrip", 300, 2000);
    }

    // ------------------------------------------------------------------ packs

    private void packs() throws IOException {
        Class<?> t = PackFuzzTest.class;
        byte[] lead = PackFormat.lead(Fixtures.PACK_SALT);
        write(t, "parseLead", "valid-lead", lead);
        write(t, "parseLead", "bad-magic", patch(lead, 3, 'X'));
        write(t, "parseLead", "version-2", patch(lead, 4, 2));
        write(t, "parseLead", "reserved-not-zero", patch(lead, 6, 1));

        PackWriter.Finished pack = Fixtures.samplePack();
        byte[] bytes = pack.bytes();
        write(t, "openHeader", "valid-sample-pack", bytes);
        write(t, "openHeader", "valid-empty-pack", Fixtures.pack(Fixtures.PACK_SALT, List.of()).bytes());
        write(t, "openHeader", "truncated", cut(bytes, 1));
        write(t, "openHeader", "header-length-too-large", patch(bytes, bytes.length - 4, 0xF0, 0xFF, 0xFF, 0xFF));
        write(t, "openHeader", "flipped-blob-byte", patch(bytes, 45, bytes[45] ^ 0x20));

        List<PackEntry> entries = pack.entries();
        for (int i = 0; i < entries.size(); i++) {
            write(t, "openBlob", "valid-blob-" + i, blobInput(entries.get(i), bytes, 0));
        }
        write(t, "openBlob", "wrong-offset", blobInput(entries.get(0), bytes, 1));
        write(t, "openBlob", "truncated", cut(blobInput(entries.get(0), bytes, 0), 1));

        long body = entries.get(entries.size() - 1).end() - PackFormat.LEAD_LENGTH;
        byte[] header = PackFormat.encodeHeader(entries);
        write(t, "authenticatedHeader", "valid-sample-header", concat(new ByteWriter().u32(body).toByteArray(), header));
        write(t, "authenticatedHeader", "valid-empty-header", new ByteWriter().u32(0).u32(0).toByteArray());
        write(t, "authenticatedHeader", "count-mismatch",
                concat(new ByteWriter().u32(body).toByteArray(), patch(header, 0, entries.size() + 1)));
        write(t, "authenticatedHeader", "entries-overrun-body",
                concat(new ByteWriter().u32(body - 1).toByteArray(), header));
        write(t, "authenticatedHeader", "impossible-stored-length", concat(new ByteWriter().u32(5).toByteArray(),
                new ByteWriter().u32(1).u8(1).u8(0).u32(5).u32(0).raw(new byte[32]).toByteArray()));
        random(t, "tamper", 64, 512);
        random(t, "roundTrip", 500, 5000);
    }

    /** {@code u8 type, u8 flags, u32 offset, u32 stored, u32 raw, id} then the sealed bytes, as PackFuzzTest#openBlob reads. */
    private static byte[] blobInput(PackEntry e, byte[] pack, int offsetDelta) {
        return concat(new ByteWriter().u8(e.type().code()).u8(e.flags()).u32(e.offset() + offsetDelta).u32(e.storedLength())
                .u32(e.rawLength()).id(e.id()).toByteArray(), Arrays.copyOfRange(pack, (int) e.offset(), (int) e.end()));
    }

    // ------------------------------------------------------------------ sealed files

    private void sealedFiles() throws IOException {
        Class<?> t = SealedFileFuzzTest.class;
        write(t, "open", "valid-config", SealedFileFuzzTest.CONFIG);
        write(t, "open", "valid-snapshot", SealedFileFuzzTest.SNAPSHOT);
        write(t, "open", "valid-index", SealedFileFuzzTest.INDEX);
        write(t, "open", "version-2", patch(SealedFileFuzzTest.CONFIG, 4, 2));
        write(t, "open", "truncated", cut(SealedFileFuzzTest.SNAPSHOT, 1));
        write(t, "open", "flipped-salt", patch(SealedFileFuzzTest.CONFIG, 10, SealedFileFuzzTest.CONFIG[10] ^ 1));
        write(t, "open", "impossible-length", concat(SealedFileFuzzTest.CONFIG, new byte[] {1, 2, 3}));

        byte[] json = Fixtures.sampleSnapshot().encode();
        write(t, "authenticatedBody", "valid-raw", concat(new byte[] {0}, json));
        write(t, "authenticatedBody", "valid-zstd", concat(new byte[] {1}, Zstd.compress(json, 3)));
        write(t, "authenticatedBody", "unknown-flags", concat(new byte[] {2}, json));
        write(t, "authenticatedBody", "zstd-garbage", concat(new byte[] {1}, utf8("not a zstd frame")));
        write(t, "authenticatedBody", "zstd-without-content-size", concat(new byte[] {1}, streamedFrame(json)));
        write(t, "authenticatedBody", "zstd-flag-without-frame", new byte[] {1});
        write(t, "authenticatedBody", "zstd-truncated", concat(new byte[] {1}, cut(Zstd.compress(json, 3), 4)));

        byte[] frame = Zstd.compress(utf8("hello ".repeat(100)), 3);
        write(t, "decompress", "valid-frame", frame);
        write(t, "decompress", "valid-empty-frame", Zstd.compress(new byte[0], 3));
        write(t, "decompress", "truncated", cut(frame, 3));
        write(t, "decompress", "magic-only", Arrays.copyOf(frame, 4));
        write(t, "decompress", "three-bytes", Arrays.copyOf(frame, 3));
        write(t, "decompress", "without-content-size", streamedFrame(utf8("streamed")));
        write(t, "decompress", "two-frames", concat(frame, Zstd.compress(utf8("second"), 3)));
        write(t, "decompress", "skippable-frame", concat(new ByteWriter().u32(0x184D2A50L).u32(4).u32(0).toByteArray(), frame));
        random(t, "tamper", 32, 300);
        random(t, "roundTrip", 100, 2000);
    }

    private static byte[] streamedFrame(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZstdOutputStream z = new ZstdOutputStream(out)) {
            z.write(content);
        }
        return out.toByteArray();
    }

    private void aead() throws IOException {
        random(SegmentedAeadFuzzTest.class, "sealOpenTamper", 100, 1500);
    }

    // ------------------------------------------------------------------ JSON files

    private void jsonFiles() throws IOException {
        Class<?> t = JsonFilesFuzzTest.class;
        byte[] snapshot = Fixtures.sampleSnapshot().encode();
        String tree = Fixtures.blobId("root tree").hex();
        String minimal = "{\"time\":\"2026-01-01T00:00:00Z\",\"tree\":\"" + tree + "\"";
        write(t, "snapshotDecode", "valid-sample", snapshot);
        write(t, "snapshotDecode", "valid-minimal", utf8(minimal + "}"));
        write(t, "snapshotDecode", "valid-lone-surrogate-host", utf8(minimal + ",\"host\":\"\\ud800\"}"));
        write(t, "snapshotDecode", "bad-time", utf8(minimal.replace("2026-01-01T00:00:00Z", "yesterday") + "}"));
        write(t, "snapshotDecode", "short-tree-id", utf8(minimal.replace(tree, tree.substring(1)) + "}"));
        write(t, "snapshotDecode", "wrong-types", utf8(minimal + ",\"paths\":\"/x\",\"summary\":5}"));
        write(t, "snapshotDecode", "deep-nesting",
                utf8(minimal + ",\"engine_metadata\":" + "{\"a\":".repeat(1500) + "1" + "}".repeat(1500) + "}"));
        write(t, "snapshotDecode", "truncated", cut(snapshot, 7));
        write(t, "snapshotDecode", "json-null", utf8("null"));
        random(t, "snapshotRoundTrip", 300, 3000);

        Config c = Fixtures.sampleConfig();
        String config = new String(c.encode(), StandardCharsets.UTF_8);
        write(t, "configDecode", "valid-sample", c.encode());
        write(t, "configDecode", "avg-not-power-of-two", utf8(config.replace("\"avg\":16384", "\"avg\":16000")));
        write(t, "configDecode", "unknown-algorithm", utf8(config.replace("fastcdc-v1", "rabin")));
        write(t, "configDecode", "huge-number", utf8(config.replace("\"min\":4096", "\"min\":1e400")));
        write(t, "configDecode", "missing-chunker", utf8("{\"version\":1,\"id\":\"" + c.id + "\"}"));
        write(t, "configDecode", "version-2", utf8(config.replace("\"version\":1", "\"version\":2")));
        write(t, "configDecode", "truncated", cut(c.encode(), 2));

        byte[] key = Fixtures.sampleKeyFile();
        String keyJson = new String(key, 5, key.length - 5, StandardCharsets.UTF_8);
        byte[] lead = Arrays.copyOf(key, 5);
        write(t, "keyFile", "valid-sample", key);
        write(t, "keyFile", "version-2", patch(key, 4, 2));
        write(t, "keyFile", "truncated", cut(key, 3));
        write(t, "keyFile", "memory-at-the-limit",
                concat(lead, utf8(keyJson.replace("\"memory_kib\":8", "\"memory_kib\":4194304"))));
        write(t, "keyFile", "memory-over-the-limit",
                concat(lead, utf8(keyJson.replace("\"memory_kib\":8", "\"memory_kib\":4194305"))));
        write(t, "keyFile", "other-iterations", concat(lead, utf8(keyJson.replace("\"iterations\":1", "\"iterations\":2"))));
        write(t, "keyFile", "bad-base64", concat(lead, utf8(keyJson.replace("\"data\":\"", "\"data\":\"!"))));
        write(t, "keyFile", "argon2i", concat(lead, utf8(keyJson.replace("argon2id", "argon2i"))));
        random(t, "keyFileTamper", 40, 400);
    }

    // ------------------------------------------------------------------ the rest

    private void misc() throws IOException {
        random(ByteReaderFuzzTest.class, "byteReader", 50, 400);
        // Varints of every length, the redundant-zero form, and a 10-byte one; read by a script of uvarint ops.
        ByteWriter w = new ByteWriter();
        for (long v = 1; v > 0 && v < Long.MAX_VALUE / 64; v *= 131) {
            w.uvarint(v);
        }
        w.raw(new byte[] {(byte) 0x80, 0x00}).raw(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, 0x01});
        byte[] script = new byte[24];
        Arrays.fill(script, (byte) 5);
        write(ByteReaderFuzzTest.class, "byteReader", "varints", concat(w.toByteArray(), script));
        random(ChunkerFuzzTest.class, "chunk", 2_000, 20_000, 60_000);
        random(RepositoryFuzzTest.class, "roundTrip", 1_000, 8_000);
        write(SeedsAreExecutedFuzzTest.class, "echo", "first", utf8("first seed"));
        write(SeedsAreExecutedFuzzTest.class, "echo", "second", utf8("second seed"));
    }
}
