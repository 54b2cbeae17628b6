package dev.arca.engine.redis.aof;

import dev.arca.engine.redis.Crc64;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes a whole RDB file through while checking it: the header ({@link RdbHeader}), the
 * {@code 0xFF} EOF opcode before the last eight bytes, and those eight bytes as the CRC64 (LE) of
 * everything before them (all zero: written with {@code rdbchecksum no}; RDB before version 5 has
 * no trailer and is not checked). Call {@link #verify()} after reading to the end.
 */
final class RdbCheck extends FilterInputStream {
    private static final int HEAD = 1 << 16;
    private final String file;
    private final byte[] head = new byte[HEAD];
    private int headLen;
    private final byte[] ring = new byte[8];
    private int ringHead;
    private int ringLen;
    private long crc;
    private int lastCrcByte = -1;
    private long length;

    RdbCheck(InputStream in, String file) {
        super(in);
        this.file = file;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            feed((byte) b);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        for (int i = 0; i < n; i++) {
            feed(b[off + i]);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] tmp = new byte[8192];
        long done = 0;
        while (done < n) {
            int r = read(tmp, 0, (int) Math.min(tmp.length, n - done));
            if (r < 0) {
                break;
            }
            done += r;
        }
        return done;
    }

    private void feed(byte x) {
        length++;
        if (headLen < HEAD) {
            head[headLen++] = x;
        }
        if (ringLen == 8) {
            byte out = ring[ringHead];
            crc = Crc64.update(crc, out);
            lastCrcByte = out & 0xff;
            ring[ringHead] = x;
            ringHead = (ringHead + 1) & 7;
        } else {
            ring[(ringHead + ringLen) & 7] = x;
            ringLen++;
        }
    }

    /** The header, the EOF opcode and the CRC64; returns the header and the CRC64 (null if none). */
    Result verify() throws AofFormatException {
        RdbHeader h = RdbHeader.parse(head, 0, headLen);
        if (h == null) {
            throw new AofFormatException(file, 0, "not an RDB file (it must start with 'REDIS' and a 4-digit version)");
        }
        if (h.version() < 5) {
            return new Result(h, null);
        }
        if (ringLen < 8 || lastCrcByte != 0xFF) {
            throw new AofFormatException(file, Math.max(0, length - 9), "the RDB does not end with the EOF opcode 0xFF "
                    + "and an 8-byte CRC64: the file is truncated or damaged");
        }
        byte[] tail = new byte[8];
        for (int i = 0; i < 8; i++) {
            tail[i] = ring[(ringHead + i) & 7];
        }
        long stored = RespScanner.le64(tail, 0);
        if (stored == 0) {
            return new Result(h, null);
        }
        if (stored != crc) {
            throw new AofFormatException(file, length - 8, String.format(
                    "RDB CRC64 mismatch: stored %016x, computed %016x over bytes 0..%d", stored, crc, length - 9));
        }
        return new Result(h, String.format("%016x", crc));
    }

    long length() {
        return length;
    }

    record Result(RdbHeader header, String crc64) {
    }
}
