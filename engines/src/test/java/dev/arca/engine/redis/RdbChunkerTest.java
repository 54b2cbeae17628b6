package dev.arca.engine.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arca.chunker.ChunkerParams;
import dev.arca.chunker.FastCdc;
import dev.arca.chunker.GearTable;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RdbChunkerTest {
    /** A version 9 RDB of string keys with the given value sizes (random bytes), with its CRC64. */
    static byte[] rdb(int[] sizes, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write("REDIS0009".getBytes(StandardCharsets.US_ASCII));
        o.write(new byte[] {(byte) 0xFE, 0});
        for (int i = 0; i < sizes.length; i++) {
            o.write(0);
            byte[] k = ("key:" + i).getBytes(StandardCharsets.US_ASCII);
            o.write(k.length);
            o.write(k);
            o.write(0x80);
            int n = sizes[i];
            o.write(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
            byte[] v = new byte[n];
            r.nextBytes(v);
            o.write(v);
        }
        o.write(0xFF);
        long crc = Crc64.of(o.toByteArray());
        for (int i = 0; i < 8; i++) {
            o.write((int) (crc >>> (8 * i)));
        }
        return o.toByteArray();
    }

    static FastCdc cdc() {
        return new FastCdc(GearTable.derive(new byte[32]), ChunkerParams.DEFAULT);
    }

    @Test
    void chunksStartAtKeysAndAHugeValueIsCutInside() throws IOException {
        int[] sizes = new int[2000];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = 20 + r.nextInt(600);
        }
        sizes[1000] = 30 << 20;   // one 30 MiB value: passes through in bounded pieces
        byte[] data = rdb(sizes, 2);
        List<RdbKey> keys = new ArrayList<>();
        RdbChunker ch = new RdbChunker(cdc(), new ByteArrayInputStream(data), "t.rdb", keys::add);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        List<Long> cuts = new ArrayList<>();
        int max = 0;
        for (byte[] c = ch.next(); c != null; c = ch.next()) {
            all.write(c);
            cuts.add((long) all.size());
            max = Math.max(max, c.length);
        }
        assertArrayEquals(data, all.toByteArray());
        assertEquals(2000, keys.size());
        assertTrue(max <= RdbChunker.HARD_MAX + (1 << 16), "largest chunk " + max);
        Set<Long> starts = new HashSet<>();
        keys.forEach(k -> starts.add(k.recordStart()));
        long big = keys.get(1000).end();
        long aligned = cuts.stream().filter(c -> starts.contains(c) || c == data.length).count();
        long inside = cuts.stream().filter(c -> c > keys.get(1000).valueStart() && c < big).count();
        assertEquals(cuts.size(), aligned + inside, "every cut is at a key start, except inside the huge value");
        assertTrue(inside > 30 << 20 >> 14, "the huge value is cut in small pieces: " + inside);
        assertTrue(aligned > 2000 * 300 / 16384, "cuts between keys: " + aligned);
    }

    @Test
    void aParseErrorReachesTheCaller() throws IOException {
        byte[] data = rdb(new int[] {100, 100, 5 << 20}, 3);
        byte[] cut = java.util.Arrays.copyOf(data, data.length - 100);
        RdbChunker ch = new RdbChunker(cdc(), new ByteArrayInputStream(cut), "cut.rdb", k -> { });
        RdbFormatException e = assertThrows(RdbFormatException.class, () -> {
            while (ch.next() != null) {
                // drain
            }
        });
        assertTrue(e.getMessage().startsWith("cut.rdb: truncated RDB"), e.getMessage());
    }
}
