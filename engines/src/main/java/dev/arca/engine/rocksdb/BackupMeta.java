package dev.arca.engine.rocksdb;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A BackupEngine meta file ({@code meta/<id>}, {@code BackupMeta::StoreToFile/LoadFromFile}).
 *
 * <pre>
 * [schema_version 2.x]          only in schema 2
 * timestamp                     unix seconds, decimal
 * sequence_number               decimal
 * [metadata HEX]                app metadata, uppercase hex (schema 2 allows other "field value" lines)
 * N                             number of file lines
 * relpath crc32 U32[ field value…]
 * [// FOOTER …]                 schema 2
 * </pre>
 * LF line endings; the "crc32" is CRC-32C of the whole file as an unsigned decimal. A meta file
 * read from disk is kept byte for byte ({@link #bytes()}); one that arca makes is schema 1.
 */
final class BackupMeta {
    /** A file line: path inside the backup directory and its CRC-32C. */
    record Entry(String path, long crc32c) {
    }

    static final int MAX_APP_METADATA = 1 << 20;

    private final long timestamp;
    private final long sequence;
    private final byte[] appMetadata;
    private final List<Entry> files;
    private final byte[] bytes;

    private BackupMeta(long timestamp, long sequence, byte[] appMetadata, List<Entry> files, byte[] bytes) {
        this.timestamp = timestamp;
        this.sequence = sequence;
        this.appMetadata = appMetadata;
        this.files = List.copyOf(files);
        this.bytes = bytes;
    }

    /** A schema 1 meta file, as BackupEngine writes by default. */
    static BackupMeta create(long timestamp, long sequence, byte[] appMetadata, List<Entry> files) {
        StringBuilder b = new StringBuilder();
        b.append(timestamp).append('\n').append(sequence).append('\n');
        if (appMetadata != null && appMetadata.length > 0) {
            b.append("metadata ").append(HexFormat.of().withUpperCase().formatHex(appMetadata)).append('\n');
        }
        b.append(files.size()).append('\n');
        for (Entry e : files) {
            b.append(e.path()).append(" crc32 ").append(e.crc32c()).append('\n');
        }
        return new BackupMeta(timestamp, sequence, appMetadata, files, b.toString().getBytes(StandardCharsets.US_ASCII));
    }

    static BackupMeta parse(byte[] bytes, String name) throws RocksdbException {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (!text.endsWith("\n")) {
            throw bad(name, "does not end with a newline");
        }
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        int i = 0;
        if (lines.length > 0 && lines[0].startsWith("schema_version ")) {
            String v = lines[0].substring(15);
            if (!v.startsWith("1") && !v.startsWith("2")) {
                throw bad(name, "unsupported schema_version " + v);
            }
            i++;
        }
        if (lines.length < i + 3) {
            throw bad(name, "too short");
        }
        long timestamp = number(lines[i++], name, "timestamp");
        long sequence = number(lines[i++], name, "sequence number");
        byte[] app = null;
        while (i < lines.length && !lines[i].chars().allMatch(Character::isDigit)) {
            String line = lines[i++];
            if (line.startsWith("metadata ")) {
                try {
                    app = HexFormat.of().parseHex(line.substring(9));
                } catch (IllegalArgumentException e) {
                    throw bad(name, "app metadata is not hex");
                }
            } else if (line.startsWith("ni::")) {
                throw bad(name, "field '" + line + "' is not supported");
            } else if (line.isEmpty()) {
                throw bad(name, "empty line");
            }
        }
        if (i >= lines.length) {
            throw bad(name, "lacks the number of files");
        }
        long count = number(lines[i++], name, "number of files");
        List<Entry> files = new ArrayList<>();
        for (; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith("// FOOTER")) {
                break;
            }
            String[] f = line.split(" ");
            if (f.length >= 3 && f[1].equals("crc32")) {
                long crc = number(f[2], name, "crc32 of " + f[0]);
                if (crc > 0xffffffffL) {
                    throw bad(name, "crc32 of " + f[0] + " is out of range");
                }
                checkPath(f[0], name);
                files.add(new Entry(f[0], crc));
            } else if (f.length >= 2 && f[1].startsWith("ni::")) {
                throw bad(name, "file line '" + line + "' uses an unsupported field");
            } else if (!(f.length >= 3 && f[1].equals("ni::excluded"))) {
                throw bad(name, "malformed file line '" + line + "'");
            }
        }
        if (files.size() != count) {
            throw bad(name, "says " + count + " files but lists " + files.size());
        }
        return new BackupMeta(timestamp, sequence, app, files, bytes);
    }

    private static void checkPath(String p, String name) throws RocksdbException {
        boolean ok = (p.startsWith("private/") || p.startsWith("shared_checksum/") || p.startsWith("shared/"))
                && !p.contains("..") && !p.contains("//") && !p.endsWith("/");
        if (!ok) {
            throw bad(name, "file path '" + p + "' is not inside private/, shared/ or shared_checksum/");
        }
    }

    private static long number(String s, String name, String what) throws RocksdbException {
        if (s.isEmpty() || s.length() > 20 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw bad(name, what + " '" + s + "' is not a decimal number");
        }
        try {
            return Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            throw bad(name, what + " '" + s + "' is out of range");
        }
    }

    private static RocksdbException bad(String name, String problem) {
        return new RocksdbException(name + ": not a valid BackupEngine meta file: " + problem);
    }

    long timestamp() {
        return timestamp;
    }

    long sequence() {
        return sequence;
    }

    byte[] appMetadata() {
        return appMetadata;
    }

    List<Entry> files() {
        return files;
    }

    byte[] bytes() {
        return bytes.clone();
    }
}
