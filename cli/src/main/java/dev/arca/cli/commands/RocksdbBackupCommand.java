package dev.arca.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.cli.Hosts;
import dev.arca.cli.Output;
import dev.arca.cli.Progress;
import dev.arca.engine.files.BackupStats;
import dev.arca.engine.rocksdb.ArcaBackupEngine;
import dev.arca.engine.rocksdb.RocksBackup;
import dev.arca.format.repo.Repository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "backup", description = {
    "Back up a RocksDB database into a new numbered backup, or import a RocksDB BackupEngine directory.",
    "",
    "With --db, the database must be closed: its live files come from CURRENT and the MANIFEST it names "
            + "(table and blob files, live WALs, the newest OPTIONS file, IDENTITY); stale MANIFESTs, old OPTIONS, "
            + "LOG and LOCK are left out. A database whose LOCK is held by a running process is refused unless "
            + "--checkpoint, which has RocksDB open it read-only and write a consistent checkpoint that is then "
            + "backed up (the checkpoint lives in a .arca-checkpoint-* directory beside the database while the backup "
            + "runs). SSTs are verified by their footer; an SST with the same number, session id and size as "
            + "in the previous backup is not read again (--verify-unchanged reads it anyway).",
    "",
    "With --backup-dir, every backup of the BackupEngine directory is imported with its id, timestamp, "
            + "sequence number, app metadata and meta file; every file is checked against its CRC-32C.",
    "",
    "On any error no backup is recorded.",
    "",
    "Examples:",
    "  arca rocksdb backup --db /srv/orders --name orders --metadata 'nightly'",
    "  arca rocksdb backup --db /srv/orders --name orders --checkpoint",
    "  arca rocksdb backup --backup-dir /backups/orders --name orders"})
public final class RocksdbBackupCommand extends RocksdbCommand.Sub {
    static final class Source {
        @Option(names = "--db", paramLabel = "DIR", required = true,
                description = "The database directory to back up, e.g. --db /srv/orders.")
        String db;

        @Option(names = "--backup-dir", paramLabel = "DIR", required = true,
                description = "A RocksDB BackupEngine directory (meta/, private/, shared_checksum/) to import, "
                        + "e.g. --backup-dir /backups/orders.")
        String backupDir;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--name", paramLabel = "NAME",
            description = "The database's name in the repository (default: the absolute path of --db or --backup-dir), "
                    + "e.g. --name orders.")
    String name;

    @Option(names = "--metadata", paramLabel = "TEXT",
            description = "Application metadata stored with the backup, as BackupEngine's app_metadata, "
                    + "e.g. --metadata 'schema v12'. Not with --backup-dir (it keeps each backup's own).")
    String metadata;

    @Option(names = "--checkpoint",
            description = "Back up a database that a running process has open, through a RocksDB checkpoint.")
    boolean checkpoint;

    @Option(names = "--verify-unchanged",
            description = "Read and check SSTs that are unchanged since the previous backup too.")
    boolean verifyUnchanged;


    @Mixin
    OriginOptions origin = new OriginOptions();

    @Override
    public Integer call() throws Exception {
        dev.arca.format.crypto.CryptoWarmup.start();
        if (source.backupDir != null && (metadata != null || checkpoint)) {
            throw new IllegalArgumentException("--metadata and --checkpoint go with --db, not --backup-dir");
        }
        Path dir = ctx().path(source.db != null ? source.db : source.backupDir);
        String dbName = name != null ? name : dir.toString();
        BackupStats stats = new BackupStats();
        ArcaBackupEngine.Options opts = new ArcaBackupEngine.Options(origin.host(),
                Hosts.user(ctx()), origin.tags(), verifyUnchanged);
        try (Repository repo = open()) {
            ArcaBackupEngine engine = new ArcaBackupEngine(repo, dbName, opts, stats);
            List<RocksBackup> made;
            Progress progress = Progress.start(ctx(), root().showProgress(), "rocksdb backup", stats.bytesProcessed::get,
                    () -> 0, () -> stats.files() + " files");
            try {
                if (source.backupDir != null) {
                    made = engine.importBackupDir(dir);
                } else {
                    byte[] app = metadata == null ? null : metadata.getBytes(StandardCharsets.UTF_8);
                    made = List.of(checkpoint ? engine.backupViaCheckpoint(dir, app) : engine.backupClosedDb(dir, app));
                }
            } finally {
                Progress.stop(progress);
            }
            report(dbName, made);
            return 0;
        }
    }

    private void report(String dbName, List<RocksBackup> made) {
        if (root().json()) {
            ArrayNode arr = Output.JSON.createArrayNode();
            for (RocksBackup b : made) {
                ObjectNode o = RocksdbListCommand.json(b);
                o.put("message_type", "summary");
                o.put("data_added", b.snapshot().summary.dataAdded);
                o.put("data_added_packed", b.snapshot().summary.dataAddedPacked);
                o.put("files_new", b.snapshot().summary.filesNew);
                o.put("files_unmodified", b.snapshot().summary.filesUnmodified);
                arr.add(o);
            }
            ctx().out().println(Output.json(arr));
            return;
        }
        if (root().quiet()) {
            return;
        }
        if (made.isEmpty()) {
            ctx().out().println("nothing to import: database '" + dbName + "' already has every backup of that directory");
        }
        for (RocksBackup b : made) {
            var s = b.snapshot().summary;
            ctx().out().printf("backup %d of '%s': %d files, %s (%d new, %d unchanged); added %s (%s stored); "
                            + "snapshot %s%n", b.backupId(), dbName, b.files().size(), Output.bytes(b.totalSize()),
                    s.filesNew, s.filesUnmodified, Output.bytes(s.dataAdded), Output.bytes(s.dataAddedPacked),
                    b.snapshotId().shortHex());
        }
    }
}
