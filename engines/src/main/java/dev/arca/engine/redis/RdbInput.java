package dev.arca.engine.redis;

import java.io.IOException;
import java.io.InputStream;

/**
 * The byte source under {@link RdbParser}: its own 64 KiB buffer over a stream, the absolute
 * offset, a running CRC64 over what was consumed, and a tee that hands every consumed byte, in
 * order and exactly once, to a sink (the chunker). Consumed bytes reach the CRC and the tee in
 * batches, at {@link #flush} and whenever the buffer is refilled.
 */
final class RdbInput {
    /** Receives consumed bytes. */
    interface Sink {
        void accept(byte[] b, int off, int len) throws IOException;
    }

    private final InputStream in;
    private final Sink sink;
    private final String name;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int lim;
    private int teeFrom;
    private long base;
    private final Crc64 crc = new Crc64();
    private boolean crcOn = true;
    private boolean eof;

    RdbInput(InputStream in, String name, Sink sink) {
        this.in = in;
        this.name = name;
        this.sink = sink;
    }

    long offset() {
        return base + pos;
    }

    long crc() {
        return crc.value();
    }

    /** Stops the CRC after what was consumed so far (the RDB's EOF opcode). */
    void stopCrc() throws IOException {
        flush();
        crcOn = false;
    }

    void flush() throws IOException {
        int n = pos - teeFrom;
        if (n > 0) {
            if (crcOn) {
                crc.update(buf, teeFrom, n);
            }
            if (sink != null) {
                sink.accept(buf, teeFrom, n);
            }
            teeFrom = pos;
        }
    }

    /** Makes at least one byte available; false at the end of the input. */
    private boolean fill() throws IOException {
        if (pos < lim) {
            return true;
        }
        if (eof) {
            return false;
        }
        flush();
        base += pos;
        pos = 0;
        lim = 0;
        teeFrom = 0;
        while (lim == 0) {
            int n = in.read(buf, 0, buf.length);
            if (n < 0) {
                eof = true;
                return false;
            }
            lim = n;
        }
        return true;
    }

    /** The next byte, or -1 at the end. */
    int read() throws IOException {
        return fill() ? buf[pos++] & 0xff : -1;
    }

    int u8(String what) throws IOException {
        if (!fill()) {
            throw truncated(what, 1);
        }
        return buf[pos++] & 0xff;
    }

    void readFully(byte[] b, int off, int len, String what) throws IOException {
        int done = 0;
        while (done < len) {
            if (!fill()) {
                throw truncated(what, len - done);
            }
            int n = Math.min(len - done, lim - pos);
            System.arraycopy(buf, pos, b, off + done, n);
            pos += n;
            done += n;
        }
    }

    long le(int bytes, String what) throws IOException {
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v |= (long) u8(what) << (8 * i);
        }
        return v;
    }

    void skip(long len, String what) throws IOException {
        if (len < 0) {
            throw error(offset(), "length " + Long.toUnsignedString(len) + " in " + what + " is out of range");
        }
        long left = len;
        while (left > 0) {
            if (!fill()) {
                throw truncated(what, left);
            }
            int n = (int) Math.min(left, lim - pos);
            pos += n;
            left -= n;
        }
    }

    /**
     * Consumes the rest of the input into the tee; the CRC, if on, covers all but the last 8
     * bytes, and those 8 are returned (for an opaque tail that may still end with a CRC64).
     * Returns the number of bytes consumed in {@code count[0]}.
     */
    byte[] drain(long[] count) throws IOException {
        byte[] last = new byte[8];
        int have = 0;
        boolean wasOn = crcOn;
        flush();
        crcOn = false;
        long n = 0;
        while (fill()) {
            int len = lim - pos;
            // Before the last 8 bytes reach the tee, the CRC sees what falls out of the window.
            for (int i = pos; i < lim; i++) {
                if (have == 8) {
                    if (wasOn) {
                        crc.update(last[0]);
                    }
                    System.arraycopy(last, 1, last, 0, 7);
                    have = 7;
                }
                last[have++] = buf[i];
            }
            pos = lim;
            n += len;
            flush();
        }
        count[0] = n;
        return have == 8 ? last : null;
    }

    RdbFormatException truncated(String what, long missing) {
        return new RdbFormatException(name, offset(), "truncated RDB: the input ends inside " + what + " ("
                + missing + " more bytes needed)");
    }

    RdbFormatException error(long at, String message) {
        return new RdbFormatException(name, at, message);
    }
}
