package dev.arca.engine.aerospike;

import dev.arca.chunker.ChunkerParams;
import dev.arca.chunker.FastCdc;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Cuts one {@code .asb} file into chunks that start at record starts, while {@link AsbParser}
 * validates it.
 *
 * <p>The cut is content-defined: FastCDC (the repository's secret gear table, finer sizes
 * {@link #PARAMS}) proposes a cut from the previous one, and the chunk ends at the first record
 * start at or after that proposal. A record changed in place therefore changes the chunk it is in
 * (and rarely a neighbour), and cuts resynchronise right after an insertion or deletion; with
 * megabyte chunks every chunk would hold some changed record. A single record larger than
 * {@link #HARD_MAX} is cut inside at FastCDC's proposals.
 *
 * <p>Memory: the pending bytes (at most about one record plus {@link #HARD_MAX}).
 */
public final class AsbChunker {
    /** Sizes for the proposals: records are typically hundreds of bytes to a few KiB. */
    public static final ChunkerParams PARAMS = new ChunkerParams(256, 1024, 16 << 10);
    /** Beyond this many pending bytes a cut is made inside a record. */
    public static final int HARD_MAX = 4 << 20;

    private final FastCdc cdc;
    private final AsbParser parser;
    private final Consumer<AsbItem> items;
    private byte[] pend = new byte[1 << 16];
    private int len;
    private long pendBase;
    private final dev.arca.engine.RecordStarts starts = new dev.arca.engine.RecordStarts();
    private boolean done;

    /**
     * @param repoCdc the repository's chunker; its gear table is used with {@link #PARAMS}
     * @param items   sees every item, in order (for counting and indexing)
     */
    public AsbChunker(FastCdc repoCdc, InputStream in, String fileName, Consumer<AsbItem> items) {
        this.cdc = repoCdc.withParams(PARAMS);
        this.parser = new AsbParser(in, fileName, false, this::append);
        this.items = items;
    }

    public AsbParser parser() {
        return parser;
    }

    /** The next chunk, or null after the last; a malformed input throws {@link AsbFormatException}. */
    public byte[] next() throws IOException {
        while (true) {
            if (done && len == 0) {
                return null;
            }
            if (done || len >= PARAMS.max()) {
                int c = cdc.cut(pend, 0, len);
                long cutAt = starts.firstAtOrAfter(pendBase + c, pendBase);
                if (cutAt > pendBase && cutAt - pendBase <= len) {
                    return emit((int) (cutAt - pendBase));
                }
                if (done) {
                    return emit(len <= HARD_MAX ? len : c);
                }
                if (len >= HARD_MAX) {
                    return emit(c);
                }
            }
            AsbItem item = parser.next();
            if (item == null) {
                done = true;
            } else {
                if (item instanceof AsbItem.Record) {
                    starts.add(parser.itemStart());
                }
                items.accept(item);
            }
        }
    }

    private byte[] emit(int n) {
        byte[] out = Arrays.copyOf(pend, n);
        System.arraycopy(pend, n, pend, 0, len - n);
        len -= n;
        pendBase += n;
        return out;
    }

    private void append(byte[] b, int off, int n) {
        if (len + n > pend.length) {
            pend = Arrays.copyOf(pend, Math.max(pend.length * 2, len + n));
        }
        System.arraycopy(b, off, pend, len, n);
        len += n;
    }
}
