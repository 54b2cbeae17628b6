package dev.arca.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arca.format.CorruptObjectException;
import dev.arca.format.id.BlobId;
import dev.arca.format.tree.Node;
import dev.arca.format.tree.NodeKind;
import dev.arca.format.tree.Tree;
import dev.arca.fuzz.support.FdpGen;
import dev.arca.fuzz.support.Fixtures;
import dev.arca.fuzz.support.Gen;
import dev.arca.fuzz.support.Guard;
import dev.arca.fuzz.support.RandomGen;
import dev.arca.fuzz.support.Samples;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Trees and content lists (spec §10): parsers of arbitrary bytes, and encode/decode round trips. */
class TreeFuzzTest {
    private static final List<Class<? extends Exception>> TYPED = List.of(CorruptObjectException.class);

    /**
     * Any bytes: a tree or a CorruptObjectException. A tree that decodes is canonical: encoding it
     * again gives the same bytes (so equal directories have one encoding, and one blob id).
     */
    @FuzzTest
    void decode(byte[] input) {
        decodeAccepts(input);
    }

    static boolean decodeAccepts(byte[] input) {
        Guard.Outcome<Tree> o = Guard.parse(input.length, TYPED, () -> Tree.decode(input, "tree"));
        if (o.ok()) {
            Tree t = o.value();
            assertArrayEquals(input, t.encode(), "a tree that decodes must re-encode to the same bytes");
            for (Node n : t.nodes()) {
                assertSame(n, t.find(n.name()));
            }
        }
        return o.ok();
    }

    @FuzzTest
    void decodeContentList(byte[] input) {
        decodeContentListAccepts(input);
    }

    static boolean decodeContentListAccepts(byte[] input) {
        Guard.Outcome<List<BlobId>> o = Guard.parse(input.length, TYPED, () -> Tree.decodeContentList(input, "list"));
        if (o.ok()) {
            assertArrayEquals(input, Tree.encodeContentList(o.value()));
        }
        return o.ok();
    }

    @FuzzTest
    void roundTrip(FuzzedDataProvider data) {
        checkRoundTrip(new FdpGen(data));
    }

    @Test
    void roundTripOnSeededRandomTrees() {
        for (long seed = 0; seed < 1500; seed++) {
            checkRoundTrip(new RandomGen(seed));
        }
    }

    /** decode(encode(t)) equals t node for node; the encoding does not depend on the input order. */
    static void checkRoundTrip(Gen g) {
        List<Node> nodes = Samples.nodes(g, 12);
        Tree t = Tree.of(nodes);
        byte[] bytes = t.encode();
        Tree back;
        try {
            back = Tree.decode(bytes, "tree");
        } catch (CorruptObjectException e) {
            throw new AssertionError("a tree the code encoded does not decode: " + e.getMessage(), e);
        }
        assertEquals(t.nodes(), back.nodes());
        assertArrayEquals(bytes, back.encode());
        List<Node> shuffled = new ArrayList<>(nodes);
        Collections.shuffle(shuffled, new Random(nodes.size()));
        assertArrayEquals(bytes, Tree.of(shuffled).encode(), "encoding depends on the order nodes were given in");
        for (int i = 1; i < back.nodes().size(); i++) {
            byte[] a = back.nodes().get(i - 1).name().getBytes(StandardCharsets.UTF_8);
            byte[] b = back.nodes().get(i).name().getBytes(StandardCharsets.UTF_8);
            assertTrue(java.util.Arrays.compareUnsigned(a, b) < 0, "names not strictly ascending by UTF-8 bytes");
        }
        for (Node n : nodes) {
            assertEquals(n, back.find(n.name()));
        }
        assertNull(back.find("\u0000 not a name"));

        List<BlobId> ids = new ArrayList<>();
        int k = g.intIn(0, 40);
        for (int i = 0; i < k; i++) {
            ids.add(Samples.blobId(g));
        }
        try {
            assertEquals(ids, Tree.decodeContentList(Tree.encodeContentList(ids), "list"));
        } catch (CorruptObjectException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void sampleTreeRoundTripsAndIsCanonical() throws CorruptObjectException {
        Tree t = Fixtures.sampleTree();
        byte[] bytes = t.encode();
        assertEquals(t.nodes(), Tree.decode(bytes, "tree").nodes());
        assertArrayEquals(bytes, Fixtures.sampleTree().encode());
    }

    @Test
    void criticalExtensionsAndBadNamesAreRefused() {
        Node critical = Node.builder("x", NodeKind.FIFO).extension(3, new byte[] {1}).build();
        byte[] bytes = Tree.of(List.of(critical)).encode();
        assertThrows(CorruptObjectException.class, () -> Tree.decode(bytes, "tree"));

        // Swap the names of a two-node tree in place: same length, no longer ascending.
        byte[] sorted = Tree.of(List.of(Node.builder("a", NodeKind.FIFO).build(), Node.builder("b", NodeKind.FIFO).build()))
                .encode();
        byte[] swapped = sorted.clone();
        int first = indexOf(swapped, (byte) 'a');
        int second = indexOf(swapped, (byte) 'b');
        swapped[first] = 'b';
        swapped[second] = 'a';
        assertThrows(CorruptObjectException.class, () -> Tree.decode(swapped, "tree"));
        // Same name twice.
        byte[] duplicate = sorted.clone();
        duplicate[second] = 'a';
        assertThrows(CorruptObjectException.class, () -> Tree.decode(duplicate, "tree"));
        // "/" and "." are not names.
        for (byte c : new byte[] {'/', '.', 0}) {
            byte[] bad = sorted.clone();
            bad[first] = c;
            assertThrows(CorruptObjectException.class, () -> Tree.decode(bad, "tree"));
        }
    }

    /**
     * Found while writing these tests: Node accepted strings with unpaired surrogates, which
     * Tree.encode wrote lossily as '?', so decode(encode(t)) != t and distinct names could collide
     * (fixed in 04c9c95: Node refuses them).
     */
    @Test
    void stringsThatAreNotUnicodeAreRefusedOrRoundTrip() throws CorruptObjectException {
        String[][] cases = {{"a\ud800b", null}, {"c", "\udfff"}, {"\ud83d", null}, {"d", "x\ude00\ud83d"}};
        for (String[] c : cases) {
            Tree t;
            try {
                Node.Builder b = Node.builder(c[0], c[1] == null ? NodeKind.FIFO : NodeKind.SYMLINK);
                if (c[1] != null) {
                    b.linkTarget(c[1]);
                }
                t = Tree.of(List.of(b.build()));
            } catch (IllegalArgumentException refused) {
                continue; // refusing is correct
            }
            assertEquals(t.nodes(), Tree.decode(t.encode(), "tree").nodes(), "lossy round trip of " + c[0]);
        }
    }

    private static int indexOf(byte[] b, byte v) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        throw new AssertionError("byte " + v + " not found");
    }
}
