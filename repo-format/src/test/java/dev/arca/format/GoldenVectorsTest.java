package dev.arca.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arca.chunker.ChunkerParams;
import dev.arca.format.crypto.KeyFile;
import dev.arca.format.crypto.MasterKeys;
import dev.arca.format.crypto.SealedFile;
import dev.arca.format.id.FileId;
import dev.arca.format.index.IndexFile;
import dev.arca.format.mark.Mark;
import dev.arca.format.pack.PackEntry;
import dev.arca.format.pack.PackFormat;
import dev.arca.format.pack.PackWriter;
import dev.arca.format.snapshot.Snapshot;
import dev.arca.format.tree.Tree;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The committed golden vectors (spec §16, in the arca-spec artifact) decode to the fixed inputs,
 * and encoding those inputs gives the committed bytes. Independent of the zstd version: stored
 * zstd frames are taken from the vectors, not recompressed.
 */
class GoldenVectorsTest {
    private static final String DIR = "/vectors/";

    @BeforeAll
    static void regenerateIfAsked() throws IOException {
        if (!Boolean.getBoolean("arca.regenerate.vectors")) {
            return;
        }
        Path out = Path.of(System.getProperty("arca.spec.dir"), "src/main/resources/vectors");
        Files.createDirectories(out);
        for (Map.Entry<String, byte[]> e : GoldenVectors.all().entrySet()) {
            Files.write(out.resolve(e.getKey()), e.getValue());
        }
        throw new org.opentest4j.TestAbortedException("vectors regenerated in " + out + "; rebuild arca-spec and run again");
    }

    static byte[] vector(String name) throws IOException {
        try (InputStream in = GoldenVectorsTest.class.getResourceAsStream(DIR + name)) {
            assertNotNull(in, "golden vector " + name + " is missing from arca-spec");
            return in.readAllBytes();
        }
    }

    @Test
    void keyFileOpensWithTheGoldenPasswordAndEncodesIdentically() throws IOException {
        byte[] file = vector("keyfile");
        MasterKeys keys = KeyFile.parse(file, "keyfile").open(GoldenVectors.PASSWORD.toCharArray(), "keyfile");
        assertArrayEquals(GoldenVectors.KEYS.encodePayload(), keys.encodePayload());
        assertThrows(WrongPasswordException.class,
                () -> KeyFile.parse(file, "keyfile").open("arca-golden!".toCharArray(), "keyfile"));
        assertArrayEquals(file, GoldenVectors.keyFile());
    }

    @Test
    void packDecodesToTheThreeBlobsAndReencodesIdentically() throws IOException {
        byte[] pack = vector("pack");
        byte[] salt = PackFormat.parseLead(pack, "pack");
        assertArrayEquals(GoldenVectors.PACK_SALT, salt);
        var key = PackFormat.packKey(GoldenVectors.KEYS.encKey(), salt);
        List<PackEntry> entries = PackFormat.openHeader(key, Arrays.copyOf(pack, PackFormat.LEAD_LENGTH), pack,
                pack.length, "pack");
        assertEquals(3, entries.size());
        byte[][] plains = {GoldenVectors.TEXT, GoldenVectors.RANDOM, GoldenVectors.EMPTY};
        List<byte[]> stored = new ArrayList<>();
        List<Integer> flags = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            PackEntry e = entries.get(i);
            byte[] payload = PackFormat.openBlob(key, e, pack, (int) e.offset(), "pack");
            byte[] plain = e.compressed() ? SealedFile.decompress(payload, 0, payload.length, e.rawLength(), "pack") : payload;
            assertArrayEquals(plains[i], plain, "blob " + i);
            assertEquals(GoldenVectors.id(plains[i]), e.id());
            stored.add(payload);
            flags.add(e.flags());
        }
        assertTrue(entries.get(0).compressed(), "the text blob is stored compressed");
        assertEquals(0, entries.get(1).flags());
        PackWriter.Finished again = GoldenVectors.pack(stored, flags);
        assertArrayEquals(pack, again.bytes());
        assertEquals(FileId.of(pack), again.id());
    }

    @Test
    void indexFileListsThePackAndReencodesIdentically() throws IOException {
        byte[] file = vector("index");
        SealedFile.Opened o = SealedFile.open(GoldenVectors.KEYS.encKey(), file, IndexFile.MAGIC, 1, 1, "index", "index");
        IndexFile idx = IndexFile.decode(o.content(), "index");
        byte[] pack = vector("pack");
        assertEquals(1, idx.packs().size());
        assertEquals(FileId.of(pack), idx.packs().get(0).id());
        assertEquals(pack.length, idx.packs().get(0).length());
        assertEquals(List.of(FileId.fromBytes(GoldenVectors.fill(0x10))), idx.supersedes());
        assertArrayEquals(idx.encode(), o.content());
        assertArrayEquals(file, SealedFile.sealBody(GoldenVectors.KEYS.encKey(), IndexFile.MAGIC, 1, o.body(),
                GoldenVectors.INDEX_SALT));
    }

    @Test
    void treeBlobIsTheDeterministicEncoding() throws IOException {
        byte[] tree = vector("tree");
        Tree expected = GoldenVectors.tree();
        assertArrayEquals(expected.encode(), tree);
        Tree decoded = Tree.decode(tree, "tree");
        assertEquals(expected.nodes(), decoded.nodes());
        assertEquals("Ünïcödé 名前.txt", decoded.nodes().get(3).name());
    }

    @Test
    void snapshotOpensToTheFixedManifest() throws IOException {
        byte[] file = vector("snapshot");
        SealedFile.Opened o = SealedFile.open(GoldenVectors.KEYS.encKey(), file, Snapshot.MAGIC, 1, 1, "snapshot",
                "snapshot");
        Snapshot s = Snapshot.decode(o.content(), "snapshot");
        Snapshot expected = GoldenVectors.snapshot(GoldenVectors.id(GoldenVectors.tree().encode()));
        assertArrayEquals(expected.encode(), o.content());
        assertEquals(List.of("daily", "golden"), s.tags);
        assertEquals(expected.tree, s.tree);
        assertArrayEquals(file, SealedFile.sealBody(GoldenVectors.KEYS.encKey(), Snapshot.MAGIC, 1, o.body(),
                GoldenVectors.SNAPSHOT_SALT));
    }

    @Test
    void markAndCancellationOpenAndReencodeIdentically() throws IOException {
        byte[] file = vector("mark");
        FileId pack = FileId.of(vector("pack"));
        SealedFile.Opened o = SealedFile.open(GoldenVectors.KEYS.encKey(), file, Mark.MAGIC, 1, 1, "mark", "mark");
        Mark m = Mark.decode(o.content(), "mark");
        assertEquals(GoldenVectors.mark(pack), m);
        assertEquals(Mark.Kind.DELETE, m.kind());
        assertTrue(m.items().get(1).unindexed());
        assertArrayEquals(m.encode(), o.content());
        assertArrayEquals(file, SealedFile.sealBody(GoldenVectors.KEYS.encKey(), Mark.MAGIC, 1, o.body(),
                GoldenVectors.MARK_SALT));

        byte[] cancelFile = vector("cancel");
        SealedFile.Opened c = SealedFile.open(GoldenVectors.KEYS.encKey(), cancelFile, Mark.MAGIC, 1, 1, "cancel", "cancel");
        Mark cancel = Mark.decode(c.content(), "cancel");
        assertEquals(GoldenVectors.cancel(pack, FileId.of(file)), cancel);
        assertEquals(FileId.of(file), cancel.items().get(0).mark());
        assertArrayEquals(cancelFile, SealedFile.sealBody(GoldenVectors.KEYS.encKey(), Mark.MAGIC, 1, c.body(),
                GoldenVectors.CANCEL_SALT));
        byte[] bad = o.content().clone();
        bad[0] = 3;
        assertThrows(CorruptObjectException.class, () -> Mark.decode(bad, "mark"));
        assertThrows(CorruptObjectException.class, () -> Mark.decode(java.util.Arrays.copyOf(o.content(), 30), "mark"));
    }

    @Test
    void chunkBoundariesMatchTheCommittedList() throws IOException {
        String committed = new String(vector("chunks.txt"), StandardCharsets.UTF_8);
        assertEquals(committed, GoldenVectors.chunksText());
        assertTrue(GoldenVectors.chunks(GoldenVectors.SMALL_CHUNKS).size() > 100);
        assertTrue(GoldenVectors.chunks(ChunkerParams.DEFAULT).size() >= 2);
    }

    @Test
    void descriptionMatches() throws IOException {
        assertEquals(new String(GoldenVectors.all().get("vectors.json"), StandardCharsets.UTF_8),
                new String(vector("vectors.json"), StandardCharsets.UTF_8));
    }
}
