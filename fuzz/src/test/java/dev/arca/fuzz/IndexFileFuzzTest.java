package dev.arca.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arca.format.CorruptObjectException;
import dev.arca.format.crypto.SealedFile;
import dev.arca.format.crypto.SegmentedAead;
import dev.arca.format.index.IndexFile;
import dev.arca.format.pack.PackEntry;
import dev.arca.format.pack.PackFormat;
import dev.arca.fuzz.support.FdpGen;
import dev.arca.fuzz.support.Fixtures;
import dev.arca.fuzz.support.Gen;
import dev.arca.fuzz.support.Guard;
import dev.arca.fuzz.support.RandomGen;
import dev.arca.fuzz.support.Samples;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Index files (spec §9): the content parser on arbitrary bytes, and encode/decode round trips. */
class IndexFileFuzzTest {
    private static final List<Class<? extends Exception>> TYPED = List.of(CorruptObjectException.class);

    /**
     * Any bytes: an index or a CorruptObjectException. What decodes satisfies the spec's constraints
     * and re-encodes to the same bytes.
     */
    @FuzzTest
    void decode(byte[] input) {
        decodeAccepts(input);
    }

    static boolean decodeAccepts(byte[] input) {
        Guard.Outcome<IndexFile> o = Guard.parse(input.length, TYPED, () -> IndexFile.decode(input, "index"));
        if (o.ok()) {
            IndexFile f = o.value();
            assertArrayEquals(input, f.encode(), "an index that decodes must re-encode to the same bytes");
            for (IndexFile.Pack p : f.packs()) {
                assertEquals(PackFormat.SALT_LENGTH, p.salt().length);
                assertTrue(p.length() >= PackFormat.LEAD_LENGTH + PackFormat.TRAILER_LENGTH
                        && p.length() <= PackFormat.MAX_PACK_LENGTH);
                for (PackEntry e : p.entries()) {
                    assertTrue(e.offset() >= PackFormat.LEAD_LENGTH && e.end() <= p.length(), "entry outside its pack");
                    assertTrue(SegmentedAead.plainLength(e.storedLength()) >= 0);
                    assertTrue(e.rawLength() >= 0);
                }
            }
        }
        return o.ok();
    }

    @FuzzTest
    void roundTrip(FuzzedDataProvider data) {
        checkRoundTrip(new FdpGen(data));
    }

    @Test
    void roundTripOnSeededRandomIndexes() {
        for (long seed = 0; seed < 1000; seed++) {
            checkRoundTrip(new RandomGen(seed));
        }
    }

    static void checkRoundTrip(Gen g) {
        IndexFile f = Samples.indexFile(g);
        byte[] bytes = f.encode();
        IndexFile back;
        try {
            back = IndexFile.decode(bytes, "index");
        } catch (CorruptObjectException e) {
            throw new AssertionError("an index the code encoded does not decode: " + e.getMessage(), e);
        }
        assertEqualIndexes(f, back);
        assertArrayEquals(bytes, back.encode());
    }

    /** IndexFile.Pack holds the salt as an array, so records compare it by identity; compare by value. */
    static void assertEqualIndexes(IndexFile expected, IndexFile actual) {
        assertEquals(expected.supersedes(), actual.supersedes());
        assertEquals(expected.packs().size(), actual.packs().size());
        for (int i = 0; i < expected.packs().size(); i++) {
            IndexFile.Pack a = expected.packs().get(i);
            IndexFile.Pack b = actual.packs().get(i);
            assertEquals(a.id(), b.id());
            assertArrayEquals(a.salt(), b.salt());
            assertEquals(a.length(), b.length());
            assertEquals(a.entries(), b.entries());
        }
        assertEquals(expected.blobCount(), actual.blobCount());
    }

    @Test
    void sealedIndexOfARealPackRoundTrips() throws Exception {
        IndexFile f = Fixtures.sampleIndex(Fixtures.samplePack());
        byte[] file = Fixtures.seal(IndexFile.MAGIC, f.encode());
        SealedFile.Opened o = SealedFile.open(Fixtures.ENC_KEY, file, IndexFile.MAGIC, IndexFile.VERSION_START,
                IndexFile.VERSION_CURRENT, "index file", "index/x");
        assertEqualIndexes(f, IndexFile.decode(o.content(), "index/x"));
    }
}
