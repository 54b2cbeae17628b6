package dev.arca.engine.rocksdb;

/** What {@code getBackupInfo()} says about a backup, as RocksDB's {@code BackupInfo}. */
public record BackupInfo(int backupId, long timestamp, long size, int numberFiles, String appMetadata) {
}
