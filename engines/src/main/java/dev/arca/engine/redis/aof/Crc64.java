package dev.arca.engine.redis.aof;

/**
 * Redis's CRC64 ({@code crc64.c}): the Jones polynomial {@code 0xad93d23594c935a9}, reflected in
 * and out, init 0, xorout 0; check value for "123456789" is {@code 0xe9c6d914c4b8d9ca}. It ends
 * every RDB of version 5 and later (stored little-endian after the {@code 0xFF} EOF opcode),
 * including the RDB preamble or base file of an AOF.
 */
final class Crc64 {
    private static final long POLY_REFLECTED = 0x95AC9329AC4BC9B5L;
    private static final long[] TABLE = new long[256];

    static {
        for (int i = 0; i < 256; i++) {
            long c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ POLY_REFLECTED : c >>> 1;
            }
            TABLE[i] = c;
        }
    }

    private Crc64() {
    }

    static long update(long crc, byte b) {
        return TABLE[(int) (crc ^ b) & 0xff] ^ (crc >>> 8);
    }

    static long update(long crc, byte[] b, int off, int len) {
        long c = crc;
        for (int i = off; i < off + len; i++) {
            c = TABLE[(int) (c ^ b[i]) & 0xff] ^ (c >>> 8);
        }
        return c;
    }
}
