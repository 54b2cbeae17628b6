package dev.arca.format.io;

import dev.arca.format.id.Hash32;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte buffer with the encodings of spec §3 (little-endian, LEB128 varints). */
public final class ByteWriter {
    private byte[] buf;
    private int len;

    public ByteWriter() {
        this(256);
    }

    public ByteWriter(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    private void ensure(int more) {
        if (buf.length - len < more) {
            long want = Math.max((long) buf.length * 2, (long) len + more);
            if (want > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("encoded object exceeds 2 GiB");
            }
            buf = Arrays.copyOf(buf, (int) want);
        }
    }

    public ByteWriter u8(int v) {
        ensure(1);
        buf[len++] = (byte) v;
        return this;
    }

    public ByteWriter u16(int v) {
        ensure(2);
        buf[len++] = (byte) v;
        buf[len++] = (byte) (v >>> 8);
        return this;
    }

    public ByteWriter u32(long v) {
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("u32 out of range: " + v);
        }
        ensure(4);
        for (int i = 0; i < 4; i++) {
            buf[len++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    public ByteWriter u64(long v) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            buf[len++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    public ByteWriter uvarint(long v) {
        if (v < 0) {
            throw new IllegalArgumentException("uvarint must not be negative: " + v);
        }
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[len++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[len++] = (byte) v;
        return this;
    }

    public ByteWriter svarint(long v) {
        long z = (v << 1) ^ (v >> 63);
        // zigzag of Long.MIN_VALUE is -1 as a signed long; spec limits svarint to 63-bit magnitudes
        if (z < 0) {
            throw new IllegalArgumentException("svarint out of range: " + v);
        }
        return uvarint(z);
    }

    public ByteWriter raw(byte[] b) {
        return raw(b, 0, b.length);
    }

    public ByteWriter raw(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
        return this;
    }

    public ByteWriter id(Hash32 id) {
        ensure(Hash32.LENGTH);
        id.copyTo(buf, len);
        len += Hash32.LENGTH;
        return this;
    }

    /** {@code uvarint length || bytes}. */
    public ByteWriter bytes(byte[] b) {
        uvarint(b.length);
        return raw(b);
    }

    /** {@code bytes} holding UTF-8. */
    public ByteWriter string(String s) {
        return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    public int length() {
        return len;
    }

    /** Overwrites a u32 written earlier at {@code pos}. */
    public void patchU32(int pos, long v) {
        for (int i = 0; i < 4; i++) {
            buf[pos + i] = (byte) (v >>> (8 * i));
        }
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    /** The internal array; valid up to {@link #length()} until the next write. */
    public byte[] array() {
        return buf;
    }

    public void reset() {
        len = 0;
    }
}
