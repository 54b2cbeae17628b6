package dev.arca.engine.rocksdb;

/**
 * RocksDB file names ({@code file/filename.cc}) and BackupEngine's names for shared files
 * ({@code GetSharedFileWithChecksum}, {@code GetFileFromChecksumFile}).
 */
final class RocksFiles {
    enum Kind { TABLE, BLOB, WAL, MANIFEST, CURRENT, OPTIONS, IDENTITY, OTHER }

    /** A database file name's kind and number (-1 when it has none). */
    record Parsed(Kind kind, long number) {
        boolean shared() {
            return kind == Kind.TABLE || kind == Kind.BLOB;
        }
    }

    private RocksFiles() {
    }

    static Parsed parse(String name) {
        switch (name) {
            case "CURRENT":
                return new Parsed(Kind.CURRENT, -1);
            case "IDENTITY":
                return new Parsed(Kind.IDENTITY, -1);
            default:
                break;
        }
        if (name.startsWith("MANIFEST-")) {
            long n = number(name.substring(9));
            return n < 0 ? new Parsed(Kind.OTHER, -1) : new Parsed(Kind.MANIFEST, n);
        }
        if (name.startsWith("OPTIONS-")) {
            long n = number(name.substring(8));
            return n < 0 ? new Parsed(Kind.OTHER, -1) : new Parsed(Kind.OPTIONS, n);
        }
        int dot = name.lastIndexOf('.');
        if (dot > 0) {
            long n = number(name.substring(0, dot));
            if (n >= 0) {
                switch (name.substring(dot + 1)) {
                    case "sst":
                    case "ldb":
                        return new Parsed(Kind.TABLE, n);
                    case "blob":
                        return new Parsed(Kind.BLOB, n);
                    case "log":
                        return new Parsed(Kind.WAL, n);
                    default:
                        break;
                }
            }
        }
        return new Parsed(Kind.OTHER, -1);
    }

    private static long number(String digits) {
        if (digits.isEmpty() || digits.length() > 19 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(digits);
    }

    static String table(long number) {
        return String.format("%06d.sst", number);
    }

    static String blob(long number) {
        return String.format("%06d.blob", number);
    }

    static String manifest(long number) {
        return String.format("MANIFEST-%06d", number);
    }

    /**
     * The name under {@code shared_checksum/}: {@code <number>_s<session>_<size>.sst} with a
     * db_session_id (the default naming), else the legacy {@code <number>_<crc32c>_<size>.<ext>}.
     */
    static String sharedName(String dbName, String sessionId, long crc32c, long size) {
        int dot = dbName.lastIndexOf('.');
        String stem = dbName.substring(0, dot);
        String ext = dbName.substring(dot);
        if (sessionId != null && ext.equals(".sst")) {
            return stem + "_s" + sessionId + "_" + size + ext;
        }
        return stem + "_" + crc32c + "_" + size + ext;
    }

    /** The database file name of a backup file: shared names lose everything from the first '_' to the last '.'. */
    static String dbName(String backupPath) {
        String base = backupPath.substring(backupPath.lastIndexOf('/') + 1);
        if (backupPath.startsWith("shared_checksum/") || backupPath.startsWith("shared/")) {
            int us = base.indexOf('_');
            int dot = base.lastIndexOf('.');
            if (us > 0 && dot > us) {
                return base.substring(0, us) + base.substring(dot);
            }
        }
        return base;
    }
}
