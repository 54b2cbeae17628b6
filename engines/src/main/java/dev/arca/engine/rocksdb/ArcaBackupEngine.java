package dev.arca.engine.rocksdb;

import dev.arca.engine.files.BackupStats;
import dev.arca.format.CorruptObjectException;
import dev.arca.format.RepositoryException;
import dev.arca.format.repo.Repository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rocksdb.RocksDB;

/**
 * RocksDB's {@code BackupEngine} over an arca repository: backups of one database, numbered
 * 1, 2, 3…, each an arca snapshot (encrypted, compressed, deduplicated with every other
 * database's backups in the repository). Besides an open {@link RocksDB}, it backs up a closed
 * database directory and imports an existing BackupEngine directory.
 *
 * <p>Ids are the highest id of this database's backups plus one; two processes backing up the
 * same database name at the same moment could pick the same id, so give each writer its own name.
 * Not thread-safe: use one instance per thread.
 */
public final class ArcaBackupEngine extends ArcaBackupEngineReadOnly {
    /** What every snapshot records and how unchanged SSTs are treated. */
    public record Options(String host, String user, List<String> tags, boolean verifyUnchanged) {
        public static Options defaults() {
            String host;
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "localhost";
            }
            return new Options(host, System.getProperty("user.name"), List.of(), false);
        }
    }

    private final Options options;
    private final BackupStats stats;

    public ArcaBackupEngine(Repository repo, String name) {
        this(repo, name, Options.defaults(), new BackupStats());
    }

    public ArcaBackupEngine(Repository repo, String name, Options options, BackupStats stats) {
        super(repo, name);
        this.options = options;
        this.stats = stats;
    }

    /** Live counters of the backups this engine makes. */
    public BackupStats stats() {
        return stats;
    }

    public RocksBackup createNewBackup(RocksDB db) throws IOException {
        return createNewBackupWithMetadata(db, null, false);
    }

    public RocksBackup createNewBackup(RocksDB db, boolean flushBeforeBackup) throws IOException {
        return createNewBackupWithMetadata(db, null, flushBeforeBackup);
    }

    /**
     * Backs up an open database while it keeps running: file deletions are disabled during the
     * capture, the MANIFEST is taken up to its live size and CURRENT synthesised, as RocksDB does.
     */
    public RocksBackup createNewBackupWithMetadata(RocksDB db, String metadata, boolean flushBeforeBackup)
            throws IOException {
        List<RocksBackup> existing = backupsForWriting();
        int id = nextId(existing);
        Map<String, BackupWriter.Stored> stored = storedShared(existing);
        byte[] app = metadata == null ? null : metadata.getBytes(StandardCharsets.UTF_8);
        return DbCapture.live(db, flushBeforeBackup, id, c -> writer(stored).write(name, id, c.items(), null,
                Instant.now().getEpochSecond(), c.sequence(), app, "live-db", db.getName(), origin(), parent(existing),
                Instant.now()));
    }

    /**
     * Backs up a closed database directory: its live set comes from CURRENT and the MANIFEST.
     *
     * @throws RocksdbException if a running process holds the database's LOCK, or the directory
     *                          is not a complete database
     */
    public RocksBackup backupClosedDb(Path dbDir, byte[] metadata) throws IOException {
        Path dir = dbDir.toAbsolutePath().normalize();
        if (Files.isDirectory(dir) && DbCapture.lockHeld(dir)) {
            throw new RocksdbException(dir + ": the database is open in a running process (its LOCK is held); "
                    + "close it, or back it up through the running process (arca rocksdb backup --checkpoint)");
        }
        List<RocksBackup> existing = backupsForWriting();
        int id = nextId(existing);
        DbCapture.Captured c = DbCapture.closedDir(dir, id);
        return writer(storedShared(existing)).write(name, id, c.items(), null, Instant.now().getEpochSecond(),
                c.sequence(), metadata, "db", dir.toString(), origin(), parent(existing), Instant.now());
    }

    /**
     * Backs up a database that may be open in another process: RocksDB opens it read-only (which
     * needs no LOCK) and writes a checkpoint (hard links to the SSTs where the file system allows,
     * so compactions of the running process cannot delete them mid-copy) into a temporary
     * directory beside the database, or under the system's temporary directory; the live WALs are
     * copied beside it, and that checkpoint is backed up as a closed database and removed.
     */
    public RocksBackup backupViaCheckpoint(Path dbDir, byte[] metadata) throws IOException {
        Path dir = dbDir.toAbsolutePath().normalize();
        if (!Files.isRegularFile(dir.resolve("CURRENT"))) {
            throw new RocksdbException(dir + ": not a RocksDB database directory (no CURRENT file)");
        }
        Path parent = dir.getParent() != null && Files.isWritable(dir.getParent()) ? dir.getParent()
                : Path.of(System.getProperty("java.io.tmpdir"));
        for (int attempt = 1; ; attempt++) {
            Path work = Files.createTempDirectory(parent, ".arca-checkpoint-");
            try {
                Path checkpoint = work.resolve("db");
                if (!checkpoint(dir, checkpoint)) {
                    if (attempt < 5) {
                        continue;
                    }
                    throw new RocksdbException(dir + ": the running database deleted a WAL file the checkpoint "
                            + "needed, five times in a row; try again when it is less busy");
                }
                List<RocksBackup> existing = backupsForWriting();
                int id = nextId(existing);
                DbCapture.Captured c = DbCapture.closedDir(checkpoint, id);
                return writer(storedShared(existing)).write(name, id, c.items(), null, Instant.now().getEpochSecond(),
                        c.sequence(), metadata, "checkpoint", dir.toString(), origin(), parent(existing), Instant.now());
            } finally {
                deleteTree(work);
            }
        }
    }

    /**
     * Writes a checkpoint of {@code dir} into {@code checkpoint}. A checkpoint of a read-only
     * instance holds no WAL, so the WALs the checkpoint's MANIFEST still needs are copied from the
     * database beside it; returns false if one of them was deleted meanwhile (the caller retries).
     */
    private static boolean checkpoint(Path dir, Path checkpoint) throws IOException {
        java.util.Set<Path> walsBefore = wals(dir);
        RocksDB.loadLibrary();
        try (org.rocksdb.Options o = new org.rocksdb.Options();
             RocksDB db = RocksDB.openReadOnly(o, dir.toString());
             org.rocksdb.Checkpoint cp = org.rocksdb.Checkpoint.create(db)) {
            cp.createCheckpoint(checkpoint.toString());
        } catch (org.rocksdb.RocksDBException e) {
            throw new RocksdbException(dir + ": RocksDB could not make a checkpoint: " + e.getMessage(), e);
        }
        ManifestReader.LiveSet live = ManifestReader.read(checkpoint);
        java.util.Set<Path> all = new java.util.TreeSet<>(walsBefore);
        all.addAll(wals(dir));
        for (Path w : all) {
            long n = RocksFiles.parse(w.getFileName().toString()).number();
            if (!live.walIsLive(n) || Files.exists(checkpoint.resolve(w.getFileName()))) {
                continue;
            }
            try {
                Files.copy(w, checkpoint.resolve(w.getFileName()));
            } catch (NoSuchFileException e) {
                return false;
            }
        }
        return true;
    }

    private static java.util.Set<Path> wals(Path dir) throws IOException {
        java.util.Set<Path> out = new java.util.TreeSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.log")) {
            for (Path p : ds) {
                if (RocksFiles.parse(p.getFileName().toString()).kind() == RocksFiles.Kind.WAL) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    private static void deleteTree(Path p) throws IOException {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                for (Path c : ds) {
                    deleteTree(c);
                }
            }
        }
        Files.deleteIfExists(p);
    }

    /**
     * Imports every backup of a BackupEngine directory, keeping ids, timestamps, sequence numbers,
     * app metadata and meta files byte for byte; each file's size and CRC-32C is checked against
     * its meta file. Backups whose id this database already has are skipped (an import can be
     * repeated). Returns the backups imported now.
     */
    public List<RocksBackup> importBackupDir(Path backupDir) throws IOException {
        Path dir = backupDir.toAbsolutePath().normalize();
        Path metaDir = dir.resolve("meta");
        if (!Files.isDirectory(metaDir)) {
            throw new RocksdbException(dir + ": not a RocksDB BackupEngine directory (no meta/ directory)");
        }
        TreeMap<Integer, Path> metas = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(metaDir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.isEmpty() && n.length() < 10 && n.chars().allMatch(Character::isDigit)
                        && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    metas.put(Integer.parseInt(n), p);
                }
            }
        }
        if (metas.isEmpty()) {
            throw new RocksdbException(metaDir + ": holds no backup");
        }
        List<RocksBackup> existing = backupsForWriting();
        Map<String, BackupWriter.Stored> stored = storedShared(existing);
        BackupWriter w = writer(stored);
        List<RocksBackup> done = new ArrayList<>();
        for (Map.Entry<Integer, Path> e : metas.entrySet()) {
            int id = e.getKey();
            if (existing.stream().anyMatch(b -> b.backupId() == id)) {
                continue;
            }
            BackupMeta meta = BackupMeta.parse(Files.readAllBytes(e.getValue()), e.getValue().toString());
            List<BackupWriter.Item> items = new ArrayList<>();
            for (BackupMeta.Entry f : meta.files()) {
                Path file = dir.resolve(f.path()).normalize();
                if (!file.startsWith(dir)) {
                    throw new RocksdbException(e.getValue() + ": file path " + f.path() + " leaves the backup directory");
                }
                long size;
                try {
                    size = Files.size(file);
                } catch (NoSuchFileException x) {
                    throw new RocksdbException(e.getValue() + " lists " + f.path() + ", which is missing from " + dir);
                }
                items.add(new BackupWriter.Item(f.path(), RocksFiles.dbName(f.path()), file, null, size, f.crc32c()));
            }
            RocksBackup b = w.write(name, id, items, meta, meta.timestamp(), meta.sequence(), meta.appMetadata(),
                    "backup-dir", dir.toString(), origin(), parent(existing), Instant.now());
            existing.add(b);
            done.add(b);
        }
        return done;
    }

    /** Deletes all backups but the {@code numBackupsToKeep} newest. */
    public void purgeOldBackups(int numBackupsToKeep) throws IOException {
        if (numBackupsToKeep < 0) {
            throw new IllegalArgumentException("number of backups to keep must not be negative");
        }
        List<RocksBackup> all = backups();
        for (int i = 0; i < all.size() - numBackupsToKeep; i++) {
            repo.removeSnapshot(all.get(i).snapshotId());
        }
    }

    /**
     * Deletes one backup: its snapshot is removed; the data only it used stays in the repository
     * until a prune.
     */
    public void deleteBackup(int backupId) throws IOException {
        repo.removeSnapshot(backup(backupId).snapshotId());
    }

    /** Backups of this database; refuses to guess ids when a snapshot cannot be read. */
    private List<RocksBackup> backupsForWriting() throws IOException {
        List<RepositoryException> problems = new ArrayList<>();
        List<RocksBackup> all = backups(problems::add);
        if (!problems.isEmpty()) {
            RepositoryException first = problems.get(0);
            throw new CorruptObjectException("snapshots/", "cannot tell the next backup id: " + problems.size()
                    + " snapshot(s) cannot be read (" + first.getMessage() + ")");
        }
        return new ArrayList<>(all);
    }

    private static int nextId(List<RocksBackup> existing) {
        return existing.stream().mapToInt(RocksBackup::backupId).max().orElse(0) + 1;
    }

    private static dev.arca.format.id.FileId parent(List<RocksBackup> existing) {
        return existing.isEmpty() ? null : existing.get(existing.size() - 1).snapshotId();
    }

    /** The shared files of the latest backup, which an unchanged SST can reuse without being read. */
    private Map<String, BackupWriter.Stored> storedShared(List<RocksBackup> existing) throws IOException {
        Map<String, BackupWriter.Stored> stored = new HashMap<>();
        if (!existing.isEmpty()) {
            BackupWriter.collectShared(repo, existing.get(existing.size() - 1), stored);
        }
        return stored;
    }

    private BackupWriter writer(Map<String, BackupWriter.Stored> stored) {
        return new BackupWriter(repo, stats, stored, options.verifyUnchanged());
    }

    private BackupWriter.Origin origin() {
        return new BackupWriter.Origin(options.host(), options.user(), options.tags());
    }
}
