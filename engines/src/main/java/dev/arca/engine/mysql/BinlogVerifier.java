package dev.arca.engine.mysql;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Checks a binlog file as it streams past: the magic, that events chain to the end of the file,
 * and, when its FORMAT_DESCRIPTION event says the server writes checksums
 * ({@code binlog_checksum=CRC32}), every event's CRC32. Also notes the first and last event
 * timestamps and the last GTID of each replication domain.
 *
 * <p>Byte layout (v4): the magic {@code FE 62 69 6E}, then events. Each starts with a 19-byte
 * little-endian header: timestamp u32, type u8, server_id u32, event_length u32 (header included),
 * next_position u32, flags u16. The first event is FORMAT_DESCRIPTION (type 15), whose byte at
 * {@code event_length - 5} is the checksum algorithm (0 off, 1 CRC32); with CRC32 every event ends
 * with the zlib CRC32 of the bytes before it. The server computes the FORMAT_DESCRIPTION CRC with
 * the LOG_EVENT_BINLOG_IN_USE_F flag (0x1) clear, and sets that flag while the file is open.
 */
public final class BinlogVerifier extends FilterInputStream {
    static final byte[] MAGIC = {(byte) 0xfe, 0x62, 0x69, 0x6e};
    static final int HEADER = 19;
    static final int FORMAT_DESCRIPTION = 15;
    static final int GTID = 162;
    private static final int KEEP = 4096;
    private static final int IN_USE_FLAG = 0x1;

    /** An event's CRC32 is wrong or the file is malformed. */
    public static final class CorruptBinlogException extends MysqlException {
        private static final long serialVersionUID = 1L;

        CorruptBinlogException(String message) {
            super(message);
        }
    }

    private final String name;
    private long offset;
    private int magicSeen;
    private final byte[] head = new byte[KEEP];
    private long eventStart = MAGIC.length;
    private long eventLength = -1;
    private long inEvent;
    private final CRC32 crc = new CRC32();
    private final byte[] tail = new byte[4];
    private boolean checksums;
    private boolean sawFormat;
    private long events;
    private long firstTimestamp;
    private long lastTimestamp;
    private final Map<Long, String> gtids = new LinkedHashMap<>();
    private boolean finished;

    public BinlogVerifier(InputStream in, String name) {
        super(in);
        this.name = name;
    }

    @Override
    public int read() throws IOException {
        byte[] b = new byte[1];
        int n = read(b, 0, 1);
        return n < 0 ? -1 : b[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n < 0) {
            finish();
            return -1;
        }
        feed(b, off, n);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] b = new byte[(int) Math.min(n, 8192)];
        int r = read(b, 0, b.length);
        return Math.max(r, 0);
    }

    /** Reads the rest of the stream, checking it. */
    public void drain() throws IOException {
        byte[] b = new byte[65536];
        while (read(b, 0, b.length) >= 0) {
            // checked as it passes
        }
    }

    private void feed(byte[] b, int off, int n) throws CorruptBinlogException {
        int i = off;
        int end = off + n;
        while (i < end) {
            if (magicSeen < MAGIC.length) {
                if (b[i] != MAGIC[magicSeen]) {
                    throw new CorruptBinlogException("binlog file " + name + " does not start with the binlog magic FE 62 69 6E");
                }
                magicSeen++;
                i++;
                offset++;
                continue;
            }
            if (eventLength < 0 && inEvent < HEADER) {
                head[(int) inEvent++] = b[i++];
                offset++;
                if (inEvent == HEADER) {
                    eventLength = u32(head, 9);
                    if (eventLength < HEADER || (checksums && eventLength < HEADER + 4)) {
                        throw new CorruptBinlogException("binlog file " + name + ": event at offset " + eventStart
                                + " has length " + eventLength + ", shorter than its header"
                                + (checksums ? " and checksum" : ""));
                    }
                    if (eventLength == HEADER) {
                        endEvent();
                    }
                    byte[] h = java.util.Arrays.copyOf(head, HEADER);
                    if ((h[4] & 0xff) == FORMAT_DESCRIPTION) {
                        h[17] &= (byte) ~IN_USE_FLAG;
                    }
                    crc.update(h);
                }
                continue;
            }
            int take = (int) Math.min(end - i, eventLength - inEvent);
            if (inEvent < KEEP) {
                int k = (int) Math.min(take, KEEP - inEvent);
                System.arraycopy(b, i, head, (int) inEvent, k);
            }
            long crcEnd = eventLength - 4;
            for (int j = 0; j < take; j++) {
                long pos = inEvent + j;
                if (pos >= crcEnd) {
                    tail[(int) (pos - crcEnd)] = b[i + j];
                }
            }
            if (inEvent < crcEnd) {
                crc.update(b, i, (int) Math.min(take, crcEnd - inEvent));
            }
            inEvent += take;
            i += take;
            offset += take;
            if (inEvent == eventLength) {
                endEvent();
            }
        }
    }

    private void endEvent() throws CorruptBinlogException {
        int type = head[4] & 0xff;
        long ts = u32(head, 0);
        if (events == 0 && type != FORMAT_DESCRIPTION) {
            throw new CorruptBinlogException("binlog file " + name + ": the first event (offset 4) is of type " + type
                    + ", not FORMAT_DESCRIPTION");
        }
        if (type == FORMAT_DESCRIPTION) {
            if (eventLength < HEADER + 5 || eventLength > KEEP) {
                throw new CorruptBinlogException("binlog file " + name + ": FORMAT_DESCRIPTION event at offset " + eventStart
                        + " has an implausible length " + eventLength);
            }
            checksums = head[(int) eventLength - 5] == 1;
            sawFormat = true;
        }
        if (checksums) {
            long expected = u32(tail, 0);
            long actual = crc.getValue();
            if (actual != expected) {
                throw new CorruptBinlogException(String.format("binlog file %s: CRC32 mismatch in the event at offset %d "
                        + "(type %d, length %d): stored %08x, computed %08x", name, eventStart, type, eventLength,
                        expected, actual));
            }
        }
        if (type == GTID && eventLength >= HEADER + 12 && eventLength <= KEEP) {
            long seq = u32(head, HEADER) | (u32(head, HEADER + 4) << 32);
            long domain = u32(head, HEADER + 8);
            gtids.put(domain, domain + "-" + u32(head, 5) + "-" + Long.toUnsignedString(seq));
        }
        if (ts != 0) {
            if (firstTimestamp == 0) {
                firstTimestamp = ts;
            }
            lastTimestamp = ts;
        }
        events++;
        eventStart = offset;
        eventLength = -1;
        inEvent = 0;
        crc.reset();
    }

    private void finish() throws CorruptBinlogException {
        if (finished) {
            return;
        }
        finished = true;
        if (magicSeen < MAGIC.length) {
            throw new CorruptBinlogException("binlog file " + name + " is shorter than the binlog magic");
        }
        if (inEvent != 0) {
            throw new CorruptBinlogException("binlog file " + name + " ends inside the event at offset " + eventStart);
        }
        if (!sawFormat) {
            throw new CorruptBinlogException("binlog file " + name + " holds no FORMAT_DESCRIPTION event");
        }
    }

    /** Bytes read so far = the file's size once the stream ended. */
    public long size() {
        return offset;
    }

    public long events() {
        return events;
    }

    public boolean checksums() {
        return checksums;
    }

    /** Unix seconds of the first and last event with a nonzero timestamp (0 when none). */
    public long firstTimestamp() {
        return firstTimestamp;
    }

    public long lastTimestamp() {
        return lastTimestamp;
    }

    /** The last GTID seen per domain, as {@code domain-server-seq}, comma-separated. */
    public String gtids() {
        return String.join(",", gtids.values());
    }

    private static long u32(byte[] b, int o) {
        return (b[o] & 0xffL) | (b[o + 1] & 0xffL) << 8 | (b[o + 2] & 0xffL) << 16 | (b[o + 3] & 0xffL) << 24;
    }
}
