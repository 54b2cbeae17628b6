package dev.arca.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arca.format.CorruptObjectException;
import dev.arca.format.io.ByteReader;
import dev.arca.format.io.ByteWriter;
import dev.arca.fuzz.support.FdpGen;
import dev.arca.fuzz.support.Gen;
import dev.arca.fuzz.support.Guard;
import dev.arca.fuzz.support.RandomGen;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ByteReader}, the reader under every binary parser: any sequence of reads over any bytes
 * either succeeds or fails with {@link CorruptObjectException}; whatever it reads successfully is
 * the canonical encoding of what it returns (spec §3), so {@link ByteWriter} gives back the very
 * bytes consumed.
 */
class ByteReaderFuzzTest {
    private static final List<Class<? extends Exception>> TYPED = List.of(CorruptObjectException.class);

    @FuzzTest
    void byteReader(FuzzedDataProvider data) {
        Gen g = new FdpGen(data);
        int ops = g.intIn(0, 40);
        int[] script = new int[ops];
        int[] args = new int[ops];
        for (int i = 0; i < ops; i++) {
            script[i] = g.intIn(0, 14);
            args[i] = g.intIn(-3, 80);
        }
        int skipFront = g.intIn(0, 4);
        int skipBack = g.intIn(0, 4);
        byte[] buf = data.consumeRemainingAsBytes();
        runScript(buf, skipFront, skipBack, script, args);
    }

    @Test
    void byteReaderOnSeededRandomScripts() {
        for (long seed = 0; seed < 5000; seed++) {
            Gen g = new RandomGen(seed);
            int ops = g.intIn(0, 30);
            int[] script = new int[ops];
            int[] args = new int[ops];
            for (int i = 0; i < ops; i++) {
                script[i] = g.intIn(0, 14);
                args[i] = g.intIn(-3, 80);
            }
            // Bytes biased towards varint shapes: continuation bits, zero groups, 0xFF runs.
            byte[] buf = g.bytes(g.intIn(0, 120));
            for (int i = 0; i < buf.length; i++) {
                switch (g.intIn(0, 3)) {
                    case 0 -> buf[i] = (byte) 0x80;
                    case 1 -> buf[i] = (byte) 0xFF;
                    case 2 -> buf[i] = (byte) g.intIn(0, 3);
                    default -> { }
                }
            }
            runScript(buf, g.intIn(0, 4), g.intIn(0, 4), script, args);
        }
    }

    static void runScript(byte[] buf, int skipFront, int skipBack, int[] script, int[] args) {
        int off = Math.min(skipFront, buf.length);
        int len = Math.max(0, buf.length - off - skipBack);
        ByteReader r = new ByteReader(buf, off, len, "fuzz input");
        Guard.parse(buf.length, TYPED, () -> {
            for (int i = 0; i < script.length; i++) {
                step(r, buf, off + len, script[i], args[i]);
            }
            return null;
        });
    }

    private static void step(ByteReader r, byte[] buf, int end, int op, int arg) throws CorruptObjectException {
        int before = r.position();
        assertEquals(end - before, r.remaining());
        assertEquals(before == end, r.atEnd());
        byte[] canonical;
        switch (op) {
            case 0 -> canonical = new ByteWriter().u8(r.u8()).toByteArray();
            case 1 -> canonical = new ByteWriter().u16(r.u16()).toByteArray();
            case 2 -> canonical = new ByteWriter().u32(r.u32()).toByteArray();
            case 3 -> {
                int v = r.u32AsInt("count");
                assertTrue(v >= 0);
                canonical = new ByteWriter().u32(v).toByteArray();
            }
            case 4 -> canonical = new ByteWriter().u64(r.u64()).toByteArray();
            case 5 -> {
                long v = r.uvarint();
                assertTrue(v >= 0, "uvarint is below 2^63");
                canonical = new ByteWriter().uvarint(v).toByteArray();
            }
            case 6 -> {
                int v = r.uvarintAsInt("length");
                assertTrue(v >= 0);
                canonical = new ByteWriter().uvarint(v).toByteArray();
            }
            case 7 -> canonical = new ByteWriter().svarint(r.svarint()).toByteArray();
            case 8 -> {
                byte[] raw = r.raw(arg);
                assertEquals(arg, raw.length);
                canonical = raw;
            }
            case 9 -> {
                r.skip(arg);
                canonical = Arrays.copyOfRange(buf, before, before + arg);
            }
            case 10 -> {
                int at = r.idOffset();
                assertEquals(before, at);
                canonical = Arrays.copyOfRange(buf, at, at + 32);
            }
            case 11 -> canonical = new ByteWriter().bytes(r.bytes("value")).toByteArray();
            case 12 -> canonical = new ByteWriter().string(r.string("text")).toByteArray();
            case 13 -> {
                r.expectEnd("everything");
                canonical = new byte[0];
                assertEquals(end, before);
            }
            default -> {
                assertEquals(before, r.position());
                return;
            }
        }
        int after = r.position();
        assertArrayEquals(canonical, Arrays.copyOfRange(buf, before, after),
                "operation " + op + " consumed bytes that are not the canonical encoding of what it returned");
        assertTrue(after <= end, "read past the end of its range");
    }

    @Test
    void uvarintLimitsFollowTheSpec() throws CorruptObjectException {
        // 2^63 - 1 takes nine bytes and is the largest value.
        byte[] max = new ByteWriter().uvarint(Long.MAX_VALUE).toByteArray();
        assertEquals(9, max.length);
        assertEquals(Long.MAX_VALUE, new ByteReader(max, "max").uvarint());
        // A tenth byte, or a ninth with its continuation bit, is refused.
        byte[] ten = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
            (byte) 0x80, (byte) 0x80, 0x01};
        assertThrows(CorruptObjectException.class, () -> new ByteReader(ten, "ten").uvarint());
        byte[] nine = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
            (byte) 0xFF, (byte) 0x80};
        assertThrows(CorruptObjectException.class, () -> new ByteReader(nine, "nine").uvarint());
        // A redundant trailing zero group is refused, including the two-byte form of zero.
        assertThrows(CorruptObjectException.class, () -> new ByteReader(new byte[] {(byte) 0x80, 0x00}, "zero").uvarint());
        assertThrows(CorruptObjectException.class, () -> new ByteReader(new byte[] {(byte) 0x81, 0x00}, "one").uvarint());
        // Truncated in the middle.
        assertThrows(CorruptObjectException.class, () -> new ByteReader(new byte[] {(byte) 0x81}, "cut").uvarint());
        // svarint covers negative values and round-trips the extremes the writer accepts.
        for (long v : new long[] {0, -1, 1, Long.MIN_VALUE / 2, Long.MAX_VALUE / 2, -(1L << 62), (1L << 62) - 1}) {
            assertEquals(v, new ByteReader(new ByteWriter().svarint(v).toByteArray(), "s").svarint());
        }
    }

    @Test
    void stringsMustBeValidUtf8() {
        byte[][] bad = {
            {1, (byte) 0xC0}, // truncated two-byte sequence
            {2, (byte) 0xC0, (byte) 0x80}, // overlong NUL
            {3, (byte) 0xED, (byte) 0xA0, (byte) 0x80}, // a UTF-16 surrogate encoded as UTF-8
            {1, (byte) 0xFF},
        };
        for (byte[] b : bad) {
            assertThrows(CorruptObjectException.class, () -> new ByteReader(b, "bad").string("s"));
        }
    }
}
