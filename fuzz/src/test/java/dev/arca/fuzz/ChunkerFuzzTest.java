package dev.arca.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arca.chunker.ChunkerParams;
import dev.arca.chunker.FastCdc;
import dev.arca.chunker.GearTable;
import dev.arca.chunker.StreamChunker;
import dev.arca.fuzz.support.FdpGen;
import dev.arca.fuzz.support.Fixtures;
import dev.arca.fuzz.support.Gen;
import dev.arca.fuzz.support.RandomGen;
import dev.arca.fuzz.support.Samples;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The chunker (spec §12): FastCdc, StreamChunker, GearTable and ChunkerParams. */
class ChunkerFuzzTest {
    private static final ChunkerParams SMALL = new ChunkerParams(1024, 4096, 16384);

    /**
     * For any data and valid parameters: the chunks concatenate to the input; every chunk but the
     * last is within [min, max] and the last is at most max; the cuts are those of the spec's
     * pseudo-code; and StreamChunker gives the same chunks whatever the read sizes of its stream.
     */
    @FuzzTest
    void chunk(FuzzedDataProvider data) {
        Gen g = new FdpGen(data);
        ChunkerParams p = Samples.chunkerParams(g, 12);
        byte[] secret = g.bytes(g.intIn(16, 40));
        int readMode = g.intIn(0, 3);
        byte[] input = data.consumeRemainingAsBytes();
        checkChunking(secret, p, input, readMode, g);
    }

    @Test
    void chunkOnSeededRandomInputs() {
        for (long seed = 0; seed < 300; seed++) {
            Gen g = new RandomGen(seed);
            ChunkerParams p = Samples.chunkerParams(g, g.intIn(7, 14));
            byte[] input = g.bytes(g.intIn(0, 200_000));
            if (g.intIn(0, 4) == 0) {
                Arrays.fill(input, (byte) g.intIn(0, 255)); // no content-defined cut: max-size chunks
            }
            checkChunking(g.bytes(32), p, input, g.intIn(0, 3), g);
        }
    }

    static void checkChunking(byte[] secret, ChunkerParams p, byte[] input, int readMode, Gen g) {
        GearTable table = GearTable.derive(secret);
        FastCdc cdc = new FastCdc(table, p);
        List<Integer> cuts = cutAll(cdc, input);
        // Coverage and bounds.
        int total = 0;
        for (int i = 0; i < cuts.size(); i++) {
            int len = cuts.get(i);
            assertTrue(len > 0, "empty chunk");
            assertTrue(len <= p.max(), "chunk longer than max: " + len);
            if (i < cuts.size() - 1) {
                assertTrue(len >= p.min(), "chunk " + i + " of " + cuts.size() + " shorter than min: " + len);
            }
            total += len;
        }
        assertEquals(input.length, total, "chunks do not add up to the input");
        // The spec's pseudo-code, written independently here, cuts the same.
        assertEquals(cutAll(new ReferenceCdc(secret, p), input), cuts, "cuts differ from spec §12");
        // A stream gives the same chunks, with the right offsets and bytes.
        StreamChunker sc = new StreamChunker(cdc, stream(input, readMode, g));
        List<Integer> streamed = new ArrayList<>();
        long offset = 0;
        try {
            StreamChunker.Chunk c;
            while ((c = sc.next()) != null) {
                assertEquals(offset, c.offset());
                assertArrayEquals(Arrays.copyOfRange(input, (int) offset, (int) offset + c.length()), c.data());
                streamed.add(c.length());
                offset += c.length();
                assertEquals(offset, sc.position());
            }
            assertNull(sc.next(), "a finished stream yields more chunks");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals(cuts, streamed, "StreamChunker cuts differ from FastCdc over the whole array");
    }

    /** Chunk lengths of FastCdc over a whole array. */
    static List<Integer> cutAll(FastCdc cdc, byte[] data) {
        List<Integer> out = new ArrayList<>();
        int off = 0;
        while (off < data.length) {
            int n = cdc.cut(data, off, data.length - off);
            out.add(n);
            off += n;
        }
        return out;
    }

    static List<Integer> cutAll(ReferenceCdc cdc, byte[] data) {
        List<Integer> out = new ArrayList<>();
        int off = 0;
        while (off < data.length) {
            int n = cdc.cut(data, off, data.length - off);
            out.add(n);
            off += n;
        }
        return out;
    }

    /** 0: whole reads; 1: one byte per read (Okio-style segments); 2: random read sizes; 3: a reused chunker. */
    static InputStream stream(byte[] input, int mode, Gen g) {
        return switch (mode) {
            case 0 -> new ByteArrayInputStream(input);
            case 1 -> new Trickle(input, () -> 1);
            case 2 -> {
                long seed = g.longIn(0, Long.MAX_VALUE);
                RandomGen sizes = new RandomGen(seed);
                yield new Trickle(input, () -> sizes.intIn(1, 70_000));
            }
            default -> new Trickle(input, () -> 4093);
        };
    }

    /** A stream that returns at most {@code next.getAsInt()} bytes per read, and never zero. */
    static final class Trickle extends InputStream {
        private final byte[] data;
        private final java.util.function.IntSupplier next;
        private int pos;

        Trickle(byte[] data, java.util.function.IntSupplier next) {
            this.data = data;
            this.next = next;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, next.getAsInt()), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    @Test
    void oneByteReadsAndReuseGiveTheSameChunksWithLargeParameters() throws IOException {
        ChunkerParams p = new ChunkerParams(16 << 10, 64 << 10, 256 << 10);
        FastCdc cdc = new FastCdc(GearTable.derive(Fixtures.CHUNKER_SECRET), p);
        StreamChunker reused = new StreamChunker(cdc);
        for (long seed = 1; seed <= 3; seed++) {
            byte[] input = Fixtures.randomBytes(seed, 1_500_000);
            List<Integer> expected = cutAll(cdc, input);
            assertTrue(expected.size() > 10);
            reused.reset(new Trickle(input, () -> 1));
            List<Integer> got = new ArrayList<>();
            StreamChunker.Chunk c;
            while ((c = reused.next()) != null) {
                got.add(c.length());
            }
            assertEquals(expected, got);
        }
    }

    // ------------------------------------------------------------------ resynchronisation

    /**
     * An insertion or deletion early in random data moves only the boundaries near it: of the chunks
     * after the edited data's third boundary, at least 90% are chunks of the original data.
     */
    @Test
    void boundariesResynchroniseAfterAnEarlyEdit() {
        FastCdc cdc = new FastCdc(GearTable.derive(Fixtures.CHUNKER_SECRET), SMALL);
        for (long seed = 1; seed <= 4; seed++) {
            byte[] original = Fixtures.randomBytes(seed, 1 << 20);
            Set<ByteBuffer> originalChunks = chunkSet(cdc, original);
            for (int edit : new int[] {1, 7, 64, 1000, -1, -7, -64, -1000}) {
                byte[] edited = edit > 0 ? insert(original, 100, Fixtures.randomBytes(seed * 31 + edit, edit))
                        : delete(original, 100, -edit);
                List<byte[]> chunks = chunks(cdc, edited);
                assertTrue(chunks.size() > 100, "too few chunks to measure: " + chunks.size());
                int same = 0;
                int counted = 0;
                for (int i = 3; i < chunks.size(); i++) {
                    counted++;
                    if (originalChunks.contains(ByteBuffer.wrap(chunks.get(i)))) {
                        same++;
                    }
                }
                assertTrue(same >= 0.9 * counted, "seed " + seed + ", edit " + edit + ": only " + same + " of " + counted
                        + " later chunks unchanged");
            }
        }
    }

    private static byte[] insert(byte[] data, int at, byte[] extra) {
        byte[] out = new byte[data.length + extra.length];
        System.arraycopy(data, 0, out, 0, at);
        System.arraycopy(extra, 0, out, at, extra.length);
        System.arraycopy(data, at, out, at + extra.length, data.length - at);
        return out;
    }

    private static byte[] delete(byte[] data, int at, int n) {
        byte[] out = new byte[data.length - n];
        System.arraycopy(data, 0, out, 0, at);
        System.arraycopy(data, at + n, out, at, data.length - at - n);
        return out;
    }

    private static List<byte[]> chunks(FastCdc cdc, byte[] data) {
        List<byte[]> out = new ArrayList<>();
        int off = 0;
        for (int n : cutAll(cdc, data)) {
            out.add(Arrays.copyOfRange(data, off, off + n));
            off += n;
        }
        return out;
    }

    private static Set<ByteBuffer> chunkSet(FastCdc cdc, byte[] data) {
        Set<ByteBuffer> out = new HashSet<>();
        for (byte[] c : chunks(cdc, data)) {
            out.add(ByteBuffer.wrap(c));
        }
        return out;
    }

    // ------------------------------------------------------------------ secrets

    @Test
    void cutsAreDeterministicForASecretAndDifferAcrossSecrets() {
        byte[] data = Fixtures.randomBytes(99, 256 << 10);
        List<Integer> a = cutAll(new FastCdc(GearTable.derive(Fixtures.CHUNKER_SECRET), SMALL), data);
        List<Integer> b = cutAll(new FastCdc(GearTable.derive(Fixtures.CHUNKER_SECRET.clone()), SMALL), data);
        assertEquals(a, b, "the same secret cut the same data differently");
        assertArrayEquals(GearTable.derive(Fixtures.CHUNKER_SECRET).values(),
                GearTable.derive(Fixtures.CHUNKER_SECRET.clone()).values());
        assertTrue(a.size() > 20);
        for (int i = 0; i < 8; i++) {
            byte[] other = Fixtures.CHUNKER_SECRET.clone();
            other[i * 4] ^= 1;
            List<Integer> c = cutAll(new FastCdc(GearTable.derive(other), SMALL), data);
            assertNotEquals(boundaries(a), boundaries(c), "two secrets cut the same data at the same places");
            // Not just a shifted copy: most boundaries differ.
            Set<Long> common = new HashSet<>(boundaries(a));
            common.retainAll(boundaries(c));
            assertTrue(common.size() < a.size() / 2, "secrets share " + common.size() + " of " + a.size() + " boundaries");
        }
    }

    private static List<Long> boundaries(List<Integer> cuts) {
        List<Long> out = new ArrayList<>();
        long at = 0;
        for (int n : cuts) {
            at += n;
            out.add(at);
        }
        return out;
    }

    @Test
    void gearTableIsTheSpecsHmacDerivation() throws GeneralSecurityException {
        for (long seed = 0; seed < 5; seed++) {
            byte[] secret = Fixtures.randomBytes(seed, 16 + (int) seed * 8);
            long[] expected = referenceGear(secret);
            assertArrayEquals(expected, GearTable.derive(secret).values());
        }
        assertThrows(IllegalArgumentException.class, () -> GearTable.derive(new byte[15]));
        long[] values = GearTable.derive(Fixtures.CHUNKER_SECRET).values();
        values[0] ^= 1;
        assertNotEquals(values[0], GearTable.derive(Fixtures.CHUNKER_SECRET).values()[0], "values() exposes the table");
    }

    @Test
    void chunkerParamsFollowTheSpecConstraints() {
        assertThrows(IllegalArgumentException.class, () -> new ChunkerParams(63, 128, 256));
        assertThrows(IllegalArgumentException.class, () -> new ChunkerParams(128, 128, 256));
        assertThrows(IllegalArgumentException.class, () -> new ChunkerParams(64, 96, 256));
        assertThrows(IllegalArgumentException.class, () -> new ChunkerParams(64, 256, 256));
        assertThrows(IllegalArgumentException.class, () -> new ChunkerParams(64, 1 << 20, (64 << 20) + 1));
        assertEquals(20, ChunkerParams.DEFAULT.averageBits());
        new ChunkerParams(64, 128, 129);
        new ChunkerParams(ChunkerParams.LOWEST_MIN, 1 << 25, ChunkerParams.HIGHEST_MAX);
    }

    static long[] referenceGear(byte[] secret) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        long[] gear = new long[256];
        for (int i = 0; i < 256; i++) {
            mac.update("arca/v1/gear".getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) i);
            gear[i] = ByteBuffer.wrap(mac.doFinal()).getLong();
        }
        return gear;
    }

    /** The cut function of spec §12, transcribed from its pseudo-code. */
    static final class ReferenceCdc {
        private final long[] gear;
        private final ChunkerParams p;
        private final long maskS;
        private final long maskL;

        ReferenceCdc(byte[] secret, ChunkerParams p) {
            try {
                this.gear = referenceGear(secret);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
            this.p = p;
            int bits = Integer.numberOfTrailingZeros(p.avg());
            this.maskS = topBits(bits + 2);
            this.maskL = topBits(bits - 2);
        }

        private static long topBits(int n) {
            long m = 0;
            for (int i = 0; i < n; i++) {
                m |= 1L << (63 - i);
            }
            return m;
        }

        /** The length of the chunk at {@code data[off]}, with {@code n} bytes left from there. */
        int cut(byte[] data, int off, int n) {
            if (n <= p.min()) {
                return n;
            }
            int limit = Math.min(n, p.max());
            int normal = Math.min(p.avg(), limit);
            long h = 0;
            int i = p.min();
            while (i < normal) {
                h = (h << 1) + gear[data[off + i] & 0xFF];
                if ((h & maskS) == 0) {
                    return i + 1;
                }
                i += 1;
            }
            while (i < limit) {
                h = (h << 1) + gear[data[off + i] & 0xFF];
                if ((h & maskL) == 0) {
                    return i + 1;
                }
                i += 1;
            }
            return limit;
        }
    }
}
