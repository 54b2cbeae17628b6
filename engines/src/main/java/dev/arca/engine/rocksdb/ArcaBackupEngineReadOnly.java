package dev.arca.engine.rocksdb;

import dev.arca.format.NoSuchSnapshotException;
import dev.arca.format.RepositoryException;
import dev.arca.format.repo.Repository;
import dev.arca.format.repo.SnapshotRef;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * RocksDB's {@code BackupEngineReadOnly} over an arca repository: list, verify and restore the
 * backups of one database, and write them out as a native BackupEngine directory. It cannot
 * create or delete backups. The repository belongs to the caller, who closes it.
 *
 * <p>Not thread-safe: use one instance per thread.
 */
public class ArcaBackupEngineReadOnly implements AutoCloseable {
    protected final Repository repo;
    protected final String name;
    protected final BackupReader reader;

    public ArcaBackupEngineReadOnly(Repository repo, String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a database name is required");
        }
        this.repo = repo;
        this.name = name;
        this.reader = new BackupReader(repo);
    }

    public String name() {
        return name;
    }

    /** Bytes restored or verified so far, for progress displays. */
    public long bytesRead() {
        return reader.bytes.get();
    }

    /**
     * The rocksdb backups in the repository (of every database), by name and id. Snapshots that
     * cannot be read go to {@code problems}.
     */
    public static List<RocksBackup> allBackups(Repository repo, Consumer<RepositoryException> problems) throws IOException {
        List<RocksBackup> out = new ArrayList<>();
        for (SnapshotRef r : repo.snapshots(problems)) {
            if (RocksBackup.isRocks(r.snapshot())) {
                try {
                    out.add(RocksBackup.of(r));
                } catch (RepositoryException e) {
                    problems.accept(e);
                }
            }
        }
        out.sort(Comparator.comparing(RocksBackup::name).thenComparingInt(RocksBackup::backupId));
        return out;
    }

    /** The names of the databases with backups in the repository. */
    public static List<String> databases(Repository repo) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        for (RocksBackup b : allBackups(repo, e -> { })) {
            names.add(b.name());
        }
        return new ArrayList<>(names);
    }

    /** This database's backups, oldest id first. */
    public List<RocksBackup> backups() throws IOException {
        return backups(e -> { });
    }

    List<RocksBackup> backups(Consumer<RepositoryException> problems) throws IOException {
        List<RocksBackup> out = new ArrayList<>();
        for (RocksBackup b : allBackups(repo, problems)) {
            if (b.name().equals(name)) {
                out.add(b);
            }
        }
        return out;
    }

    /** Id, timestamp, size, number of files and app metadata of every backup, oldest first. */
    public List<BackupInfo> getBackupInfo() throws IOException {
        List<BackupInfo> out = new ArrayList<>();
        for (RocksBackup b : backups()) {
            out.add(new BackupInfo(b.backupId(), b.timestamp(), b.totalSize(), b.files().size(), b.appMetadataString()));
        }
        return out;
    }

    /** The backup with this id. */
    public RocksBackup backup(int id) throws IOException {
        for (RocksBackup b : backups()) {
            if (b.backupId() == id) {
                return b;
            }
        }
        throw new NoSuchSnapshotException("database '" + name + "' has no backup " + id);
    }

    /** The backup with the highest id. */
    public RocksBackup latest() throws IOException {
        List<RocksBackup> all = backups();
        if (all.isEmpty()) {
            throw new NoSuchSnapshotException("database '" + name + "' has no backup yet");
        }
        return all.get(all.size() - 1);
    }

    /**
     * Checks that every file of the backup is stored with its size; with
     * {@code verifyWithChecksum}, reads each and compares its CRC-32C.
     *
     * @throws dev.arca.format.CorruptObjectException naming the file on a size or CRC mismatch
     * @throws dev.arca.format.MissingObjectException if a file or blob is missing
     */
    public void verifyBackup(int backupId, boolean verifyWithChecksum) throws IOException {
        reader.verify(backup(backupId), verifyWithChecksum);
    }

    /**
     * Restores a backup into {@code dbDir}, WAL files into {@code walDir}; RocksDB then opens
     * {@code dbDir} (with {@code wal_dir} set when it differs). Every file's CRC-32C is checked;
     * CURRENT is written last.
     */
    public void restoreDbFromBackup(int backupId, String dbDir, String walDir, RestoreOptions options) throws IOException {
        restore(backup(backupId), dbDir, walDir, options);
    }

    public void restoreDbFromLatestBackup(String dbDir, String walDir, RestoreOptions options) throws IOException {
        restore(latest(), dbDir, walDir, options);
    }

    public void restore(RocksBackup b, String dbDir, String walDir, RestoreOptions options) throws IOException {
        Path db = Path.of(dbDir).toAbsolutePath();
        Path wal = walDir == null ? db : Path.of(walDir).toAbsolutePath();
        reader.toDb(b, db, wal, options != null && options.keepLogFiles());
    }

    /** Writes the given backups into a native BackupEngine directory. */
    public void exportToBackupDir(List<RocksBackup> backups, Path dir) throws IOException {
        reader.toBackupDir(backups, dir.toAbsolutePath());
    }

    @Override
    public void close() {
        // the repository belongs to the caller
    }
}
