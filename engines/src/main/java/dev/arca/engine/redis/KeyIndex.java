package dev.arca.engine.redis;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The key index stored beside an RDB in a snapshot ({@value #PATH}), so that browsing and key
 * restore need not walk the RDB again. Layout:
 * <pre>
 * "ARCAKEYS" (8 bytes) version (1 byte, {@value #VERSION})
 * per key, in RDB order, until the end of the file:
 *   uvarint db
 *   uvarint key length, key bytes
 *   u8      value type byte
 *   uvarint expiry ms + 1 (0 = no expiry)
 *   uvarint recordStart − previous key's end (the first key: − 0)
 *   uvarint typeOffset − recordStart
 *   uvarint valueStart − typeOffset
 *   uvarint end − valueStart
 * </pre>
 * (uvarint: 7 bits a byte, low first, high bit set on all but the last.)
 */
public final class KeyIndex {
    public static final String DIR = ".arca";
    public static final String NAME = "keys";
    public static final String PATH = DIR + "/" + NAME;
    static final byte[] MAGIC = "ARCAKEYS".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;

    private KeyIndex() {
    }

    /** Writes an index; {@link #add} keys in RDB order. */
    public static final class Writer {
        private final OutputStream out;
        private long prevEnd;

        public Writer(OutputStream out) throws IOException {
            this.out = out;
            out.write(MAGIC);
            out.write(VERSION);
        }

        public void add(RdbKey k) throws IOException {
            uvarint(k.db());
            uvarint(k.key().length);
            out.write(k.key());
            out.write(k.type());
            uvarint(k.expireMs() < 0 ? 0 : k.expireMs() + 1);
            uvarint(k.recordStart() - prevEnd);
            uvarint(k.typeOffset() - k.recordStart());
            uvarint(k.valueStart() - k.typeOffset());
            uvarint(k.end() - k.valueStart());
            prevEnd = k.end();
        }

        private void uvarint(long v) throws IOException {
            while ((v & ~0x7fL) != 0) {
                out.write((int) ((v & 0x7f) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }
    }

    /** Reads an index back, one key at a time; closing it closes the stream. */
    public static final class Reader implements AutoCloseable {
        private final InputStream in;
        private final String name;
        private long prevEnd;
        private long offset;

        public Reader(InputStream in, String name) throws IOException {
            this.in = in;
            this.name = name;
            byte[] h = new byte[MAGIC.length + 1];
            readFully(h);
            if (!Arrays.equals(Arrays.copyOf(h, MAGIC.length), MAGIC)) {
                throw new IOException(name + ": not an arca Redis key index");
            }
            if (h[MAGIC.length] != VERSION) {
                throw new IOException(name + ": key index version " + h[MAGIC.length] + " is not supported (this arca reads "
                        + VERSION + ")");
            }
        }

        /** The next key, or null at the end. */
        public RdbKey next() throws IOException {
            int first = in.read();
            if (first < 0) {
                return null;
            }
            offset++;
            long db = uvarint(first);
            long klen = uvarint(byteOrEof());
            if (klen > RdbParser.MAX_KEY || db > Integer.MAX_VALUE) {
                throw new IOException(name + ": corrupt key index at byte " + offset);
            }
            byte[] key = new byte[(int) klen];
            readFully(key);
            int type = byteOrEof();
            long exp = uvarint(byteOrEof()) - 1;
            long recordStart = prevEnd + uvarint(byteOrEof());
            long typeOffset = recordStart + uvarint(byteOrEof());
            long valueStart = typeOffset + uvarint(byteOrEof());
            long end = valueStart + uvarint(byteOrEof());
            prevEnd = end;
            return new RdbKey((int) db, key, type, exp, recordStart, typeOffset, valueStart, end);
        }

        private int byteOrEof() throws IOException {
            int b = in.read();
            if (b < 0) {
                throw new EOFException(name + ": the key index ends inside an entry");
            }
            offset++;
            return b;
        }

        private long uvarint(int first) throws IOException {
            long v = first & 0x7f;
            int shift = 7;
            int b = first;
            while ((b & 0x80) != 0) {
                if (shift > 63) {
                    throw new IOException(name + ": corrupt varint in the key index at byte " + offset);
                }
                b = byteOrEof();
                v |= (long) (b & 0x7f) << shift;
                shift += 7;
            }
            return v;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }

        private void readFully(byte[] b) throws IOException {
            int n = in.readNBytes(b, 0, b.length);
            if (n != b.length) {
                throw new EOFException(name + ": the key index is truncated");
            }
            offset += n;
        }
    }
}
