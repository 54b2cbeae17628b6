package dev.arca.engine.redis.aof;

import dev.arca.engine.redis.Crc64;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads an AOF file item by item, passing every byte on to a sink unchanged as it is consumed.
 *
 * <p>Grammar (what {@code redis-check-aof} accepts):
 * <pre>
 * file       = [rdb-preamble] *(annotation | command)
 * annotation = "#" *(any byte but LF) LF            ; "#TS:&lt;unix seconds&gt;\r\n" is a timestamp
 * command    = "*" argc CRLF argc*( "$" len CRLF len-bytes CRLF )     ; argc &gt;= 1, len &gt;= 0
 * rdb-preamble = an RDB ("REDIS" + version ... 0xFF + CRC64 LE), only at offset 0
 * </pre>
 * A MULTI opened and not closed by EXEC makes the transaction incomplete. The file may end in the
 * middle of an item (a torn tail, what {@code redis-check-aof --fix} truncates): then
 * {@link #next()} returns null, {@link #truncated()} is true and {@link #lastComplete()} is the
 * offset {@code --fix} would truncate to. Bytes that break the grammar throw
 * {@link AofFormatException} naming the file and the byte offset.
 *
 * <p>Memory: a 64 KiB buffer; bulk payloads and RDB preambles stream through, with a
 * {@link Partial} every {@link #PARTIAL_EVERY} bytes.
 */
public final class RespScanner {
    /** Where the bytes go, in order, each exactly once. */
    public interface Sink {
        void write(byte[] b, int off, int len) throws IOException;
    }

    /** An item and its byte range [start, end). */
    public sealed interface Item permits Command, Annotation, Preamble, Partial {
        long start();

        long end();
    }

    /** A command; {@code name} is its first argument in lower case ("" when longer than 32 bytes). */
    public record Command(long start, long end, String name) implements Item {
    }

    /** A {@code #} line; {@code timestamp} is the value of a {@code #TS:} annotation, else null. */
    public record Annotation(long start, long end, Long timestamp) implements Item {
    }

    /**
     * Progress inside an item larger than {@link #PARTIAL_EVERY} (a big argument or RDB preamble):
     * not a boundary, returned so that callers can act on the bytes so far without holding them all.
     */
    public record Partial(long start, long end) implements Item {
    }

    /** An RDB preamble at the start of the file. */
    public record Preamble(long start, long end, RdbHeader header) implements Item {
    }

    static final int MAX_LINE = 4096;
    /**
     * A sanity bound on argument lengths. Redis's proto-max-bulk-len defaults to 512 MiB but can be
     * raised, and the AOF loader does not check it, so only absurd lengths are refused here.
     */
    static final long MAX_BULK = 1L << 40;
    private static final int NAME_MAX = 32;
    /** Inside an item, a {@link Partial} is returned after this many bytes. */
    static final int PARTIAL_EVERY = 1 << 20;


    private final InputStream in;
    private final String file;
    private final Sink sink;
    private byte[] buf = new byte[1 << 16];
    private int pos;
    private int lim;
    private int flushed;
    /** File offset of buf[0]. */
    private long base;
    private boolean eof;
    private boolean done;
    private boolean first = true;

    /** Where {@link #next()} resumes: between items, or inside a command's arguments, a bulk, a preamble. */
    private enum State { BETWEEN, ARGS, BULK, PREAMBLE }

    private State state = State.BETWEEN;
    private long itemStart;
    private long argc;
    private long argIndex;
    private long bulkLeft;
    private long bulkLen;
    private String name;
    private long crc;
    private RdbHeader header;

    private boolean truncated;
    private long lastComplete;
    private boolean inMulti;
    private long multiStart;
    private long commands;
    private long annotations;
    private Long firstTimestamp;
    private Long lastTimestamp;

    /** Signals the end of the input inside an item. */
    private static final class TornTail extends Exception {
        private static final long serialVersionUID = 1L;

        TornTail() {
            super(null, null, false, false);
        }
    }

    public RespScanner(InputStream in, String file, Sink sink) {
        this.in = in;
        this.file = file;
        this.sink = sink;
    }

    /**
     * The next item, or null at the end (see {@link #truncated()}). Items larger than
     * {@link #PARTIAL_EVERY} come as {@link Partial}s and then the item itself.
     */
    public Item next() throws IOException {
        if (done) {
            return null;
        }
        try {
            Item item = switch (state) {
                case BETWEEN -> startItem();
                case ARGS, BULK -> command();
                case PREAMBLE -> preamble();
            };
            flush();
            return item;
        } catch (TornTail t) {
            finish(true);
            return null;
        }
    }

    private Item startItem() throws IOException, TornTail {
        long start = offset();
        itemStart = start;
        if (!ensure(1)) {
            finish(false);
            return null;
        }
        if (first) {
            first = false;
            ensure(RdbHeader.MAGIC.length);
            if (RdbHeader.isRdb(buf, pos, lim - pos)) {
                ensure(Math.min(buf.length, 1 << 16));
                header = RdbHeader.parse(buf, pos, lim - pos);
                if (header == null) {
                    throw new AofFormatException(file, start, "starts with 'REDIS' but has no valid RDB version");
                }
                crc = 0;
                state = State.PREAMBLE;
                return preamble();
            }
        }
        int b = buf[pos] & 0xff;
        if (b == '#') {
            return annotation(start);
        }
        if (b == '*') {
            argc = number(line(start), '*', start, "argument count");
            if (argc < 1 || argc > Integer.MAX_VALUE) {
                throw new AofFormatException(file, start, "a command with " + argc + " arguments");
            }
            argIndex = 0;
            name = "";
            state = State.ARGS;
            return command();
        }
        throw new AofFormatException(file, start, "expected '*' (a command) or '#' (an annotation), found "
                + describe(b));
    }

    /** Offset of the next unread byte. */
    public long offset() {
        return base + pos;
    }

    /** Whether the file ended inside an item or inside a MULTI block. */
    public boolean truncated() {
        return truncated;
    }

    /** The end of the last item outside an open MULTI: where {@code redis-check-aof --fix} cuts. */
    public long lastComplete() {
        return lastComplete;
    }

    /** Whether the items so far leave a MULTI open. */
    public boolean inMulti() {
        return inMulti;
    }

    /** Where the open MULTI began. */
    public long multiStart() {
        return multiStart;
    }

    public long commands() {
        return commands;
    }

    public long annotations() {
        return annotations;
    }

    public Long firstTimestamp() {
        return firstTimestamp;
    }

    public Long lastTimestamp() {
        return lastTimestamp;
    }

    private void finish(boolean torn) throws IOException {
        done = true;
        // the rest of a torn tail still goes to the sink: it is stored verbatim
        pos = lim;
        flush();
        byte[] rest = new byte[1 << 16];
        for (int n = in.read(rest); n >= 0; n = in.read(rest)) {
            if (n > 0) {
                sink.write(rest, 0, n);
                base += n;
            }
        }
        truncated = torn || inMulti;
    }

    private Item annotation(long start) throws IOException, TornTail {
        byte[] line = line(start);
        Long ts = null;
        int n = line.length;
        if (n > 4 && line[0] == '#' && line[1] == 'T' && line[2] == 'S' && line[3] == ':') {
            int endDigits = n - 1;
            if (endDigits > 4 && line[endDigits - 1] == '\r') {
                endDigits--;
            }
            ts = digits(line, 4, endDigits);
        }
        long end = offset();
        annotations++;
        if (ts != null) {
            if (firstTimestamp == null) {
                firstTimestamp = ts;
            }
            lastTimestamp = ts;
        }
        if (!inMulti) {
            lastComplete = end;
        }
        return new Annotation(start, end, ts);
    }

    /** Continues the command at {@link #itemStart}: its remaining arguments. */
    private Item command() throws IOException, TornTail {
        long start = itemStart;
        long yieldAt = offset() + PARTIAL_EVERY;
        while (true) {
            if (state == State.BULK) {
                while (bulkLeft > 0) {
                    if (offset() >= yieldAt) {
                        return new Partial(start, offset());
                    }
                    if (pos == lim && !ensure(1)) {
                        throw new TornTail();
                    }
                    int k = (int) Math.min(bulkLeft, lim - pos);
                    pos += k;
                    bulkLeft -= k;
                    if (pos - flushed >= (1 << 15)) {
                        flush();
                    }
                }
                crlf(bulkLen);
                argIndex++;
                state = State.ARGS;
            }
            if (argIndex == argc) {
                break;
            }
            long at = offset();
            if (!ensure(1)) {
                throw new TornTail();
            }
            if (buf[pos] != '$') {
                throw new AofFormatException(file, at, "expected '$' (argument " + (argIndex + 1) + " of " + argc
                        + " of the command at byte offset " + start + "), found " + describe(buf[pos] & 0xff));
            }
            long len = number(line(at), '$', at, "bulk length");
            if (len < 0 || len > MAX_BULK) {
                throw new AofFormatException(file, at, "bulk length " + len + " out of range");
            }
            if (argIndex == 0 && len <= NAME_MAX) {
                if (!ensure((int) len)) {
                    throw new TornTail();
                }
                name = new String(buf, pos, (int) len, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
                pos += (int) len;
                crlf(len);
                argIndex++;
            } else {
                bulkLen = len;
                bulkLeft = len;
                state = State.BULK;
            }
        }
        state = State.BETWEEN;
        long end = offset();
        commands++;
        if (name.equals("multi")) {
            if (!inMulti) {
                multiStart = start;
            }
            inMulti = true;
        } else if (name.equals("exec")) {
            inMulti = false;
            lastComplete = end;
        } else if (!inMulti) {
            lastComplete = end;
        }
        return new Command(start, end, name);
    }

    private void crlf(long len) throws IOException, TornTail {
        long crlfAt = offset();
        if (!ensure(2)) {
            throw new TornTail();
        }
        if (buf[pos] != '\r' || buf[pos + 1] != '\n') {
            throw new AofFormatException(file, crlfAt, "the " + len + "-byte argument is not followed by CRLF");
        }
        pos += 2;
    }

    /**
     * An RDB preamble: its end is the first {@code 0xFF} followed by the CRC64 of everything up to
     * and including it (little-endian); with checksums off (eight zero bytes) the first
     * {@code 0xFF} + 8 zeros followed by the end, a command or an annotation.
     */
    private Item preamble() throws IOException, TornTail {
        long start = itemStart;
        long yieldAt = offset() + PARTIAL_EVERY;
        while (true) {
            if (offset() >= yieldAt) {
                return new Partial(start, offset());
            }
            if (!ensure(1)) {
                throw new TornTail();
            }
            byte b = buf[pos++];
            crc = Crc64.update(crc, b);
            if ((b & 0xff) == 0xFF) {
                if (!ensure(8)) {
                    throw new TornTail();
                }
                long stored = le64(buf, pos);
                if (stored == crc && crc != 0) {
                    pos += 8;
                    break;
                }
                if (stored == 0) {
                    boolean more = ensure(9);
                    int after = more ? buf[pos + 8] & 0xff : -1;
                    if (after == -1 || after == '*' || after == '#') {
                        pos += 8;
                        break;
                    }
                }
            }
            if (pos - flushed >= (1 << 15)) {
                flush();
            }
        }
        state = State.BETWEEN;
        long end = offset();
        lastComplete = end;
        return new Preamble(start, end, header);
    }

    static long le64(byte[] b, int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }

    /** A line up to and including LF; a longer one than {@link #MAX_LINE} is an error. */
    private byte[] line(long start) throws IOException, TornTail {
        int scanned = 0;
        while (true) {
            for (int i = pos + scanned; i < lim; i++) {
                if (buf[i] == '\n') {
                    byte[] out = Arrays.copyOfRange(buf, pos, i + 1);
                    pos = i + 1;
                    return out;
                }
            }
            scanned = lim - pos;
            if (scanned > MAX_LINE) {
                throw new AofFormatException(file, start, "a line longer than " + MAX_LINE + " bytes");
            }
            if (!ensure(scanned + 1)) {
                throw new TornTail();
            }
        }
    }

    /** {@code <prefix><decimal digits>\r\n}. */
    private long number(byte[] line, char prefix, long at, String what) throws AofFormatException {
        int n = line.length;
        Long v = n >= 4 && line[0] == prefix && line[n - 2] == '\r' ? digits(line, 1, n - 2) : null;
        if (v == null) {
            String shown = new String(line, 0, Math.min(n, 40), StandardCharsets.ISO_8859_1)
                    .replace("\r", "\\r").replace("\n", "\\n");
            throw new AofFormatException(file, at, "bad " + what + " line '" + shown + "'");
        }
        return v;
    }

    /** The decimal number in [from, to), or null (empty, non-digit, longer than 18 digits). */
    private static Long digits(byte[] b, int from, int to) {
        if (to <= from || to - from > 18) {
            return null;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return null;
            }
            v = v * 10 + d;
        }
        return v;
    }

    private static String describe(int b) {
        return b >= 0x20 && b < 0x7f ? "'" + (char) b + "'" : String.format("byte 0x%02x", b);
    }

    private void flush() throws IOException {
        if (pos > flushed) {
            sink.write(buf, flushed, pos - flushed);
            flushed = pos;
        }
    }

    /** Makes {@code n} bytes available from pos; false if the input ends first. */
    private boolean ensure(int n) throws IOException {
        if (lim - pos >= n) {
            return true;
        }
        flush();
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            base += pos;
            flushed -= pos;
            pos = 0;
        }
        if (n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(n, buf.length * 2));
        }
        while (lim - pos < n && !eof) {
            int r = in.read(buf, lim, buf.length - lim);
            if (r < 0) {
                eof = true;
            } else {
                lim += r;
            }
        }
        return lim - pos >= n;
    }
}
