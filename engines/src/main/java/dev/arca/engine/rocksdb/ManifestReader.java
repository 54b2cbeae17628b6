package dev.arca.engine.rocksdb;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.CRC32C;

/**
 * Replays a MANIFEST to find a closed database's live files.
 *
 * <p>The MANIFEST is a log ({@code db/log_format.h}): 32 KiB blocks of records, each with a
 * header {@code masked crc32c (4 LE) | length (2 LE) | type (1)} (recyclable types 5–8 add a
 * 4-byte log number); FIRST/MIDDLE/LAST fragments join into one logical record, a block tail
 * under 7 bytes is padding. Each logical record is a VersionEdit ({@code db/version_edit.cc}):
 * {@code varint32 tag} + payload pairs. Only what decides the live set is kept: table files added
 * and deleted per column family, blob files added and fully garbage, dropped column families, log
 * numbers, the last sequence number. A record whose CRC does not match is corruption; a torn record
 * at the very end (a writer that stopped mid-record) ends the log, as RocksDB's recovery does.
 */
final class ManifestReader {
    static final int BLOCK = 32768;
    private static final int FULL = 1;
    private static final int FIRST = 2;
    private static final int MIDDLE = 3;
    private static final int LAST = 4;
    private static final long FILE_NUMBER_MASK = 0x3FFFFFFFFFFFFFFFL;
    private static final int SAFE_IGNORE = 1 << 13;

    /** What the MANIFEST says is live. */
    record LiveSet(String manifest, Set<Long> tables, Set<Long> blobs, long minLogNumber, long prevLogNumber,
                   long lastSequence, long nextFileNumber) {
        boolean walIsLive(long number) {
            return number >= minLogNumber || number == prevLogNumber && prevLogNumber != 0;
        }
    }

    private final Map<Integer, Set<Long>> tablesByCf = new HashMap<>();
    private final Map<Integer, Long> logByCf = new HashMap<>();
    private final Map<Long, long[]> blobs = new TreeMap<>();
    private final Set<Integer> liveCfs = new HashSet<>(Set.of(0));
    private long minLogToKeep;
    private long prevLog;
    private long lastSequence;
    private long nextFile;

    private ManifestReader() {
    }

    /**
     * Reads CURRENT and the MANIFEST it names in {@code dbDir}, block by block: a MANIFEST can
     * grow to {@code max_manifest_file_size} (1 GiB by default), memory stays at one block plus
     * the live set.
     */
    static LiveSet read(Path dbDir) throws IOException {
        Path current = dbDir.resolve("CURRENT");
        if (!Files.isRegularFile(current)) {
            throw new RocksdbException(dbDir + ": not a RocksDB database directory (no CURRENT file)");
        }
        String text = new String(Files.readAllBytes(current), StandardCharsets.ISO_8859_1);
        if (!text.endsWith("\n") || !text.startsWith("MANIFEST-")
                || RocksFiles.parse(text.strip()).kind() != RocksFiles.Kind.MANIFEST) {
            throw new RocksdbException(current + ": does not name a MANIFEST (content '" + text.strip() + "')");
        }
        String manifest = text.strip();
        try (InputStream in = Files.newInputStream(dbDir.resolve(manifest))) {
            return parse(in, manifest);
        } catch (NoSuchFileException e) {
            throw new RocksdbException(current + " names " + manifest + ", which does not exist in " + dbDir);
        }
    }

    /** Replays the MANIFEST bytes named {@code manifest}. */
    static LiveSet parse(byte[] bytes, String manifest) throws RocksdbException {
        try {
            return parse(new ByteArrayInputStream(bytes), manifest);
        } catch (RocksdbException e) {
            throw e;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a byte array does not fail to read
        }
    }

    /** Replays the MANIFEST read from {@code in}, named {@code manifest} in errors. */
    static LiveSet parse(InputStream in, String manifest) throws IOException {
        ManifestReader r = new ManifestReader();
        r.replay(in, manifest);
        Set<Long> tables = new TreeSet<>();
        long minLog = Long.MAX_VALUE;
        for (int cf : r.liveCfs) {
            tables.addAll(r.tablesByCf.getOrDefault(cf, Set.of()));
            minLog = Math.min(minLog, r.logByCf.getOrDefault(cf, 0L));
        }
        if (r.minLogToKeep > 0) {
            minLog = Math.min(minLog, r.minLogToKeep);
        }
        Set<Long> liveBlobs = new TreeSet<>();
        r.blobs.forEach((n, counts) -> {
            if (counts[1] < counts[0] || counts[0] == 0) {
                liveBlobs.add(n);
            }
        });
        return new LiveSet(manifest, tables, liveBlobs, minLog == Long.MAX_VALUE ? 0 : minLog, r.prevLog,
                r.lastSequence, r.nextFile);
    }

    /**
     * Reads the log one 32 KiB block at a time (a physical record never crosses a block), joins
     * fragments and applies each logical record. Stops at a torn or truncated tail.
     */
    private void replay(InputStream in, String name) throws IOException {
        java.io.ByteArrayOutputStream record = null;
        byte[] b = new byte[BLOCK];
        long blockStart = 0;
        int records = 0;
        reading:
        while (true) {
            int n = in.readNBytes(b, 0, BLOCK);
            if (n == 0) {
                break;
            }
            int pos = 0;
            while (pos < n) {
                if (BLOCK - pos < 7) {
                    break; // the block's tail is padding
                }
                if (pos + 7 > n) {
                    break reading;
                }
                int type = b[pos + 6] & 0xff;
                int length = (b[pos + 4] & 0xff) | (b[pos + 5] & 0xff) << 8;
                int header = type >= 5 && type <= 8 ? 11 : 7;
                if (type == 0 && length == 0) {
                    break; // zero-filled padding (preallocated or recycled space): go to the next block
                }
                if (pos + header + length > n || header + length > BLOCK - pos) {
                    break reading;
                }
                int stored = (b[pos] & 0xff) | (b[pos + 1] & 0xff) << 8 | (b[pos + 2] & 0xff) << 16
                        | (b[pos + 3] & 0xff) << 24;
                CRC32C crc = new CRC32C();
                crc.update(b, pos + 6, 1 + (header - 7) + length);
                if (unmask(stored) != (int) crc.getValue()) {
                    throw new RocksdbException(name + ": record at offset " + (blockStart + pos)
                            + " has a bad CRC-32C (the MANIFEST is corrupt)");
                }
                int payload = pos + header;
                int kind = type >= 5 && type <= 8 ? type - 4 : type;
                pos += header + length;
                switch (kind) {
                    case FULL -> {
                        edit(b, payload, payload + length, name);
                        records++;
                        record = null;
                    }
                    case FIRST -> {
                        record = new java.io.ByteArrayOutputStream();
                        record.write(b, payload, length);
                    }
                    case MIDDLE -> {
                        if (record != null) {
                            record.write(b, payload, length);
                        }
                    }
                    case LAST -> {
                        if (record != null) {
                            record.write(b, payload, length);
                            byte[] r = record.toByteArray();
                            edit(r, 0, r.length, name);
                            records++;
                        }
                        record = null;
                    }
                    default -> {
                        // metadata records (compression type, timestamp sizes, predecessor WAL info)
                    }
                }
            }
            if (n < BLOCK) {
                break;
            }
            blockStart += BLOCK;
        }
        if (records == 0) {
            throw new RocksdbException(name + ": holds no version edit (not a MANIFEST, or empty)");
        }
    }

    /**
     * The highest sequence number written to a WAL: each record that starts a WriteBatch begins
     * with {@code sequence (8 LE) | count (4 LE)}, so the batch's last sequence is
     * {@code sequence + count - 1}. Reading stops at the first record that is torn or fails its
     * CRC, where RocksDB's point-in-time recovery stops too. Returns 0 for an empty WAL.
     */
    static long lastWalSequence(Path wal) throws IOException {
        long last = 0;
        byte[] block = new byte[BLOCK];
        try (java.io.InputStream in = Files.newInputStream(wal)) {
            while (true) {
                int n = in.readNBytes(block, 0, BLOCK);
                int pos = 0;
                while (pos + 7 <= n) {
                    int type = block[pos + 6] & 0xff;
                    int length = (block[pos + 4] & 0xff) | (block[pos + 5] & 0xff) << 8;
                    int header = type >= 5 && type <= 8 ? 11 : 7;
                    if (type == 0 && length == 0 || pos + header + length > n) {
                        break;
                    }
                    int stored = (block[pos] & 0xff) | (block[pos + 1] & 0xff) << 8 | (block[pos + 2] & 0xff) << 16
                            | (block[pos + 3] & 0xff) << 24;
                    CRC32C crc = new CRC32C();
                    crc.update(block, pos + 6, 1 + (header - 7) + length);
                    if (unmask(stored) != (int) crc.getValue()) {
                        return last;
                    }
                    int kind = type >= 5 && type <= 8 ? type - 4 : type;
                    if ((kind == FULL || kind == FIRST) && length >= 12) {
                        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(block, pos + header, 12)
                                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
                        long seq = bb.getLong();
                        long count = Integer.toUnsignedLong(bb.getInt());
                        last = Math.max(last, seq + Math.max(count, 1) - 1);
                    }
                    pos += header + length;
                }
                if (n < BLOCK) {
                    return last;
                }
            }
        }
    }

    static int unmask(int masked) {
        int rot = masked - 0xa282ead8;
        return (rot >>> 17) | (rot << 15);
    }

    static int mask(int crc) {
        return ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
    }

    private void edit(byte[] b, int start, int end, String name) throws RocksdbException {
        Cursor c = new Cursor(b, start, end, name);
        int cf = 0;
        Long logNumber = null;
        java.util.List<long[]> added = new java.util.ArrayList<>();
        java.util.List<Long> deleted = new java.util.ArrayList<>();
        boolean cfAdd = false;
        boolean cfDrop = false;
        while (c.pos < end) {
            int tag = (int) c.varint();
            switch (tag) {
                case 1 -> c.skipPrefixed(); // comparator
                case 2 -> logNumber = c.varint();
                case 3 -> nextFile = c.varint();
                case 4 -> lastSequence = c.varint();
                case 5 -> {
                    c.varint();
                    c.skipPrefixed();
                }
                case 6 -> {
                    c.varint();
                    deleted.add(c.varint() & FILE_NUMBER_MASK);
                }
                case 7, 100 -> {
                    c.varint();
                    long n = c.varint() & FILE_NUMBER_MASK;
                    c.varint();
                    c.skipPrefixed();
                    c.skipPrefixed();
                    if (tag == 100) {
                        c.varint();
                        c.varint();
                    }
                    added.add(new long[] {n});
                }
                case 102 -> {
                    c.varint();
                    long n = c.varint() & FILE_NUMBER_MASK;
                    c.varint(); // path id
                    c.varint();
                    c.skipPrefixed();
                    c.skipPrefixed();
                    c.varint();
                    c.varint();
                    added.add(new long[] {n});
                }
                case 103 -> {
                    c.varint();
                    long n = c.varint() & FILE_NUMBER_MASK;
                    c.varint();
                    c.skipPrefixed();
                    c.skipPrefixed();
                    c.varint();
                    c.varint();
                    c.skipCustomFields();
                    added.add(new long[] {n});
                }
                case 9 -> prevLog = c.varint();
                case 10 -> minLogToKeep = c.varint();
                case 200 -> cf = (int) c.varint();
                case 201 -> {
                    c.skipPrefixed();
                    cfAdd = true;
                }
                case 202 -> cfDrop = true;
                case 203 -> c.varint();
                case 300 -> c.varint();
                case 400 -> {
                    long n = c.varint();
                    long count = c.varint();
                    c.varint();
                    c.skipPrefixed();
                    c.skipPrefixed();
                    c.skipCustomFields();
                    blobs.computeIfAbsent(n, k -> new long[2])[0] = count;
                }
                case 401 -> {
                    long n = c.varint();
                    long garbage = c.varint();
                    c.varint();
                    c.skipCustomFields();
                    blobs.computeIfAbsent(n, k -> new long[2])[1] += garbage;
                }
                case SAFE_IGNORE + 4 -> { // WAL addition (first encoding)
                    c.varint();
                    c.skipCustomFields();
                }
                case SAFE_IGNORE + 5 -> c.varint(); // WAL deletion (first encoding)
                default -> {
                    if ((tag & SAFE_IGNORE) == 0) {
                        throw new RocksdbException(name + ": unsupported VersionEdit tag " + tag
                                + " (written by a newer RocksDB?)");
                    }
                    c.skipPrefixed();
                }
            }
        }
        if (cfAdd) {
            liveCfs.add(cf);
        }
        if (cfDrop) {
            liveCfs.remove(cf);
            tablesByCf.remove(cf);
            return;
        }
        Set<Long> files = tablesByCf.computeIfAbsent(cf, k -> new HashSet<>());
        for (Long n : deleted) {
            files.remove(n);
        }
        for (long[] a : added) {
            files.add(a[0]);
        }
        if (logNumber != null) {
            logByCf.put(cf, logNumber);
        }
    }

    /** A bounds-checked reader over one VersionEdit. */
    private static final class Cursor {
        final byte[] b;
        final int end;
        final String name;
        int pos;

        Cursor(byte[] b, int pos, int end, String name) {
            this.b = b;
            this.pos = pos;
            this.end = end;
            this.name = name;
        }

        long varint() throws RocksdbException {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw truncated();
                }
                int x = b[pos++] & 0xff;
                v |= (long) (x & 0x7f) << shift;
                if (x < 0x80) {
                    return v;
                }
            }
            throw new RocksdbException(name + ": malformed varint in a version edit");
        }

        void skipPrefixed() throws RocksdbException {
            long n = varint();
            if (n > end - pos) {
                throw truncated();
            }
            pos += (int) n;
        }

        /** Custom fields ({@code varint32 tag, length-prefixed value}) up to the terminating tag 1. */
        void skipCustomFields() throws RocksdbException {
            while (true) {
                long tag = varint();
                if (tag == 1) {
                    return;
                }
                skipPrefixed();
            }
        }

        RocksdbException truncated() {
            return new RocksdbException(name + ": truncated version edit");
        }
    }
}
