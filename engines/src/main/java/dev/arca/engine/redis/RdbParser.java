package dev.arca.engine.redis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Walks an RDB stream once, in bounded memory, and returns its keys one at a time.
 *
 * <p>Grammar (engine-formats.md §4.2): {@code "REDIS" %04d-version}, then opcodes — {@code FA}
 * aux (string, string), {@code F7} module aux, {@code F5} function library, {@code FE} select db
 * (len), {@code FB} resize db (len, len), {@code F4} slot info (len ×3), and per key optional
 * {@code FC} expiry (8 bytes LE ms) / {@code FD} (4 bytes LE s), {@code F8} idle (len),
 * {@code F9} freq (1 byte), then the type byte, the key (string) and the value — until {@code FF},
 * followed from version 5 on by the CRC64 (8 bytes LE, 0 when the server did not compute it).
 *
 * <p>Values are walked, not decoded: only lengths are read, and length-prefixed payloads
 * (strings, LZF blobs, ziplists, listpacks, intsets) are skipped through a 64 KiB buffer. Keys are
 * read whole (up to {@link #MAX_KEY}). Every byte consumed goes, in order, to the tee given to the
 * constructor.
 *
 * <p>An RDB whose magic or version this parser does not know (not {@code REDIS0001}..{@code
 * REDIS0012}), or an unknown opcode ({@code F0}–{@code F3}) or a pre-GA module value (type 6),
 * makes the rest of the input opaque: it is still consumed and teed, its keys are not listed,
 * and {@link #warnings()} says so. A value type byte that no RDB version 1–12 has, a truncated
 * input or a wrong CRC64 is an {@link RdbFormatException} naming the byte offset.
 */
public final class RdbParser {
    public static final int MIN_VERSION = 1;
    public static final int MAX_VERSION = 12;
    /** Keys longer than this are refused (Redis allows 512 MB; nobody indexes such keys). */
    public static final int MAX_KEY = 16 << 20;
    /** Aux values kept for the metadata are cut to this many characters. */
    static final int MAX_AUX = 256;

    static final int OP_SLOT_INFO = 0xF4;
    static final int OP_FUNCTION2 = 0xF5;
    static final int OP_FUNCTION_PRE_GA = 0xF6;
    static final int OP_MODULE_AUX = 0xF7;
    static final int OP_IDLE = 0xF8;
    static final int OP_FREQ = 0xF9;
    static final int OP_AUX = 0xFA;
    static final int OP_RESIZEDB = 0xFB;
    static final int OP_EXPIRETIME_MS = 0xFC;
    static final int OP_EXPIRETIME = 0xFD;
    static final int OP_SELECTDB = 0xFE;
    static final int OP_EOF = 0xFF;

    private static final int ENC_INT8 = 0;
    private static final int ENC_INT16 = 1;
    private static final int ENC_INT32 = 2;
    private static final int ENC_LZF = 3;

    private final RdbInput in;
    private final String name;
    private int version = -1;
    private String magic;
    private int db;
    private boolean done;
    private boolean opaque;
    private long opaqueFrom = -1;
    private long trailing;
    private Boolean crcOk;
    private long crcStored;
    private long crcComputed;
    private long end = -1;
    private final Map<String, String> aux = new LinkedHashMap<>();
    private final TreeMap<Integer, Long> keysPerDb = new TreeMap<>();
    private final TreeMap<Integer, Long> expiresPerDb = new TreeMap<>();
    private final List<String> warnings = new ArrayList<>();
    private long functions;
    private long moduleAux;
    private long keys;
    /** Set by readLen when the length byte was a special string encoding. */
    private boolean encoded;

    /**
     * @param name shown in errors and warnings
     * @param tee  receives every byte consumed, or null
     */
    public RdbParser(InputStream in, String name, Tee tee) {
        this.in = new RdbInput(in, name, tee == null ? null : tee::accept);
        this.name = name;
    }

    /** Receives the bytes the parser consumed, in order. */
    public interface Tee {
        void accept(byte[] b, int off, int len) throws IOException;
    }

    /** The next key, or null after the last (then the CRC64 has been checked and the input consumed to its end). */
    public RdbKey next() throws IOException {
        if (done) {
            return null;
        }
        if (version < 0) {
            header();
        }
        if (opaque) {
            finishOpaque();
            return null;
        }
        long recordStart = -1;
        long expire = -1;
        while (true) {
            long at = in.offset();
            int op = in.read();
            if (op < 0) {
                throw in.error(at, "truncated RDB: the input ends before the EOF opcode (0xFF)");
            }
            if (recordStart < 0) {
                recordStart = at;
            }
            switch (op) {
                case OP_EXPIRETIME_MS -> expire = in.le(8, "an expiry time");
                case OP_EXPIRETIME -> expire = in.le(4, "an expiry time") * 1000;
                case OP_IDLE -> readLen("an LRU idle time");
                case OP_FREQ -> in.u8("an LFU frequency");
                case OP_AUX -> {
                    String k = auxString("an aux field name");
                    String v = auxString("the value of aux field '" + k + "'");
                    aux.put(k, v);
                    recordStart = -1;
                }
                case OP_SELECTDB -> {
                    long d = readLen("a database number");
                    if (d < 0 || d > Integer.MAX_VALUE) {
                        throw in.error(at, "database number " + d + " out of range");
                    }
                    db = (int) d;
                    recordStart = -1;
                }
                case OP_RESIZEDB -> {
                    readLen("a database size hint");
                    readLen("an expires size hint");
                    recordStart = -1;
                }
                case OP_SLOT_INFO -> {
                    readLen("a slot number");
                    readLen("a slot size");
                    readLen("a slot expires size");
                    recordStart = -1;
                }
                case OP_FUNCTION2 -> {
                    skipString("a function library");
                    functions++;
                    recordStart = -1;
                }
                case OP_FUNCTION_PRE_GA -> {
                    // 7.0-rc1/rc2: name, engine, has-description (len) [description], code
                    skipString("a function's name");
                    skipString("a function's engine");
                    if (readLen("a function's description flag") != 0) {
                        skipString("a function's description");
                    }
                    skipString("a function's code");
                    functions++;
                    recordStart = -1;
                }
                case OP_MODULE_AUX -> {
                    readModuleId("a module id");
                    long when = readLen("a module aux 'when' opcode");
                    if (when != 2) {
                        throw in.error(at, "module aux data with 'when' opcode " + when + " (expected 2)");
                    }
                    readLen("a module aux 'when'");
                    skipModuleValue(at);
                    moduleAux++;
                    recordStart = -1;
                }
                case OP_EOF -> {
                    eof();
                    return null;
                }
                default -> {
                    if (RdbType.known(op)) {
                        return key(op, recordStart, at, expire);
                    }
                    if (op >= 0xF0 || op == 6 || op == 8) {
                        // An opcode or type of another server or version: keep, but stop indexing.
                        warnings.add(String.format("unknown %s 0x%02x at byte offset %d: the rest of the RDB "
                                + "is stored as opaque bytes and its keys are not indexed",
                                op >= 0xF0 ? "opcode" : "value type", op, at));
                        opaque = true;
                        opaqueFrom = at;
                        finishOpaque();
                        return null;
                    }
                    throw in.error(at, String.format("unknown value type byte 0x%02x (%d); RDB version %d has "
                            + "types 0 to %d", op, op, version, RdbType.MAX));
                }
            }
        }
    }

    private void header() throws IOException {
        byte[] h = new byte[9];
        int n = 0;
        while (n < 9) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            h[n++] = (byte) b;
        }
        magic = new String(h, 0, n, StandardCharsets.ISO_8859_1);
        if (n == 9 && magic.startsWith("REDIS") && magic.substring(5).chars().allMatch(Character::isDigit)) {
            version = Integer.parseInt(magic.substring(5));
            if (version >= MIN_VERSION && version <= MAX_VERSION) {
                return;
            }
            warnings.add("RDB version " + version + " is not one of 1 to 12: the file is stored as opaque bytes "
                    + "and its keys are not indexed");
        } else if (n < 9 && magic.isEmpty()) {
            throw in.error(0, "empty input: not an RDB");
        } else if (n == 9 && magic.startsWith("VALKEY")) {
            version = 0;
            warnings.add("a Valkey RDB (" + magic + "): stored as opaque bytes, its keys are not indexed");
        } else if (n == 9 && magic.startsWith("REDIS")) {
            throw in.error(5, "not an RDB: the header '" + printable(magic) + "' has no 4-digit version");
        } else if (!magic.startsWith("REDIS") && !"REDIS".startsWith(magic)) {
            throw in.error(0, "not an RDB: the input starts with '" + printable(magic) + "', not 'REDIS'");
        } else {
            throw in.error(n, "truncated RDB: the input ends inside the 9-byte header");
        }
        version = Math.max(version, 0);
        opaque = true;
        opaqueFrom = 0;
    }

    private void eof() throws IOException {
        in.stopCrc();
        long eofAt = in.offset() - 1;
        if (version >= 5) {
            crcComputed = in.crc();
            crcStored = in.le(8, "the CRC64 after the EOF opcode");
            if (crcStored == 0) {
                crcOk = null;
            } else if (crcStored != crcComputed) {
                throw in.error(eofAt + 1, "bad CRC64: the RDB says " + Crc64.hex(crcStored) + ", its bytes give "
                        + Crc64.hex(crcComputed));
            } else {
                crcOk = true;
            }
        }
        end = in.offset();
        long[] count = {0};
        in.drain(count);
        trailing = count[0];
        if (trailing > 0) {
            warnings.add(trailing + " bytes after the end of the RDB (byte offset " + end + ") are kept as they are");
        }
        done = true;
    }

    private void finishOpaque() throws IOException {
        long[] count = {0};
        byte[] last = in.drain(count);
        if (last != null && version >= 5 && opaqueFrom > 0) {
            long stored = Crc64.readLe(last, 0);
            crcComputed = in.crc();
            crcStored = stored;
            crcOk = stored != 0 && stored == crcComputed ? Boolean.TRUE : null;
            if (stored != 0 && crcOk == null) {
                warnings.add("the CRC64 of the opaque RDB could not be checked (its last 8 bytes, "
                        + Crc64.hex(stored) + ", are not the CRC64 of the bytes before them, " + Crc64.hex(crcComputed) + ")");
            }
        }
        end = in.offset();
        done = true;
    }

    private RdbKey key(int type, long recordStart, long typeOffset, long expire) throws IOException {
        byte[] key = readString("a key", MAX_KEY);
        long valueStart = in.offset();
        skipValue(type, typeOffset, key);
        in.flush();
        keys++;
        keysPerDb.merge(db, 1L, Long::sum);
        if (expire >= 0) {
            expiresPerDb.merge(db, 1L, Long::sum);
        }
        return new RdbKey(db, key, type, expire, recordStart, typeOffset, valueStart, in.offset());
    }

    private void skipValue(int type, long at, byte[] key) throws IOException {
        String of = "the value of key '" + printable(new String(key, StandardCharsets.ISO_8859_1)) + "'";
        switch (type) {
            case 0 -> skipString(of);
            case 9 -> skipBlob(of, Blob.ZIPMAP);
            case 10, 12, 13 -> skipBlob(of, Blob.ZIPLIST);
            case 11 -> skipBlob(of, Blob.INTSET);
            case 16, 17, 20, 23 -> skipBlob(of, Blob.LISTPACK);
            case 1, 2 -> {
                long n = count(of);
                for (long i = 0; i < n; i++) {
                    skipString(of);
                }
            }
            case 14 -> {
                long n = count(of);
                for (long i = 0; i < n; i++) {
                    skipBlob(of, Blob.ZIPLIST);
                }
            }
            case 3 -> {
                long n = count(of);
                for (long i = 0; i < n; i++) {
                    skipString(of);
                    int l = in.u8(of);
                    if (l < 253) {
                        in.skip(l, of);
                    }
                }
            }
            case 4 -> {
                long n = count(of);
                for (long i = 0; i < n; i++) {
                    skipString(of);
                    skipString(of);
                }
            }
            case 5 -> {
                long n = count(of);
                for (long i = 0; i < n; i++) {
                    skipString(of);
                    in.skip(8, of);
                }
            }
            case 7 -> {
                readModuleId(of);
                skipModuleValue(at);
            }
            case 15, 19, 21 -> skipStream(type, of);
            case 18 -> {
                long n = count(of);
                for (long i = 0; i < n; i++) {
                    long container = readLen(of);
                    if (container == 1) {
                        skipString(of);
                    } else if (container == 2) {
                        skipBlob(of, Blob.LISTPACK);
                    } else {
                        throw in.error(in.offset(), "quicklist node container " + container + " in " + of
                                + " (expected 1 or 2)");
                    }
                }
            }
            case 22, 24 -> {
                if (type == 24) {
                    in.skip(8, of);
                }
                long n = count(of);
                for (long i = 0; i < n; i++) {
                    readLen(of);
                    skipString(of);
                    skipString(of);
                }
            }
            case 25 -> {
                in.skip(8, of);
                skipBlob(of, Blob.LISTPACK);
            }
            default -> throw in.error(at, "unknown value type byte " + type);
        }
    }

    /** The in-memory encodings Redis stores as strings; their headers are checked when the string is not compressed. */
    private enum Blob {
        ZIPLIST("ziplist", 11), LISTPACK("listpack", 7), INTSET("intset", 8), ZIPMAP("zipmap", 2);

        final String name;
        final int min;

        Blob(String name, int min) {
            this.name = name;
            this.min = min;
        }
    }

    /**
     * A string holding a ziplist, listpack, intset or zipmap. Uncompressed, its header is checked
     * against its length (ziplist and listpack: total bytes, last byte 0xFF; intset: encoding 2, 4
     * or 8 and 8 + count × encoding bytes; zipmap: last byte 0xFF) without reading the middle.
     */
    private void skipBlob(String what, Blob kind) throws IOException {
        long at = in.offset();
        long n = readLen(what);
        if (encoded) {
            skipEncoded(at, n, what);
            return;
        }
        if (n < kind.min) {
            throw in.error(at, "corrupt " + kind.name + " in " + what + ": " + n + " bytes, shorter than its "
                    + kind.min + "-byte minimum");
        }
        long start = in.offset();
        byte[] head = new byte[8];
        int h = (int) Math.min(8, n - 1);
        in.readFully(head, 0, h, what);
        in.skip(n - h - 1, what);
        int last = in.u8(what);
        long total = (head[0] & 0xffL) | (head[1] & 0xffL) << 8 | (head[2] & 0xffL) << 16 | (head[3] & 0xffL) << 24;
        String problem = switch (kind) {
            case ZIPLIST, LISTPACK -> total != n ? "its header says " + total + " bytes, the string holds " + n
                    : last != 0xFF ? String.format("it ends with 0x%02x, not 0xff", last) : null;
            case INTSET -> {
                long count = (head[4] & 0xffL) | (head[5] & 0xffL) << 8 | (head[6] & 0xffL) << 16 | (head[7] & 0xffL) << 24;
                yield total != 2 && total != 4 && total != 8 ? "encoding " + total + " (expected 2, 4 or 8)"
                        : 8 + count * total != n ? count + " entries of " + total + " bytes do not fill its " + n + " bytes"
                        : null;
            }
            case ZIPMAP -> last != 0xFF ? String.format("it ends with 0x%02x, not 0xff", last) : null;
        };
        if (problem != null) {
            throw in.error(start, "corrupt " + kind.name + " in " + what + ": " + problem);
        }
    }

    private void skipStream(int type, String of) throws IOException {
        long nodes = count(of);
        for (long i = 0; i < nodes; i++) {
            skipString(of);
            skipBlob(of, Blob.LISTPACK);
        }
        readLen(of);
        readLen(of);
        readLen(of);
        if (type >= 19) {
            for (int i = 0; i < 5; i++) {
                readLen(of);
            }
        }
        long groups = count(of);
        for (long g = 0; g < groups; g++) {
            skipString(of);
            readLen(of);
            readLen(of);
            if (type >= 19) {
                readLen(of);
            }
            long pel = count(of);
            for (long p = 0; p < pel; p++) {
                in.skip(16 + 8, of);
                readLen(of);
            }
            long consumers = count(of);
            for (long c = 0; c < consumers; c++) {
                skipString(of);
                in.skip(type >= 21 ? 16 : 8, of);
                long n = count(of);
                in.skip(n * 16, of);
            }
        }
    }

    /** Module values: {@code <len opcode> <value>} pairs until opcode 0 (EOF). */
    private void skipModuleValue(long at) throws IOException {
        String of = "a module value";
        while (true) {
            long op = readLen(of);
            switch ((int) op) {
                case 0 -> {
                    return;
                }
                case 1, 2 -> readModuleId(of);
                case 3 -> in.skip(4, of);
                case 4 -> in.skip(8, of);
                case 5 -> skipString(of);
                default -> throw in.error(in.offset(), "unknown module value opcode " + op + " in the module value "
                        + "starting at byte offset " + at);
            }
        }
    }

    private long readLen(String what) throws IOException {
        return lenFrom(in.u8(what), what);
    }

    /** A number of items: a length that must fit in 63 bits. */
    private long count(String what) throws IOException {
        long at = in.offset();
        long n = readLen(what);
        if (n < 0 || encoded) {
            throw in.error(at, "bad item count " + Long.toUnsignedString(n) + " in " + what);
        }
        return n;
    }

    /** A module id or a module's signed/unsigned integer: 64 bits, all of them used. */
    private void readModuleId(String what) throws IOException {
        lenFrom(in.u8(what), what, true);
    }

    private long plainLen(String what) throws IOException {
        long at = in.offset();
        long n = readLen(what);
        if (encoded) {
            throw in.error(at, "a string encoding where a length was expected in " + what);
        }
        return n;
    }

    private void skipString(String what) throws IOException {
        long at = in.offset();
        long n = readLen(what);
        if (!encoded) {
            in.skip(n, what);
            return;
        }
        skipEncoded(at, n, what);
    }

    /** The rest of a string whose length byte said special encoding {@code n}. */
    private void skipEncoded(long at, long n, String what) throws IOException {
        switch ((int) n) {
            case ENC_INT8 -> in.skip(1, what);
            case ENC_INT16 -> in.skip(2, what);
            case ENC_INT32 -> in.skip(4, what);
            case ENC_LZF -> {
                long clen = plainLen(what);
                plainLen(what);
                in.skip(clen, what);
            }
            default -> throw in.error(at, "unknown string encoding " + n + " in " + what);
        }
    }

    /** A whole string, decompressed; longer than {@code max} is an error. */
    private byte[] readString(String what, int max) throws IOException {
        long at = in.offset();
        long n = readLen(what);
        if (!encoded) {
            if (n < 0 || n > max) {
                throw in.error(at, what + " of " + n + " bytes is longer than the " + max + " this parser reads whole");
            }
            byte[] b = new byte[(int) n];
            in.readFully(b, 0, b.length, what);
            return b;
        }
        switch ((int) n) {
            case ENC_INT8 -> {
                return Long.toString((byte) in.le(1, what)).getBytes(StandardCharsets.US_ASCII);
            }
            case ENC_INT16 -> {
                return Long.toString((short) in.le(2, what)).getBytes(StandardCharsets.US_ASCII);
            }
            case ENC_INT32 -> {
                return Long.toString((int) in.le(4, what)).getBytes(StandardCharsets.US_ASCII);
            }
            case ENC_LZF -> {
                long clen = plainLen(what);
                long olen = plainLen(what);
                if (clen < 0 || olen < 0 || clen > max || olen > max) {
                    throw in.error(at, what + " of " + olen + " bytes is longer than the " + max
                            + " this parser reads whole");
                }
                byte[] c = new byte[(int) clen];
                in.readFully(c, 0, c.length, what);
                byte[] out = Lzf.decompress(c, (int) olen);
                if (out == null) {
                    throw in.error(at, "corrupt LZF-compressed string in " + what);
                }
                return out;
            }
            default -> throw in.error(at, "unknown string encoding " + n + " in " + what);
        }
    }

    /** An aux string, kept up to {@link #MAX_AUX} characters (the rest is skipped). */
    private String auxString(String what) throws IOException {
        long at = in.offset();
        long n = readLen(what);
        if (!encoded) {
            if (n < 0) {
                throw in.error(at, "length " + Long.toUnsignedString(n) + " in " + what + " is out of range");
            }
            int keep = (int) Math.min(n, MAX_AUX);
            byte[] s = new byte[keep];
            in.readFully(s, 0, keep, what);
            in.skip(n - keep, what);
            return new String(s, StandardCharsets.UTF_8) + (n > keep ? "…" : "");
        }
        int enc = (int) n;
        return switch (enc) {
            case ENC_INT8 -> Long.toString((byte) in.le(1, what));
            case ENC_INT16 -> Long.toString((short) in.le(2, what));
            case ENC_INT32 -> Long.toString((int) in.le(4, what));
            case ENC_LZF -> {
                long clen = plainLen(what);
                long olen = plainLen(what);
                if (clen < 0 || olen < 0 || clen > (1 << 20) || olen > (1 << 20)) {
                    in.skip(clen, what);
                    yield "(" + olen + " bytes)";
                }
                byte[] c = new byte[(int) clen];
                in.readFully(c, 0, c.length, what);
                byte[] out = Lzf.decompress(c, (int) olen);
                if (out == null) {
                    throw in.error(at, "corrupt LZF-compressed string in " + what);
                }
                String s = new String(out, StandardCharsets.UTF_8);
                yield s.length() > MAX_AUX ? s.substring(0, MAX_AUX) + "…" : s;
            }
            default -> throw in.error(at, "unknown string encoding " + enc + " in " + what);
        };
    }

    /** A length whose first byte is {@code b}; sets {@link #encoded} for a special string encoding (then returns it). */
    private long lenFrom(int b, String what) throws IOException {
        return lenFrom(b, what, true);
    }

    private long lenFrom(int b, String what, boolean unsigned) throws IOException {
        encoded = false;
        switch (b >>> 6) {
            case 0:
                return b & 0x3f;
            case 1:
                return ((b & 0x3f) << 8) | in.u8(what);
            case 2:
                if (b == 0x80) {
                    long v = 0;
                    for (int i = 0; i < 4; i++) {
                        v = v << 8 | in.u8(what);
                    }
                    return v;
                }
                if (b == 0x81) {
                    long v = 0;
                    for (int i = 0; i < 8; i++) {
                        v = v << 8 | in.u8(what);
                    }
                    if (v < 0 && !unsigned) {
                        throw in.error(in.offset() - 8, "length " + Long.toUnsignedString(v) + " in " + what
                                + " is out of range");
                    }
                    return v;
                }
                throw in.error(in.offset() - 1, String.format("bad length byte 0x%02x in %s", b, what));
            default:
                encoded = true;
                return b & 0x3f;
        }
    }

    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f || c > 0xff ? String.format("\\x%02x", (int) c & 0xff) : c);
        }
        return s.length() > 64 ? b + "…" : b.toString();
    }

    /** The RDB version (1..12), or the unknown version of an opaque file (0 when not even that). */
    public int version() {
        return version;
    }

    public String magic() {
        return magic;
    }

    public Map<String, String> aux() {
        return Collections.unmodifiableMap(aux);
    }

    public List<String> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    /** Keys per database number. */
    public Map<Integer, Long> keysPerDb() {
        return Collections.unmodifiableMap(keysPerDb);
    }

    public Map<Integer, Long> expiresPerDb() {
        return Collections.unmodifiableMap(expiresPerDb);
    }

    public long keys() {
        return keys;
    }

    public long functions() {
        return functions;
    }

    public long moduleAux() {
        return moduleAux;
    }

    /** True if the CRC64 was checked and matched; null if there was none (version &lt; 5, or stored as 0). */
    public Boolean crcOk() {
        return crcOk;
    }

    public long crcStored() {
        return crcStored;
    }

    /** Offset where the opaque part starts, or -1 if the whole RDB was understood. */
    public long opaqueFrom() {
        return opaqueFrom;
    }

    /** Bytes after the CRC64 (a diskless-transfer mark left in a file, say), kept as they are. */
    public long trailingBytes() {
        return trailing;
    }

    /** The total number of bytes consumed (once done). */
    public long length() {
        return in.offset();
    }

    /** Where the RDB proper ends (after its CRC64), once done. */
    public long end() {
        return end;
    }

    public boolean done() {
        return done;
    }
}
