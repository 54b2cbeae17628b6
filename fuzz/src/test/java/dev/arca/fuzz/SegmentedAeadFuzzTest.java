package dev.arca.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arca.format.crypto.SegmentedAead;
import dev.arca.fuzz.support.FdpGen;
import dev.arca.fuzz.support.Gen;
import dev.arca.fuzz.support.RandomGen;
import dev.arca.fuzz.support.Reseal;
import dev.arca.fuzz.support.Tamper;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The segmented AEAD (spec §4.3): round trips, sizes, and detection of every kind of damage. */
class SegmentedAeadFuzzTest {
    private static final int SEG = SegmentedAead.SEGMENT;
    private static final int TAG = SegmentedAead.TAG;
    private static final SecretKey KEY = new SecretKeySpec(dev.arca.fuzz.support.Fixtures.pattern(0x33), "AES");
    private static final byte[] AAD = "ARCP\u0001 aad".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int[] BOUNDARY_LENGTHS = {
        0, 1, 15, 16, 17, SEG - 1, SEG, SEG + 1, SEG + TAG, 2 * SEG - 1, 2 * SEG, 2 * SEG + 1, 3 * SEG, 3 * SEG + 7,
    };

    /** How a message is sealed: pack blobs count by pack offset (PACK_STRIDE), files by one. */
    record Layout(int purpose, long counter0, long stride) {
        static Layout file() {
            return new Layout(SegmentedAead.PURPOSE_FILE, 0, 1);
        }

        static Layout packBlob(long offset) {
            return new Layout(SegmentedAead.PURPOSE_PACK_BLOB, offset, SegmentedAead.PACK_STRIDE);
        }

        byte[] seal(byte[] m) {
            Reseal.allow();
            return SegmentedAead.seal(KEY, purpose, counter0, stride, AAD, m, 0, m.length);
        }

        byte[] open(byte[] s) throws AEADBadTagException {
            return SegmentedAead.open(KEY, purpose, counter0, stride, AAD, s, 0, s.length);
        }
    }

    @Test
    void roundTripsAtSegmentBoundaries() throws AEADBadTagException {
        for (int n : BOUNDARY_LENGTHS) {
            for (Layout layout : new Layout[] {Layout.file(), Layout.packBlob(40), Layout.packBlob(0xFFFF_0000L)}) {
                byte[] m = dev.arca.fuzz.support.Fixtures.randomBytes(n, n);
                byte[] s = layout.seal(m);
                assertEquals(SegmentedAead.sealedLength(n), s.length, "sealed size of " + n);
                assertEquals(n + TAG * Math.max(1, (n + SEG - 1) / SEG), s.length, "spec §4.3 size formula, n=" + n);
                assertEquals(n, SegmentedAead.plainLength(s.length));
                assertArrayEquals(m, layout.open(s));
                // The seal into a larger array at an offset gives the same bytes.
                byte[] out = new byte[s.length + 9];
                Reseal.allow();
                int written = SegmentedAead.seal(KEY, layout.purpose(), layout.counter0(), layout.stride(), AAD, m, 0, n, out, 5);
                assertEquals(s.length, written);
                assertArrayEquals(s, Arrays.copyOfRange(out, 5, 5 + s.length));
                assertArrayEquals(m, SegmentedAead.open(KEY, layout.purpose(), layout.counter0(), layout.stride(), AAD,
                        out, 5, s.length));
            }
        }
    }

    @Test
    void everyBitFlipOfASmallMessageFails() {
        byte[] m = "a short message".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] s = Layout.file().seal(m);
        for (int bit = 0; bit < 8 * s.length; bit++) {
            byte[] t = s.clone();
            t[bit / 8] ^= (byte) (1 << (bit % 8));
            assertFails(Layout.file(), t, "bit " + bit);
        }
    }

    @Test
    void flipsTruncationsAndSwapsOfAMultiSegmentMessageFail() {
        for (Layout layout : new Layout[] {Layout.file(), Layout.packBlob(1234)}) {
            byte[] m = dev.arca.fuzz.support.Fixtures.randomBytes(3, 3 * SEG + 100);
            byte[] s = layout.seal(m);
            int segs = 4;
            // The first and last byte of every segment's ciphertext and tag.
            for (int i = 0; i < segs; i++) {
                int start = i * (SEG + TAG);
                int end = Math.min(s.length, start + SEG + TAG);
                for (int at : new int[] {start, end - TAG - 1, end - TAG, end - 1}) {
                    if (at >= start) {
                        byte[] t = s.clone();
                        t[at] ^= 0x01;
                        assertFails(layout, t, "flip at " + at);
                    }
                }
            }
            // Truncation at every segment boundary, and one byte off each.
            for (int i = 1; i < segs; i++) {
                for (int cut : new int[] {i * (SEG + TAG) - 1, i * (SEG + TAG), i * (SEG + TAG) + 1, i * (SEG + TAG) + TAG}) {
                    assertFails(layout, Arrays.copyOf(s, cut), "truncated to " + cut);
                }
            }
            assertFails(layout, new byte[0], "empty");
            // Two full segments swapped.
            byte[] swapped = s.clone();
            System.arraycopy(s, 0, swapped, SEG + TAG, SEG + TAG);
            System.arraycopy(s, SEG + TAG, swapped, 0, SEG + TAG);
            assertFails(layout, swapped, "segments 0 and 1 swapped");
            // A segment dropped from the middle.
            byte[] dropped = new byte[s.length - (SEG + TAG)];
            System.arraycopy(s, 0, dropped, 0, SEG + TAG);
            System.arraycopy(s, 2 * (SEG + TAG), dropped, SEG + TAG, s.length - 2 * (SEG + TAG));
            assertFails(layout, dropped, "segment 1 dropped");
            // Segments of another message under the same key and counters: extension and splicing.
            byte[] other = layout.seal(dev.arca.fuzz.support.Fixtures.randomBytes(4, SEG));
            byte[] extended = Arrays.copyOf(other, other.length + s.length - (SEG + TAG));
            System.arraycopy(s, SEG + TAG, extended, other.length, s.length - (SEG + TAG));
            assertFails(layout, extended, "a final segment followed by more");
        }
    }

    @Test
    void wrongKeyPurposeCounterStrideOrAadFails() throws AEADBadTagException {
        byte[] m = dev.arca.fuzz.support.Fixtures.randomBytes(5, 2 * SEG + 3);
        Layout l = Layout.packBlob(40);
        byte[] s = l.seal(m);
        assertArrayEquals(m, l.open(s));
        assertThrows(AEADBadTagException.class, () -> SegmentedAead.open(new SecretKeySpec(new byte[32], "AES"),
                l.purpose(), l.counter0(), l.stride(), AAD, s, 0, s.length));
        assertThrows(AEADBadTagException.class, () -> SegmentedAead.open(KEY, SegmentedAead.PURPOSE_PACK_HEADER,
                l.counter0(), l.stride(), AAD, s, 0, s.length));
        assertThrows(AEADBadTagException.class, () -> SegmentedAead.open(KEY, l.purpose(), l.counter0() + 1, l.stride(),
                AAD, s, 0, s.length));
        // The stride matters only from the second segment on; this message has three.
        assertThrows(AEADBadTagException.class, () -> SegmentedAead.open(KEY, l.purpose(), l.counter0(), 1, AAD, s, 0,
                s.length));
        assertThrows(AEADBadTagException.class, () -> SegmentedAead.open(KEY, l.purpose(), l.counter0(), l.stride(),
                new byte[0], s, 0, s.length));
    }

    /** For every n, plainLength(sealedLength(n)) == n, and impossible sizes are -1. */
    @Test
    void plainLengthInvertsSealedLength() {
        for (long n = 0; n < 4 * SEG + 100; n += (n < 300 || n % SEG < 40 || n % SEG > SEG - 40) ? 1 : 997) {
            assertEquals(n, SegmentedAead.plainLength(SegmentedAead.sealedLength(n)), "n=" + n);
        }
        for (long n : new long[] {1L << 31, (1L << 32) - 1, 1L << 40}) {
            assertEquals(n, SegmentedAead.plainLength(SegmentedAead.sealedLength(n)), "n=" + n);
        }
        for (long s = -1; s < TAG; s++) {
            assertEquals(-1, SegmentedAead.plainLength(s), "sealed size " + s);
        }
        for (long k = 1; k < 5; k++) {
            for (long r = 1; r < TAG; r++) {
                assertEquals(-1, SegmentedAead.plainLength(k * (SEG + TAG) + r), "sealed size " + (k * (SEG + TAG) + r));
            }
        }
    }

    /**
     * The other direction: a sealed size that plainLength accepts must be one that some message seals
     * to. Found by these tests: {@code k × (SEGMENT + TAG) + TAG}, k ≥ 1, was mapped to
     * {@code k × SEGMENT} (fixed in 04c9c95).
     */
    @Test
    void plainLengthAcceptsOnlySizesSomeMessageSealsTo() {
        for (long s = 0; s < 5L * (SEG + TAG); s++) {
            long p = SegmentedAead.plainLength(s);
            if (p >= 0) {
                assertEquals(s, SegmentedAead.sealedLength(p), "plainLength(" + s + ") = " + p);
            }
        }
        for (long k = 1; k < 4; k++) {
            assertEquals(-1, SegmentedAead.plainLength(k * (SEG + TAG) + TAG));
        }
    }

    /** Random lengths, layouts and damage: the message round-trips, damage is always detected. */
    @FuzzTest
    void sealOpenTamper(FuzzedDataProvider data) {
        checkSealOpenTamper(new FdpGen(data));
    }

    @Test
    void sealOpenTamperOnSeededRandomInputs() {
        for (long seed = 0; seed < 500; seed++) {
            checkSealOpenTamper(new RandomGen(seed));
        }
    }

    static void checkSealOpenTamper(Gen g) {
        int n = g.bool() ? BOUNDARY_LENGTHS[g.intIn(0, BOUNDARY_LENGTHS.length - 1)] : g.intIn(0, 3 * SEG);
        Layout layout = g.bool() ? Layout.file() : Layout.packBlob(g.longIn(40, 0xFFFF_FFFFL));
        byte[] m = g.bytes(n);
        byte[] s = layout.seal(m);
        assertEquals(SegmentedAead.sealedLength(n), s.length);
        try {
            assertArrayEquals(m, layout.open(s));
        } catch (AEADBadTagException e) {
            throw new AssertionError("a sealed message does not open", e);
        }
        byte[] t = Tamper.apply(s, g);
        if (!Arrays.equals(s, t)) {
            assertFails(layout, t, "damaged message");
        }
    }

    private static void assertFails(Layout layout, byte[] t, String what) {
        try {
            byte[] out = layout.open(t);
            fail(what + ": opened to " + out.length + " bytes");
        } catch (AEADBadTagException expected) {
            // detected
        }
    }
}
