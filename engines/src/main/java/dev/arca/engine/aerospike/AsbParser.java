package dev.arca.engine.aerospike;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A streaming, validating reader of the {@code asbackup} text format, versions 3.0 and 3.1
 * (engine-formats.md §2; {@code dec_text.c} of aerospike-tools-backup). Memory holds one item
 * (or, with {@code keepValues} off, one item without its values) plus a 64 KiB buffer.
 *
 * <pre>
 * file    = "Version " ("3.0" | "3.1") LF meta* (global | record)*
 * meta    = "# namespace " tok LF | "# first-file" LF
 * global  = "* i " tok SP tok SP tok SP itype SP n (SP tok SP ptype){n} [SP tok] LF
 *         | "* u " type SP tok SP len SP raw(len) LF
 * record  = ["+ k " key LF] "+ n " tok LF "+ d " b64(28) LF ["+ s " tok LF]
 *           "+ g " u16 LF "+ t " u32 LF "+ b " u16 LF bin{count}
 * bin     = "- " btype ["!"] SP tok (LF | SP value LF)
 * </pre>
 * A {@code tok} ends at an unescaped space or LF; in 3.1 a backslash escapes the next byte, in 3.0
 * there are no escapes. Length-prefixed values are raw and may hold LF and NUL.
 *
 * <p>Every error is an {@link AsbFormatException} naming the file, line and column. Bytes are
 * handed to the {@link Sink} (if any) in order as they are consumed, so a caller can store the
 * input verbatim while it is validated.
 */
public final class AsbParser {
    /** Receives every byte of the input, in order, once it is consumed. */
    public interface Sink {
        void accept(byte[] b, int off, int len) throws IOException;
    }

    static final byte LF = '\n';
    static final byte SP = ' ';
    static final String BIN_TYPES = "NZIDSXGBJCPRHEYMLU";
    static final long MAX_SIZE = 1L << 50;
    /** What C's strtod reads fully, as the C tool checks it: decimal, nan, inf, infinity. */
    private static final java.util.regex.Pattern DOUBLE = java.util.regex.Pattern.compile(
            "[+-]?((?i:nan|inf|infinity)|([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?)");
    private static final boolean[] BASE64 = new boolean[256];

    static {
        for (byte b : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(StandardCharsets.US_ASCII)) {
            BASE64[b] = true;
        }
    }

    private static final byte[] ZSTD_MAGIC = {(byte) 0x28, (byte) 0xb5, (byte) 0x2f, (byte) 0xfd};

    private final InputStream in;
    private final String file;
    private final boolean keepValues;
    private final Sink sink;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int end;
    private int sunk;
    private boolean eof;
    private long base;        // stream offset of buf[0]
    private long line = 1;
    private long col = 1;
    private long lastLine = 1;
    private long lastCol = 1;
    private String version;
    private boolean legacy;
    private boolean bodyStarted;
    private long itemStart;
    private byte[] namespace;

    public AsbParser(InputStream in, String file, boolean keepValues, Sink sink) {
        this.in = in;
        this.file = file;
        this.keepValues = keepValues;
        this.sink = sink;
    }

    public AsbParser(InputStream in, String file) {
        this(in, file, true, null);
    }

    /** "3.0" or "3.1"; reads the header if needed. */
    public String version() throws IOException {
        if (version == null) {
            readHeader();
        }
        return version;
    }

    /** Stream offset of the first byte of the item last returned by {@link #next}. */
    public long itemStart() {
        return itemStart;
    }

    /** Bytes consumed so far. */
    public long position() {
        return base + pos;
    }

    /** The next item, or null at the end of the input. */
    public AsbItem next() throws IOException {
        version();
        if (!ensure(1)) {
            flush();
            return null;
        }
        itemStart = position();
        int c = buf[pos] & 0xff;
        AsbItem item;
        switch (c) {
            case '#' -> {
                if (bodyStarted) {
                    throw error(line, col, "a '#' meta line after secondary indexes, UDFs or records");
                }
                item = readMeta();
            }
            case '*' -> {
                if (legacy) {
                    throw error(line, col, "'*' lines (secondary indexes, UDFs) do not exist in format 3.0");
                }
                bodyStarted = true;
                item = readGlobal();
            }
            case '+' -> {
                bodyStarted = true;
                item = readRecord();
            }
            default -> throw error(line, col, "expected a line starting with '#', '*' or '+', found " + show(c));
        }
        flush();
        return item;
    }

    // ---- header and sections -------------------------------------------------------------------

    private void readHeader() throws IOException {
        ensure(512);
        byte[] v = "Version ".getBytes(StandardCharsets.US_ASCII);
        int avail = end - pos;
        if (avail >= 4 && Arrays.equals(buf, pos, pos + 4, ZSTD_MAGIC, 0, 4)) {
            throw new AsbFormatException(file, "compressed with zstd (asbackup --compress zstd); arca stores .asb "
                    + "text files: back up without --compress, or decompress the file first");
        }
        if (avail < v.length || !Arrays.equals(buf, pos, pos + v.length, v, 0, v.length)) {
            if (avail == 0) {
                throw new AsbFormatException(file, "empty file; an .asb file starts with 'Version 3.1'");
            }
            int binary = 0;
            for (int i = pos; i < end; i++) {
                int b = buf[i] & 0xff;
                if (b < 0x20 && b != '\n' && b != '\t' || b >= 0x7f) {
                    binary++;
                }
            }
            if (binary * 8 > avail) {
                throw new AsbFormatException(file, "not asbackup text: binary data where 'Version 3.1' should be; "
                        + "it looks encrypted or compressed (asbackup --encrypt/--compress); back up the "
                        + "decrypted, uncompressed .asb files");
            }
            throw error(1, 1, "not an asbackup file: expected 'Version 3.0' or 'Version 3.1'");
        }
        for (byte b : v) {
            expect(b);
        }
        long l = line;
        long cl = col;
        byte[] ver = readRawUntil(LF, 8);
        String s = new String(ver, StandardCharsets.US_ASCII);
        if (!s.equals("3.0") && !s.equals("3.1")) {
            throw error(l, cl, "unsupported format version '" + s + "' (arca reads 3.0 and 3.1)");
        }
        expect(LF);
        version = s;
        legacy = s.equals("3.0");
    }

    private AsbItem readMeta() throws IOException {
        expect('#');
        expect(SP);
        long l = line;
        long c = col;
        byte[] word = token(64);
        String w = new String(word, StandardCharsets.US_ASCII);
        switch (w) {
            case "namespace" -> {
                if (namespace != null) {
                    throw error(l, c, "a second '# namespace' line");
                }
                expect(SP);
                byte[] ns = nonEmptyToken("namespace");
                expect(LF);
                namespace = ns;
                return new AsbItem.Namespace(ns);
            }
            case "first-file" -> {
                expect(LF);
                return new AsbItem.FirstFile();
            }
            default -> throw error(l, c, "unknown meta line '# " + w + "'");
        }
    }

    private AsbItem readGlobal() throws IOException {
        expect('*');
        expect(SP);
        int kind = read();
        expect(SP);
        if (kind == 'i') {
            byte[] ns = nonEmptyToken("namespace");
            expect(SP);
            byte[] set = token(1 << 10);
            expect(SP);
            byte[] name = nonEmptyToken("index name");
            expect(SP);
            int itype = read();
            if ("NLKV".indexOf(itype) < 0) {
                throw error(lastLine, lastCol, "invalid index type " + show(itype) + " (expected N, L, K or V)");
            }
            expect(SP);
            long n = number(SP, "path count");
            if (n < 1 || n > 64) {
                throw error(lastLine, lastCol, "invalid path count " + n);
            }
            List<byte[]> paths = new ArrayList<>();
            for (long i = 0; i < n; i++) {
                expect(SP);
                paths.add(nonEmptyToken("index path"));
                expect(SP);
                int ptype = read();
                if ("SNGB".indexOf(ptype) < 0) {
                    throw error(lastLine, lastCol, "invalid path type " + show(ptype) + " (expected S, N, G or B)");
                }
                paths.add(new byte[] {(byte) ptype});
            }
            byte[] ctx = null;
            if (peek() == SP) {
                read();
                ctx = nonEmptyToken("index context");
                checkBase64(ctx, lastLine, lastCol);
            }
            expect(LF);
            return new AsbItem.SecondaryIndex(ns, set, name, (byte) itype, paths, ctx);
        }
        if (kind == 'u') {
            int type = read();
            if (type != 'L') {
                throw error(lastLine, lastCol, "invalid UDF type " + show(type) + " (expected L for Lua)");
            }
            expect(SP);
            byte[] name = nonEmptyToken("UDF name");
            expect(SP);
            long len = number(SP, "UDF size");
            expect(SP);
            byte[] body = raw(len, true);
            expect(LF);
            return new AsbItem.Udf((byte) type, name, body);
        }
        throw error(lastLine, lastCol, "invalid global line type " + show(kind) + " (expected i or u)");
    }

    private AsbItem.Record readRecord() throws IOException {
        int f = field();
        AsbItem.Key key = null;
        if (f == 'k') {
            key = readKey();
            f = field();
        }
        want(f, 'n');
        long nl = line;
        long nc = col;
        byte[] ns = nonEmptyToken("namespace");
        if (namespace != null && !Arrays.equals(ns, namespace)) {
            throw error(nl, nc, "record in namespace '" + AsbItem.text(ns) + "', the file's is '"
                    + AsbItem.text(namespace) + "'");
        }
        expect(LF);
        want(field(), 'd');
        long dl = line;
        long dc = col;
        byte[] d64 = readRawUntil(LF, 64);
        byte[] digest = d64.length == 28 ? decodeBase64(d64) : null;
        if (digest == null || digest.length != 20) {
            throw error(dl, dc, "invalid digest: expected 28 base64 characters for 20 bytes");
        }
        expect(LF);
        f = field();
        byte[] set = null;
        if (f == 's') {
            set = nonEmptyToken("set");
            expect(LF);
            f = field();
        }
        want(f, 'g');
        long gen = number(LF, "generation");
        if (gen > 65535) {
            throw error(lastLine, lastCol, "generation " + gen + " is out of range 0..65535");
        }
        expect(LF);
        want(field(), 't');
        long ttl = number(LF, "expiration time");
        if (ttl > 0xffffffffL) {
            throw error(lastLine, lastCol, "expiration time " + ttl + " is out of range 0..4294967295");
        }
        expect(LF);
        want(field(), 'b');
        long count = number(LF, "bin count");
        if (count > 65535) {
            throw error(lastLine, lastCol, "bin count " + count + " is out of range 0..65535");
        }
        expect(LF);
        List<AsbItem.Bin> bins = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            bins.add(readBin());
        }
        return new AsbItem.Record(key, ns, digest, set, (int) gen, ttl, bins);
    }

    /** Reads {@code "+ " c " "} and returns c. */
    private int field() throws IOException {
        if (!ensure(1)) {
            throw error(line, col, "the file ends inside a record");
        }
        expect('+');
        expect(SP);
        int c = read();
        expect(SP);
        return c;
    }

    private void want(int got, int wanted) throws IOException {
        if (got != wanted) {
            throw error(line, col - 2, "expected record line '+ " + (char) wanted + "', found '+ " + showRaw(got) + "'");
        }
    }

    private AsbItem.Key readKey() throws IOException {
        int t = read();
        boolean compact = false;
        byte[] v;
        switch (t) {
            case 'I' -> {
                expect(SP);
                v = integerText();
            }
            case 'D' -> {
                expect(SP);
                v = doubleText();
            }
            case 'S' -> {
                expect(SP);
                v = raw(number(SP, "string size"), true, SP);
            }
            case 'X' -> {
                expect(SP);
                v = base64Value(true);
            }
            case 'B' -> {
                if (peek() == '!') {
                    read();
                    compact = true;
                }
                expect(SP);
                v = compact ? raw(number(SP, "bytes size"), true, SP) : base64Value(true);
            }
            default -> throw error(lastLine, lastCol, "invalid key type " + show(t) + " (expected I, D, S, X or B)");
        }
        expect(LF);
        return new AsbItem.Key((byte) t, compact, v);
    }

    private AsbItem.Bin readBin() throws IOException {
        if (!ensure(1)) {
            throw error(line, col, "the file ends inside a record: a bin is missing");
        }
        expect('-');
        expect(SP);
        int t = read();
        if (BIN_TYPES.indexOf(t) < 0 || t < 0) {
            throw error(lastLine, lastCol, "invalid bin type " + show(t));
        }
        if (t == 'U') {
            throw error(lastLine, lastCol, "LDT bin (type U): large data types are not supported by asrestore");
        }
        boolean compact = false;
        if (peek() == '!') {
            read();
            compact = true;
        }
        expect(SP);
        byte[] name = nonEmptyToken("bin name");
        if (t == 'N') {
            expect(LF);
            return new AsbItem.Bin((byte) t, compact, name, new byte[0]);
        }
        expect(SP);
        byte[] v;
        switch (t) {
            case 'Z' -> {
                int b = read();
                if (b != 'T' && b != 'F') {
                    throw error(lastLine, lastCol, "invalid boolean " + show(b) + " (expected T or F)");
                }
                v = new byte[] {(byte) b};
            }
            case 'I' -> v = integerText();
            case 'D' -> v = doubleText();
            case 'S', 'G' -> v = raw(number(SP, "string size"), keepValues, SP);
            case 'X' -> v = base64Value(keepValues);
            default -> v = compact ? raw(number(SP, "bytes size"), keepValues, SP) : base64Value(keepValues);
        }
        expect(LF);
        return new AsbItem.Bin((byte) t, compact, name, v);
    }

    // ---- values --------------------------------------------------------------------------------

    private byte[] integerText() throws IOException {
        long l = line;
        long c = col;
        byte[] t = readRawUntil(LF, 32);
        int i = t.length > 0 && t[0] == '-' ? 1 : 0;
        if (i == t.length) {
            throw error(l, c, "expected an integer");
        }
        for (int k = i; k < t.length; k++) {
            if (t[k] < '0' || t[k] > '9') {
                throw error(l, c + k, "invalid character " + show(t[k] & 0xff) + " in an integer");
            }
        }
        try {
            Long.parseLong(new String(t, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw error(l, c, "integer out of the 64-bit range");
        }
        return t;
    }

    private byte[] doubleText() throws IOException {
        long l = line;
        long c = col;
        byte[] t = readRawUntil(LF, 64);
        String s = new String(t, StandardCharsets.US_ASCII);
        if (!DOUBLE.matcher(s).matches()) {
            throw error(l, c, "invalid floating-point value '" + s + "'");
        }
        return t;
    }

    private byte[] base64Value(boolean keep) throws IOException {
        long n = number(SP, "base64 size");
        if ((n & 3) != 0) {
            throw error(lastLine, lastCol, "base64 size " + n + " is not a multiple of 4");
        }
        expect(SP);
        long l = line;
        long c = col;
        byte[] v = raw(n, true);
        checkBase64(v, l, c);
        return keep ? v : new byte[0];
    }

    private void checkBase64(byte[] v, long l, long c) throws AsbFormatException {
        if (!isBase64(v)) {
            throw error(l, c, "invalid base64 data");
        }
    }

    /** Standard alphabet, '=' padding only at the end, length a multiple of 4. */
    static boolean isBase64(byte[] v) {
        int n = v.length;
        if ((n & 3) != 0) {
            return false;
        }
        int pad = n > 0 && v[n - 1] == '=' ? (v[n - 2] == '=' ? 2 : 1) : 0;
        for (int i = 0; i < n - pad; i++) {
            if (!BASE64[v[i] & 0xff]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] decodeBase64(byte[] v) {
        if ((v.length & 3) != 0) {
            return null;
        }
        try {
            return java.util.Base64.getDecoder().decode(v);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A size, then SP, then that many raw bytes; {@code after} is the separator already expected. */
    private byte[] raw(long len, boolean keep, byte sep) throws IOException {
        expect(sep);
        return raw(len, keep);
    }

    /**
     * Exactly {@code len} raw bytes (LF and NUL allowed); kept or skipped. The buffer grows with
     * the bytes actually read, so a false length in a damaged file cannot allocate much.
     */
    private byte[] raw(long len, boolean keep) throws IOException {
        if (keep && len > Integer.MAX_VALUE - 16) {
            throw error(line, col, "value of " + len + " bytes is too large");
        }
        byte[] out = keep ? new byte[(int) Math.min(len, 1 << 16)] : null;
        long done = 0;
        while (done < len) {
            if (!ensure(1)) {
                throw error(line, col, "the file ends inside a value of " + len + " bytes (" + done + " read)");
            }
            int n = (int) Math.min(len - done, end - pos);
            if (keep) {
                if (done + n > out.length) {
                    out = Arrays.copyOf(out, (int) Math.min(len, Math.max(done + n, 2L * out.length)));
                }
                System.arraycopy(buf, pos, out, (int) done, n);
            }
            for (int i = pos; i < pos + n; i++) {
                if (buf[i] == LF) {
                    line++;
                    col = 1;
                } else {
                    col++;
                }
            }
            pos += n;
            done += n;
        }
        return keep ? out : new byte[0];
    }

    /** A non-negative decimal number ending at {@code delim} (not consumed). */
    private long number(byte delim, String what) throws IOException {
        long l = line;
        long c = col;
        long v = 0;
        int digits = 0;
        while (true) {
            int b = peek();
            if (b == delim) {
                break;
            }
            read();
            if (b < '0' || b > '9') {
                throw error(lastLine, lastCol, "invalid character " + show(b) + " in the " + what + ", expected a digit");
            }
            v = v * 10 + (b - '0');
            if (v > MAX_SIZE) {
                throw error(l, c, what + " is too large");
            }
            digits++;
        }
        if (digits == 0) {
            throw error(l, c, "expected the " + what);
        }
        return v;
    }

    // ---- tokens --------------------------------------------------------------------------------

    private byte[] nonEmptyToken(String what) throws IOException {
        long l = line;
        long c = col;
        byte[] t = token(1 << 12);
        if (t.length == 0) {
            throw error(l, c, "empty " + what);
        }
        return t;
    }

    /** Bytes up to an unescaped SP or LF (not consumed), unescaped in 3.1. */
    private byte[] token(int max) throws IOException {
        byte[] out = new byte[32];
        int n = 0;
        while (true) {
            int b = peek();
            if (b == SP || b == LF) {
                break;
            }
            read();
            if (b == '\\' && !legacy) {
                b = read();
            }
            if (n == max) {
                throw error(lastLine, lastCol, "token longer than " + max + " bytes");
            }
            if (n == out.length) {
                out = Arrays.copyOf(out, n * 2);
            }
            out[n++] = (byte) b;
        }
        return Arrays.copyOf(out, n);
    }

    /** Bytes up to {@code delim} (not consumed), no escapes. */
    private byte[] readRawUntil(byte delim, int max) throws IOException {
        byte[] out = new byte[max];
        int n = 0;
        while (true) {
            int b = peek();
            if (b == delim) {
                break;
            }
            if (n == max) {
                throw error(line, col, "token longer than " + max + " bytes");
            }
            read();
            out[n++] = (byte) b;
        }
        return Arrays.copyOf(out, n);
    }

    // ---- bytes ---------------------------------------------------------------------------------

    private void expect(int want) throws IOException {
        if (!ensure(1)) {
            throw error(line, col, "unexpected end of file, expected " + show(want));
        }
        int b = read();
        if (b != want) {
            throw error(lastLine, lastCol, "expected " + show(want) + ", found " + show(b));
        }
    }

    private int peek() throws IOException {
        if (!ensure(1)) {
            throw error(line, col, "unexpected end of file");
        }
        return buf[pos] & 0xff;
    }

    private int read() throws IOException {
        if (!ensure(1)) {
            throw error(line, col, "unexpected end of file");
        }
        int b = buf[pos++] & 0xff;
        lastLine = line;
        lastCol = col;
        if (b == LF) {
            line++;
            col = 1;
        } else {
            col++;
        }
        return b;
    }

    /** Makes {@code n} bytes available if the stream has them. */
    private boolean ensure(int n) throws IOException {
        if (end - pos >= n) {
            return true;
        }
        if (eof) {
            return false;
        }
        flush();
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, end - pos);
            end -= pos;
            base += pos;
            sunk -= pos;
            pos = 0;
        }
        while (end - pos < n && !eof) {
            int r = in.read(buf, end, buf.length - end);
            if (r < 0) {
                eof = true;
            } else {
                end += r;
            }
        }
        return end - pos >= n;
    }

    /** Hands the consumed bytes not yet handed to the sink. */
    private void flush() throws IOException {
        if (sink != null && pos > sunk) {
            sink.accept(buf, sunk, pos - sunk);
        }
        sunk = Math.max(sunk, pos);
    }

    private AsbFormatException error(long l, long c, String problem) {
        return new AsbFormatException(file, l, c, problem);
    }

    private static String show(int c) {
        if (c < 0) {
            return "end of file";
        }
        if (c == '\n') {
            return "end of line";
        }
        if (c == ' ') {
            return "space";
        }
        if (c >= 0x21 && c < 0x7f) {
            return "'" + (char) c + "'";
        }
        return String.format("byte 0x%02x", c);
    }

    private static String showRaw(int c) {
        return c >= 0x21 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c);
    }
}
