package dev.arca.cli.commands;

import dev.arca.cli.Output;
import dev.arca.cli.Progress;
import dev.arca.engine.rocksdb.ArcaBackupEngineReadOnly;
import dev.arca.engine.rocksdb.RestoreOptions;
import dev.arca.engine.rocksdb.RocksBackup;
import dev.arca.format.repo.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "restore", description = {
    "Restore RocksDB backups: into a database directory that RocksDB opens (--db, WAL files into --wal-dir), "
            + "or into a native BackupEngine directory (--to-backup-dir) that RocksDB's own BackupEngine lists, "
            + "verifies and restores with the same ids, timestamps and metadata.",
    "",
    "Every file's CRC-32C is checked as it is written; files are written under temporary names and renamed, "
            + "CURRENT last, so a failed restore leaves no database that looks complete. A damaged file is named "
            + "with the expected and computed CRC-32C and the exit code is 20. Like RocksDB's restore, --db removes "
            + "the files already in the database and WAL directories; a directory that holds files is refused "
            + "unless --force.",
    "",
    "Examples:",
    "  arca rocksdb restore latest --name orders --db /srv/orders",
    "  arca rocksdb restore 3 --name orders --db /srv/orders --wal-dir /srv/orders-wal --force",
    "  arca rocksdb restore all --name orders --to-backup-dir /backups/orders"})
public final class RocksdbRestoreCommand extends RocksdbCommand.Sub {
    @Parameters(paramLabel = "ID", description = "The backup's number, 'latest', or (with --to-backup-dir) 'all'.")
    String id;

    static final class Target {
        @Option(names = "--db", paramLabel = "DIR", required = true,
                description = "Database directory to restore into, e.g. --db /srv/orders.")
        String db;

        @Option(names = "--to-backup-dir", paramLabel = "DIR", required = true,
                description = "Write a native BackupEngine directory, e.g. --to-backup-dir /backups/orders.")
        String backupDir;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--wal-dir", paramLabel = "DIR",
            description = "Where the WAL files go (default: the --db directory), e.g. --wal-dir /srv/orders-wal.")
    String walDir;

    @Option(names = "--name", paramLabel = "NAME",
            description = "The database (needed when the repository holds backups of several), e.g. --name orders.")
    String name;

    @Option(names = "--force", description = "Restore into a --db or --wal-dir directory that holds files (they are removed).")
    boolean force;

    @Option(names = "--keep-log-files",
            description = "Keep the WAL files already in the WAL directory (RocksDB's keep_log_files).")
    boolean keepLogFiles;

    @Override
    public Integer call() throws Exception {
        dev.arca.format.crypto.CryptoWarmup.start();
        if (target.db == null && walDir != null) {
            throw new IllegalArgumentException("--wal-dir goes with --db");
        }
        if (target.db != null && id.equals("all")) {
            throw new IllegalArgumentException("'all' goes with --to-backup-dir; a database directory holds one backup");
        }
        try (Repository repo = open()) {
            ArcaBackupEngineReadOnly engine = new ArcaBackupEngineReadOnly(repo, database(repo, name));
            List<RocksBackup> chosen = id.equals("all") ? engine.backups()
                    : List.of(id.equals("latest") ? engine.latest() : engine.backup(backupId(id)));
            if (chosen.isEmpty()) {
                throw new dev.arca.format.NoSuchSnapshotException("database '" + engine.name() + "' has no backup");
            }
            long total = chosen.stream().mapToLong(RocksBackup::totalSize).sum();
            Progress progress = Progress.start(ctx(), root().showProgress(), "rocksdb restore", engine::bytesRead,
                    () -> total, () -> "");
            Path where;
            try {
                if (target.db != null) {
                    Path db = ctx().path(target.db);
                    Path wal = walDir == null ? db : ctx().path(walDir);
                    if (!force) {
                        refuseNonEmpty(db);
                        refuseNonEmpty(wal);
                    }
                    engine.restore(chosen.get(0), db.toString(), wal.toString(), new RestoreOptions(keepLogFiles));
                    where = db;
                } else {
                    where = ctx().path(target.backupDir);
                    Files.createDirectories(where);
                    engine.exportToBackupDir(chosen, where);
                }
            } finally {
                Progress.stop(progress);
            }
            if (root().json()) {
                var arr = Output.JSON.createArrayNode();
                chosen.forEach(b -> arr.add(RocksdbListCommand.json(b).put("restored_to", where.toString())));
                ctx().out().println(Output.json(arr));
            } else if (!root().quiet()) {
                for (RocksBackup b : chosen) {
                    ctx().out().printf("restored backup %d of '%s' to %s: %d files, %s%n", b.backupId(), b.name(), where,
                            b.files().size(), Output.bytes(b.totalSize()));
                }
            }
            return 0;
        }
    }

    private static void refuseNonEmpty(Path dir) throws java.io.IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> s = Files.list(dir)) {
            if (s.anyMatch(Files::isRegularFile)) {
                throw new IllegalArgumentException(dir + " holds files; restoring removes them first, as RocksDB does: "
                        + "add --force to do so, or choose an empty directory");
            }
        }
    }
}
