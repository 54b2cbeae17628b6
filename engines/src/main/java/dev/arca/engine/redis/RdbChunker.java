package dev.arca.engine.redis;

import dev.arca.chunker.ChunkerParams;
import dev.arca.chunker.FastCdc;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Cuts an RDB stream into chunks that start at key records, while {@link RdbParser} walks and
 * checks it (the same scheme as the Aerospike engine's {@code AsbChunker}).
 *
 * <p>FastCDC (the repository's secret gear table with the finer sizes {@link #PARAMS}) proposes a
 * cut from the previous one, and the chunk ends at the first key record that starts at or after
 * the proposal. A key changed in place changes the chunk it is in (and rarely a neighbour); after
 * an insertion or a deletion the cuts fall back into step. A key larger than {@link #HARD_MAX} is
 * cut inside at FastCDC's proposals.
 *
 * <p>The parser runs on a thread of its own and hands finished chunks over through a queue of
 * {@link #QUEUE} chunks, so a value of any size passes through in bounded memory: the pending
 * bytes (at most about {@link #HARD_MAX} plus one 64 KiB read) and the queue.
 */
public final class RdbChunker implements AutoCloseable {
    /** Proposal sizes: most Redis values are tens of bytes to a few KiB. */
    public static final ChunkerParams PARAMS = new ChunkerParams(256, 1024, 16 << 10);
    /** Beyond this many pending bytes a cut is made inside a key. */
    public static final int HARD_MAX = 4 << 20;
    static final int QUEUE = 16;
    private static final byte[] END = new byte[0];

    /** Sees every key, in order (on the parser's thread). */
    public interface KeySink {
        void accept(RdbKey key) throws IOException;
    }

    private final FastCdc cdc;
    private final RdbParser parser;
    private final KeySink keys;
    private final BlockingQueue<byte[]> ready = new ArrayBlockingQueue<>(QUEUE);
    private volatile Throwable failure;
    private Thread producer;
    private boolean finished;
    private byte[] pend = new byte[1 << 17];
    private int len;
    private long pendBase;
    private final dev.arca.engine.RecordStarts starts = new dev.arca.engine.RecordStarts();

    public RdbChunker(FastCdc repoCdc, InputStream in, String name, KeySink keys) {
        this.cdc = repoCdc.withParams(PARAMS);
        this.parser = new RdbParser(in, name, this::append);
        this.keys = keys;
    }

    /** The parser; read its results only after {@link #next} returned null. */
    public RdbParser parser() {
        return parser;
    }

    /** The next chunk, or null after the last; a malformed RDB throws {@link RdbFormatException}. */
    public byte[] next() throws IOException {
        if (finished) {
            return null;
        }
        if (producer == null) {
            producer = new Thread(this::produce, "arca-rdb-parser");
            producer.setDaemon(true);
            producer.start();
        }
        byte[] c;
        try {
            c = ready.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while reading the RDB");
        }
        if (c == END) {
            finished = true;
            try {
                producer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Throwable t = failure;
            if (t instanceof IOException io) {
                throw io;
            }
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error err) {
                throw err;
            }
            return null;
        }
        return c;
    }

    private void produce() {
        try {
            for (RdbKey k = parser.next(); k != null; k = parser.next()) {
                starts.add(k.recordStart());
                keys.accept(k);
                cutReady(false);
            }
            cutReady(true);
        } catch (Throwable t) {
            failure = t;
        }
        try {
            ready.put(END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Emits the chunks that can be cut at key starts; with {@code done}, everything. */
    private void cutReady(boolean done) throws IOException {
        while (len >= PARAMS.max() || done && len > 0) {
            int c = cdc.cut(pend, 0, len);
            long cutAt = starts.firstAtOrAfter(pendBase + c, pendBase);
            if (cutAt > pendBase && cutAt - pendBase <= len) {
                emit((int) (cutAt - pendBase));
            } else if (done) {
                emit(len <= HARD_MAX ? len : c);
            } else {
                return;
            }
        }
    }

    private void emit(int n) throws IOException {
        byte[] out = Arrays.copyOf(pend, n);
        System.arraycopy(pend, n, pend, 0, len - n);
        len -= n;
        pendBase += n;
        try {
            ready.put(out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("backup stopped");
        }
    }

    /** The parser's tee: a key larger than {@link #HARD_MAX} is cut inside here, so pending bytes stay bounded. */
    private void append(byte[] b, int off, int n) throws IOException {
        if (len + n > pend.length) {
            pend = Arrays.copyOf(pend, Math.max(pend.length * 2, len + n));
        }
        System.arraycopy(b, off, pend, len, n);
        len += n;
        while (len >= HARD_MAX) {
            int c = cdc.cut(pend, 0, len);
            long cutAt = starts.firstAtOrAfter(pendBase + c, pendBase);
            emit(cutAt > pendBase && cutAt - pendBase <= len ? (int) (cutAt - pendBase) : c);
        }
    }

    /** Stops the parser's thread if the backup ends early. */
    @Override
    public void close() {
        if (producer != null && producer.isAlive()) {
            producer.interrupt();
        }
    }
}
