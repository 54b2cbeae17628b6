package dev.arca.format.id;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * An immutable 32-byte value held as four longs (big-endian order), so that equality, hashing
 * and ordering do not touch arrays. Ordering is unsigned and equals the order of the raw bytes.
 */
public abstract class Hash32 {
    public static final int LENGTH = 32;
    private static final HexFormat HEX = HexFormat.of();

    private final long w0;
    private final long w1;
    private final long w2;
    private final long w3;

    protected Hash32(byte[] raw, int off) {
        if (off < 0 || raw.length - off < LENGTH) {
            throw new IllegalArgumentException("a 32-byte id needs 32 bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(raw, off, LENGTH);
        w0 = b.getLong();
        w1 = b.getLong();
        w2 = b.getLong();
        w3 = b.getLong();
    }

    protected static byte[] parseHex(String hex) {
        if (hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("an id is 64 hex digits, got " + hex.length() + " characters");
        }
        return HEX.parseHex(hex);
    }

    /** The 32 raw bytes. */
    public byte[] toBytes() {
        byte[] out = new byte[LENGTH];
        copyTo(out, 0);
        return out;
    }

    public void copyTo(byte[] dst, int off) {
        ByteBuffer.wrap(dst, off, LENGTH).putLong(w0).putLong(w1).putLong(w2).putLong(w3);
    }

    public void copyTo(ByteBuffer dst) {
        dst.putLong(w0).putLong(w1).putLong(w2).putLong(w3);
    }

    /** 64 lowercase hex digits. */
    public String hex() {
        return HEX.formatHex(toBytes());
    }

    /** The first 8 hex digits, as shown to people. */
    public String shortHex() {
        return hex().substring(0, 8);
    }

    /** The first byte, 0–255. */
    public int firstByte() {
        return (int) (w0 >>> 56);
    }

    protected final int compareWords(Hash32 o) {
        int c = Long.compareUnsigned(w0, o.w0);
        if (c == 0) {
            c = Long.compareUnsigned(w1, o.w1);
        }
        if (c == 0) {
            c = Long.compareUnsigned(w2, o.w2);
        }
        if (c == 0) {
            c = Long.compareUnsigned(w3, o.w3);
        }
        return c;
    }

    @Override
    public final boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (o == null || o.getClass() != getClass()) {
            return false;
        }
        Hash32 h = (Hash32) o;
        return w0 == h.w0 && w1 == h.w1 && w2 == h.w2 && w3 == h.w3;
    }

    @Override
    public final int hashCode() {
        // The words are uniformly random already.
        return (int) w1;
    }

    @Override
    public String toString() {
        return hex();
    }
}
