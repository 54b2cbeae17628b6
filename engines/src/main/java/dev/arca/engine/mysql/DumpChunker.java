package dev.arca.engine.mysql;

import dev.arca.engine.files.BackupSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * Cuts a {@code mariadb-dump} stream into chunks at line starts, so a dump dedups against the
 * previous day's: the dump writes one row per line inside its extended INSERTs, so a changed row
 * changes one chunk, and where the cuts fall depends on the lines around them, not on the offset.
 *
 * <p>After a line the chunk is cut when it holds at least {@link #MIN} bytes and the line's CRC32
 * falls below {@code len × 2³² / AVG} (so cuts come every {@link #AVG} bytes on average whatever the
 * line lengths); always at a statement boundary (before an {@code INSERT INTO} line or a
 * {@code -- Table structure for table} header) once the chunk holds {@link #MIN_AT_STATEMENT}
 * bytes; and at {@link #MAX} bytes (inside a longer line, at that byte).
 *
 * <p>The chunks are small (64 KiB on average) because the dump starts a new INSERT about every
 * megabyte of rows: a row that grew or shrank moves every later statement boundary of its table
 * by a row, and each moved boundary changes the chunks around it, so the smaller they are, the
 * less a one-row change adds.
 * Every complete line is also shown to an observer (to pick up the binlog coordinates).
 */
final class DumpChunker implements BackupSession.ChunkSource {
    static final int MIN = 16 * 1024;
    static final int AVG = 64 * 1024;
    static final int MAX = 1024 * 1024;
    static final int MIN_AT_STATEMENT = 4 * 1024;
    private static final byte[] TABLE_HEADER = "-- Table structure for table ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INSERT = "INSERT INTO ".getBytes(StandardCharsets.US_ASCII);
    /** Lines longer than this are not shown to the observer (they are data, not comments). */
    private static final int OBSERVED_LINE = 4096;

    private final InputStream in;
    private final Consumer<String> lines;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int end;
    private boolean eof;
    private final ByteArrayOutputStream chunk = new ByteArrayOutputStream(AVG * 2);
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
    private final CRC32 crc = new CRC32();

    DumpChunker(InputStream in, Consumer<String> lines) {
        this.in = in;
        this.lines = lines;
    }

    @Override
    public byte[] next() throws IOException {
        while (true) {
            if (!readLine()) {
                if (chunk.size() == 0) {
                    return null;
                }
                return take();
            }
            byte[] l = line.toByteArray();
            if (l.length < OBSERVED_LINE) {
                lines.accept(new String(l, StandardCharsets.UTF_8).stripTrailing());
            }
            if ((startsWith(l, INSERT) || startsWith(l, TABLE_HEADER)) && chunk.size() >= MIN_AT_STATEMENT) {
                byte[] out = take();
                chunk.write(l);
                return out;
            }
            chunk.write(l);
            if (chunk.size() >= MIN) {
                crc.reset();
                crc.update(l);
                if (crc.getValue() < (long) l.length * (1L << 32) / AVG || chunk.size() >= MAX) {
                    return take();
                }
            }
        }
    }

    private byte[] take() {
        byte[] out = chunk.toByteArray();
        chunk.reset();
        return out;
    }

    /** Reads the next line (with its newline) into {@link #line}, at most up to MAX bytes; false at the end. */
    private boolean readLine() throws IOException {
        line.reset();
        int limit = MAX - chunk.size();
        while (true) {
            if (pos == end) {
                if (eof) {
                    return line.size() > 0;
                }
                int n = in.read(buf);
                if (n < 0) {
                    eof = true;
                    continue;
                }
                pos = 0;
                end = n;
            }
            int i = pos;
            int stop = Math.min(end, pos + Math.max(1, limit - line.size()));
            while (i < stop && buf[i] != '\n') {
                i++;
            }
            boolean nl = i < stop;
            if (nl) {
                i++;
            }
            line.write(buf, pos, i - pos);
            pos = i;
            if (nl || line.size() >= limit) {
                return true;
            }
        }
    }

    private static boolean startsWith(byte[] a, byte[] prefix) {
        if (a.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (a[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
