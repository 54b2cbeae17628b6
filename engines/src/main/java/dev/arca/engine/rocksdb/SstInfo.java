package dev.arca.engine.rocksdb;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What a backup needs from an SST without parsing it: the footer's magic number (is it a table
 * file at all) and the {@code rocksdb.creating.session.identity} table property (the
 * db_session_id in BackupEngine's shared file names).
 *
 * <p>The properties block sits just before the metaindex block and the footer and is never
 * compressed; each entry is {@code varint shared | varint non-shared | varint value length | key
 * suffix | value}. Looking for the key's suffix in the file's tail, preceded by matching lengths,
 * finds the entry; the value must be 20 base-36 characters before it is believed.
 */
final class SstInfo {
    /** Last 8 bytes of table files, little-endian: block-based, legacy block-based, plain, legacy plain, cuckoo. */
    private static final long[] MAGICS = {
        0x88e241b785f4cff7L, 0xdb4775248b80fb57L, 0x8242229663bf9564L, 0x4f3418eb7a8f13b8L, 0x926789d0c5f17873L,
    };
    private static final byte[] SESSION_KEY = "rocksdb.creating.session.identity".getBytes(StandardCharsets.US_ASCII);
    private static final int SESSION_LENGTH = 20;
    private static final int TAIL = 64 << 10;

    private SstInfo() {
    }

    /**
     * The file's db_session_id, or null if it has none (RocksDB before 6.12).
     *
     * @throws RocksdbException if the file does not end with a table magic number
     */
    static String sessionId(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            int n = (int) Math.min(size, TAIL);
            ByteBuffer buf = ByteBuffer.allocate(n);
            long at = size - n;
            while (buf.hasRemaining()) {
                if (ch.read(buf, at + buf.position()) < 0) {
                    throw new RocksdbException(file + ": ends before its recorded size " + size);
                }
            }
            byte[] tail = buf.array();
            if (n < 8 || !isMagic(ByteBuffer.wrap(tail, n - 8, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong())) {
                throw new RocksdbException(file + ": not an SST file (no table magic number at its end)");
            }
            return find(tail);
        }
    }

    private static boolean isMagic(long m) {
        for (long x : MAGICS) {
            if (x == m) {
                return true;
            }
        }
        return false;
    }

    /**
     * Finds the session id entry: {@code shared | non-shared | 20 | key suffix | value}, where the
     * key's first {@code shared} bytes come from the previous entry (newer RocksDB writes the
     * properties block with prefix compression, older with whole keys).
     */
    static String find(byte[] tail) {
        int keyLength = SESSION_KEY.length;
        for (int i = tail.length - SESSION_LENGTH; i >= 3; i--) {
            // i is where the value would start; the key suffix ends just before it
            for (int shared = 0; shared < keyLength; shared++) {
                int suffix = keyLength - shared;
                int at = i - suffix;
                if (at < 3 || tail[at - 3] != shared || tail[at - 2] != suffix || tail[at - 1] != SESSION_LENGTH
                        || !java.util.Arrays.equals(tail, at, i, SESSION_KEY, shared, keyLength)) {
                    continue;
                }
                boolean ok = true;
                for (int k = 0; k < SESSION_LENGTH && ok; k++) {
                    byte c = tail[i + k];
                    ok = c >= '0' && c <= '9' || c >= 'A' && c <= 'Z';
                }
                if (ok) {
                    return new String(tail, i, SESSION_LENGTH, StandardCharsets.US_ASCII);
                }
            }
        }
        return null;
    }
}
