package dev.arca.engine.redis;

/**
 * Redis's CRC64: the "Jones" polynomial {@code 0xad93d23594c935a9}, reflected in and out, initial
 * value 0, no final xor ({@code crc64("123456789") == 0xe9c6d914c4b8d9ca}). It ends every RDB of
 * version 5 or later (stored little-endian, 0 meaning "not computed") and every DUMP payload.
 * Computed eight bytes at a time (slicing-by-8).
 */
public final class Crc64 {
    /** The reflected polynomial. */
    static final long POLY = 0x95AC9329AC4BC9B5L;
    private static final long[][] T = new long[8][256];

    static {
        for (int i = 0; i < 256; i++) {
            long c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ POLY : c >>> 1;
            }
            T[0][i] = c;
        }
        for (int t = 1; t < 8; t++) {
            for (int i = 0; i < 256; i++) {
                long p = T[t - 1][i];
                T[t][i] = (p >>> 8) ^ T[0][(int) (p & 0xff)];
            }
        }
    }

    private long crc;

    public void update(byte[] b, int off, int len) {
        crc = update(crc, b, off, len);
    }

    public void update(int b) {
        crc = T[0][(int) ((crc ^ b) & 0xff)] ^ (crc >>> 8);
    }

    public long value() {
        return crc;
    }

    /** Continues {@code crc} over one byte. */
    public static long update(long crc, byte b) {
        return T[0][(int) ((crc ^ b) & 0xff)] ^ (crc >>> 8);
    }

    /** Continues {@code crc} over {@code b[off, off+len)}. */
    public static long update(long crc, byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        long[] t0 = T[0], t1 = T[1], t2 = T[2], t3 = T[3], t4 = T[4], t5 = T[5], t6 = T[6], t7 = T[7];
        while (end - i >= 8) {
            long x = crc ^ ((b[i] & 0xffL) | (b[i + 1] & 0xffL) << 8 | (b[i + 2] & 0xffL) << 16
                    | (b[i + 3] & 0xffL) << 24 | (b[i + 4] & 0xffL) << 32 | (b[i + 5] & 0xffL) << 40
                    | (b[i + 6] & 0xffL) << 48 | (b[i + 7] & 0xffL) << 56);
            crc = t7[(int) (x & 0xff)] ^ t6[(int) ((x >>> 8) & 0xff)] ^ t5[(int) ((x >>> 16) & 0xff)]
                    ^ t4[(int) ((x >>> 24) & 0xff)] ^ t3[(int) ((x >>> 32) & 0xff)] ^ t2[(int) ((x >>> 40) & 0xff)]
                    ^ t1[(int) ((x >>> 48) & 0xff)] ^ t0[(int) (x >>> 56)];
            i += 8;
        }
        while (i < end) {
            crc = t0[(int) ((crc ^ b[i++]) & 0xff)] ^ (crc >>> 8);
        }
        return crc;
    }

    public static long of(byte[] b) {
        return update(0, b, 0, b.length);
    }

    /** The 8 bytes as Redis stores them (little-endian). */
    public static long readLe(byte[] b, int off) {
        long v = 0;
        for (int k = 7; k >= 0; k--) {
            v = (v << 8) | (b[off + k] & 0xff);
        }
        return v;
    }

    static String hex(long v) {
        return String.format("%016x", v);
    }
}
