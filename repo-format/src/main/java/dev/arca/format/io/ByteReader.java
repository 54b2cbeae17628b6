package dev.arca.format.io;

import dev.arca.format.CorruptObjectException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Reads the encodings of spec §3 with every length checked before it is used. Any violation is
 * a {@link CorruptObjectException} naming the object being parsed, never an unchecked exception,
 * so parsers of bytes at rest fail cleanly on arbitrary input.
 */
public final class ByteReader {
    private final byte[] buf;
    private final int end;
    private final String object;
    private int pos;

    public ByteReader(byte[] buf, String object) {
        this(buf, 0, buf.length, object);
    }

    public ByteReader(byte[] buf, int off, int len, String object) {
        if (off < 0 || len < 0 || off > buf.length - len) {
            throw new IllegalArgumentException("range outside the array");
        }
        this.buf = buf;
        this.pos = off;
        this.end = off + len;
        this.object = object;
    }

    public CorruptObjectException corrupt(String problem) {
        return new CorruptObjectException(object, problem);
    }

    private void need(long n, String what) throws CorruptObjectException {
        if (n < 0 || n > end - pos) {
            throw corrupt("truncated: " + what + " needs " + n + " bytes, " + (end - pos) + " left");
        }
    }

    public int remaining() {
        return end - pos;
    }

    public int position() {
        return pos;
    }

    public boolean atEnd() {
        return pos == end;
    }

    public void expectEnd(String what) throws CorruptObjectException {
        if (pos != end) {
            throw corrupt((end - pos) + " unexpected bytes after " + what);
        }
    }

    public int u8() throws CorruptObjectException {
        need(1, "u8");
        return buf[pos++] & 0xff;
    }

    public int u16() throws CorruptObjectException {
        need(2, "u16");
        int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8;
        pos += 2;
        return v;
    }

    public long u32() throws CorruptObjectException {
        need(4, "u32");
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v |= (long) (buf[pos + i] & 0xff) << (8 * i);
        }
        pos += 4;
        return v;
    }

    /** A u32 that must fit in a non-negative int (a length or count). */
    public int u32AsInt(String what) throws CorruptObjectException {
        long v = u32();
        if (v > Integer.MAX_VALUE) {
            throw corrupt(what + " too large: " + v);
        }
        return (int) v;
    }

    public long u64() throws CorruptObjectException {
        need(8, "u64");
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (long) (buf[pos + i] & 0xff) << (8 * i);
        }
        pos += 8;
        return v;
    }

    public long uvarint() throws CorruptObjectException {
        long v = 0;
        for (int shift = 0; shift < 63; shift += 7) {
            need(1, "uvarint");
            int b = buf[pos++] & 0xff;
            if (shift == 56 && (b & 0x80) != 0) {
                throw corrupt("uvarint longer than 63 bits");
            }
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (b == 0 && shift > 0) {
                    throw corrupt("uvarint with a redundant zero group");
                }
                return v;
            }
        }
        throw corrupt("uvarint longer than 63 bits");
    }

    /** A uvarint that must fit in a non-negative int. */
    public int uvarintAsInt(String what) throws CorruptObjectException {
        long v = uvarint();
        if (v > Integer.MAX_VALUE) {
            throw corrupt(what + " too large: " + v);
        }
        return (int) v;
    }

    public long svarint() throws CorruptObjectException {
        long z = uvarint();
        return (z >>> 1) ^ -(z & 1);
    }

    public byte[] raw(int n) throws CorruptObjectException {
        need(n, "raw bytes");
        byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    public void skip(int n) throws CorruptObjectException {
        need(n, "skipped bytes");
        pos += n;
    }

    /** 32 raw bytes; the caller wraps them in the right id type. */
    public int idOffset() throws CorruptObjectException {
        need(32, "id");
        int at = pos;
        pos += 32;
        return at;
    }

    public byte[] array() {
        return buf;
    }

    public byte[] bytes(String what) throws CorruptObjectException {
        int n = uvarintAsInt(what + " length");
        need(n, what);
        return raw(n);
    }

    public String string(String what) throws CorruptObjectException {
        int n = uvarintAsInt(what + " length");
        need(n, what);
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buf, pos, n)).toString();
            pos += n;
            return s;
        } catch (CharacterCodingException e) {
            throw corrupt(what + " is not valid UTF-8");
        }
    }
}
