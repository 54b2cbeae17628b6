package dev.arca.engine.rocksdb;

/**
 * How to restore into a database directory, as RocksDB's {@code RestoreOptions}.
 *
 * @param keepLogFiles leave the WAL files already in the WAL directory (RocksDB's
 *                     {@code keep_log_files}); otherwise every file in the database and WAL
 *                     directories is removed first
 */
public record RestoreOptions(boolean keepLogFiles) {
    public static final RestoreOptions DEFAULT = new RestoreOptions(false);
}
