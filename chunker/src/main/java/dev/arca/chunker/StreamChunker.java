package dev.arca.chunker;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Cuts an {@link InputStream} into chunks with {@link FastCdc}, holding at most
 * {@code 2 × max} bytes (the buffer grows only as far as the stream needs). Not thread-safe; one instance can be {@linkplain #reset reused} for
 * many streams so that its buffer is allocated once per reading thread.
 */
public final class StreamChunker {
    /** A chunk: its bytes (owned by the caller) and where it starts in the stream. */
    public record Chunk(byte[] data, long offset) {
        public int length() {
            return data.length;
        }
    }

    private static final int INITIAL_CAPACITY = 64 << 10;

    private final FastCdc cdc;
    private final int max;
    private InputStream in;
    private byte[] buf;
    private int start;
    private int end;
    private boolean eof;
    private long offset;

    public StreamChunker(FastCdc cdc) {
        this.cdc = cdc;
        this.max = cdc.params().max();
        this.buf = new byte[Math.min(INITIAL_CAPACITY, 2 * max)];
        this.eof = true;
    }

    public StreamChunker(FastCdc cdc, InputStream in) {
        this(cdc);
        reset(in);
    }

    /** Starts chunking a new stream; the previous one is abandoned (not closed). */
    public StreamChunker reset(InputStream in) {
        this.in = in;
        this.start = 0;
        this.end = 0;
        this.eof = false;
        this.offset = 0;
        return this;
    }

    /** Returns the next chunk, or {@code null} when the stream has ended. */
    public Chunk next() throws IOException {
        fill();
        if (start == end) {
            return null;
        }
        int n = cdc.cut(buf, start, end - start);
        Chunk chunk = new Chunk(Arrays.copyOfRange(buf, start, start + n), offset);
        start += n;
        offset += n;
        return chunk;
    }

    /** Bytes consumed from the stream and returned as chunks so far. */
    public long position() {
        return offset;
    }

    /**
     * Makes at least {@code max} bytes available after {@code start}, unless the stream ends
     * first. The unread bytes (fewer than {@code max}) move to the front only when fewer than
     * {@code max} bytes of room are left after {@code start}: with a buffer of {@code 2 × max},
     * that is at most one byte moved for every byte read.
     */
    private void fill() throws IOException {
        if (eof || end - start >= max) {
            return;
        }
        if (buf.length - start < max && start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        while (!eof && end - start < max) {
            if (end == buf.length) {
                buf = Arrays.copyOf(buf, Math.min(buf.length * 2, 2 * max));
            }
            int r = in.read(buf, end, buf.length - end);
            if (r < 0) {
                eof = true;
            } else {
                end += r;
            }
        }
    }
}
