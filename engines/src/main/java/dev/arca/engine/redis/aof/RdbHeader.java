package dev.arca.engine.redis.aof;

import java.nio.charset.StandardCharsets;

/**
 * What the start of an RDB (an AOF's base file or RDB preamble) says: its version and, from the
 * {@code ctime} aux field, when it was written. Only the header is read:
 * {@code "REDIS" + 4 digits}, then {@code 0xFA <string key> <string value>} aux fields; the first
 * other opcode ends it. The full RDB grammar is the RDB engine's business.
 */
public record RdbHeader(int version, Long ctime) {
    static final byte[] MAGIC = "REDIS".getBytes(StandardCharsets.US_ASCII);
    private static final int OP_AUX = 0xFA;

    /** Whether {@code b} starts with "REDIS" (given at least 5 bytes). */
    static boolean isRdb(byte[] b, int off, int len) {
        if (len < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (b[off + i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads the header from the first {@code len} bytes; null if they do not start with a valid
     * magic and version. {@code ctime} is null when the aux fields run past {@code len} or lack it.
     */
    static RdbHeader parse(byte[] b, int off, int len) {
        if (len < 9 || !isRdb(b, off, len)) {
            return null;
        }
        int version = 0;
        for (int i = 5; i < 9; i++) {
            int d = b[off + i] - '0';
            if (d < 0 || d > 9) {
                return null;
            }
            version = version * 10 + d;
        }
        Reader r = new Reader(b, off + 9, off + len);
        Long ctime = null;
        try {
            while (r.pos < r.end && (b[r.pos] & 0xff) == OP_AUX) {
                r.pos++;
                Object key = r.string();
                Object value = r.string();
                if ("ctime".equals(key)) {
                    ctime = value instanceof Long l ? l : value instanceof String s ? Long.valueOf(s.trim()) : null;
                }
            }
        } catch (IndexOutOfBoundsException | NumberFormatException e) {
            // aux fields beyond what was read, or not what Redis writes: no ctime
        }
        return new RdbHeader(version, ctime);
    }

    /** Length-encoded strings ({@code rdb.c rdbGenericLoadStringObject}); LZF strings are skipped (null). */
    private static final class Reader {
        final byte[] b;
        int pos;
        final int end;

        Reader(byte[] b, int pos, int end) {
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        int u8() {
            if (pos >= end) {
                throw new IndexOutOfBoundsException();
            }
            return b[pos++] & 0xff;
        }

        long length() {
            int first = u8();
            return switch (first >> 6) {
                case 0 -> first & 0x3f;
                case 1 -> ((first & 0x3f) << 8) | u8();
                case 2 -> {
                    int n = first == 0x80 ? 4 : first == 0x81 ? 8 : -1;
                    if (n < 0) {
                        throw new IndexOutOfBoundsException();
                    }
                    long v = 0;
                    for (int i = 0; i < n; i++) {
                        v = (v << 8) | u8();
                    }
                    yield v;
                }
                default -> -1 - (first & 0x3f);   // special encoding k is returned as -1 - k
            };
        }

        Object string() {
            long len = length();
            if (len < 0) {
                int enc = (int) (-1 - len);
                return switch (enc) {
                    case 0 -> (long) (byte) u8();
                    case 1 -> (long) (short) (u8() | u8() << 8);
                    case 2 -> (long) (u8() | u8() << 8 | u8() << 16 | u8() << 24);
                    case 3 -> {
                        long clen = length();
                        length();
                        skip(clen);
                        yield null;
                    }
                    default -> throw new IndexOutOfBoundsException();
                };
            }
            int start = pos;
            skip(len);
            return new String(b, start, (int) len, StandardCharsets.ISO_8859_1);
        }

        void skip(long n) {
            if (n < 0 || n > end - pos) {
                throw new IndexOutOfBoundsException();
            }
            pos += (int) n;
        }
    }
}
