package dev.arca.engine.redis.aof;

import dev.arca.chunker.ChunkerParams;
import dev.arca.chunker.FastCdc;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Cuts one AOF file into chunks that end on item boundaries (commands, annotations, the end of
 * an RDB preamble), while {@link RespScanner} validates it.
 *
 * <p>The cut is content-defined: FastCDC (the repository's secret gear table, sizes
 * {@link #PARAMS}) proposes a cut from the previous one and the chunk ends at the first item start
 * at or after it. So where a chunk ends depends only on the bytes since the previous cut: a file
 * that has only grown since the last backup is cut exactly as before up to its old last chunk, and
 * only that chunk and the appended bytes are new. An item larger than {@link #HARD_MAX} is cut
 * inside at FastCDC's proposals (the scanner hands back {@link RespScanner.Partial}s inside big
 * items, so that the cut can be made while the item is read); a torn tail is the last chunk.
 *
 * <p>Memory: the pending bytes, at most {@link #HARD_MAX} plus {@link RespScanner#PARTIAL_EVERY};
 * no chunk is longer than {@link #HARD_MAX}.
 */
public final class AofChunker {
    /** Commands are tens to hundreds of bytes; a re-stored last chunk costs at most {@code max}. */
    public static final ChunkerParams PARAMS = new ChunkerParams(8 << 10, 32 << 10, 128 << 10);
    /** Beyond this many pending bytes a cut is made inside an item. */
    public static final int HARD_MAX = 4 << 20;

    private final FastCdc cdc;
    private final RespScanner scanner;
    private final Consumer<RespScanner.Item> items;
    private byte[] pend = new byte[1 << 16];
    private int len;
    private long pendBase;
    private final dev.arca.engine.RecordStarts starts = new dev.arca.engine.RecordStarts();
    private boolean done;

    /**
     * @param repoCdc the repository's chunker; its gear table is used with {@link #PARAMS}
     * @param items   sees every item, in order
     */
    public AofChunker(FastCdc repoCdc, InputStream in, String fileName, Consumer<RespScanner.Item> items) {
        this.cdc = repoCdc.withParams(PARAMS);
        this.scanner = new RespScanner(in, fileName, this::append);
        this.items = items;
    }

    public RespScanner scanner() {
        return scanner;
    }

    /** The next chunk, or null after the last; malformed input throws {@link AofFormatException}. */
    public byte[] next() throws IOException {
        while (true) {
            if (done && len == 0) {
                return null;
            }
            if (done || len >= PARAMS.max()) {
                int c = cdc.cut(pend, 0, len);
                long cutAt = starts.firstAtOrAfter(pendBase + c, pendBase);
                if (cutAt > pendBase && cutAt - pendBase <= Math.min(len, HARD_MAX)) {
                    return emit((int) (cutAt - pendBase));
                }
                if (done) {
                    return emit(len <= HARD_MAX ? len : c);
                }
                if (len >= HARD_MAX) {
                    return emit(c);
                }
            }
            RespScanner.Item item = scanner.next();
            if (item == null) {
                done = true;
            } else if (!(item instanceof RespScanner.Partial)) {
                starts.add(item.end());
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
