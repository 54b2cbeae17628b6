package dev.arca.format.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arca.format.CorruptObjectException;
import dev.arca.format.id.BlobId;
import dev.arca.format.io.ByteWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TreeTest {
    /** A tree with raw name bytes, as a malicious repository could hold it. */
    static byte[] crafted(byte[]... names) {
        ByteWriter w = new ByteWriter();
        w.u8(Tree.VERSION).uvarint(names.length);
        for (byte[] name : names) {
            w.bytes(name).u8(NodeKind.SYMLINK.code()).uvarint(0777).uvarint(0).uvarint(0).string("").string("")
                    .svarint(0).uvarint(0).svarint(0).uvarint(0).uvarint(0).uvarint(0).uvarint(1).uvarint(0)
                    .string("/etc").uvarint(0);
        }
        return w.toByteArray();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void craftedNamesThatCouldEscapeAreRefused() throws CorruptObjectException {
        for (String bad : List.of("..", ".", "", "a/b", "/etc", "../x", "x\0y")) {
            CorruptObjectException e = assertThrows(CorruptObjectException.class,
                    () -> Tree.decode(crafted(utf8(bad)), "tree t"), "name '" + bad + "'");
            assertEquals("tree t", e.object());
        }
        assertEquals("ok", Tree.decode(crafted(utf8("ok")), "t").nodes().get(0).name());
    }

    @Test
    void unsortedDuplicateOrInvalidUtf8NamesAreRefused() {
        assertThrows(CorruptObjectException.class, () -> Tree.decode(crafted(utf8("b"), utf8("a")), "t"));
        assertThrows(CorruptObjectException.class, () -> Tree.decode(crafted(utf8("a"), utf8("a")), "t"));
        assertThrows(CorruptObjectException.class, () -> Tree.decode(crafted(new byte[] {(byte) 0xff, 'a'}), "t"));
        assertThrows(IllegalArgumentException.class, () -> Tree.of(List.of(
                Node.builder("same", NodeKind.FILE).build(), Node.builder("same", NodeKind.FILE).build())));
    }

    @Test
    void criticalExtensionsAreRefusedAndOptionalOnesKept() throws CorruptObjectException {
        Node plain = Node.builder("f", NodeKind.FILE).mode(0644).mtime(Instant.ofEpochSecond(5, 7)).build();
        byte[] optional = Tree.of(List.of(plain.toBuilder().extension(2, new byte[] {9}).build())).encode();
        assertArrayEquals(new byte[] {9}, Tree.decode(optional, "t").nodes().get(0).extensions().get(2L));
        byte[] critical = Tree.of(List.of(plain.toBuilder().extension(3, new byte[] {9}).build())).encode();
        CorruptObjectException e = assertThrows(CorruptObjectException.class, () -> Tree.decode(critical, "t"));
        assertTrue(e.getMessage().contains("critical extension 3"));
    }

    @Test
    void sortingIsByUtf8BytesNotUtf16() {
        // UTF-8: U+FF21 is EF BC A1 and U+1F600 is F0 9F 98 80, so U+FF21 comes first; in UTF-16 the
        // surrogate D83D comes before FF21.
        Node a = Node.builder("\uFF21", NodeKind.FILE).build();
        Node b = Node.builder("\uD83D\uDE00", NodeKind.FILE).build();
        Tree t = Tree.of(List.of(b, a));
        assertEquals("\uFF21", t.nodes().get(0).name());
        assertEquals(b, t.find("\uD83D\uDE00"));
    }

    @Test
    void contentListsRoundTrip() throws CorruptObjectException {
        List<BlobId> ids = List.of(BlobId.fromBytes(new byte[32]), BlobId.fromHex("ff".repeat(32)));
        assertEquals(ids, Tree.decodeContentList(Tree.encodeContentList(ids), "l"));
        byte[] bad = Tree.encodeContentList(ids);
        assertThrows(CorruptObjectException.class,
                () -> Tree.decodeContentList(java.util.Arrays.copyOf(bad, bad.length - 1), "l"));
    }
}
