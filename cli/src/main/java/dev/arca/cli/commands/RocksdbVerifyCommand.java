package dev.arca.cli.commands;

import dev.arca.cli.Output;
import dev.arca.cli.Progress;
import dev.arca.engine.rocksdb.ArcaBackupEngineReadOnly;
import dev.arca.engine.rocksdb.RocksBackup;
import dev.arca.format.repo.Repository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "verify", description = {
    "Verify a RocksDB backup, as BackupEngine's VerifyBackup: every file is in the snapshot with its size and "
            + "all its data is in the repository; with --checksum every file is read and its CRC-32C compared. "
            + "A damaged file is named on stderr and the exit code is 20.",
    "",
    "Examples:",
    "  arca rocksdb verify latest --name orders",
    "  arca rocksdb verify 3 --name orders --checksum"})
public final class RocksdbVerifyCommand extends RocksdbCommand.Sub {
    @Parameters(paramLabel = "ID", description = "The backup's number, or 'latest'.")
    String id;

    @Option(names = "--name", paramLabel = "NAME",
            description = "The database (needed when the repository holds backups of several), e.g. --name orders.")
    String name;

    @Option(names = "--checksum", description = "Read every file and compare its CRC-32C with the backup's.")
    boolean checksum;

    @Override
    public Integer call() throws Exception {
        try (Repository repo = open()) {
            ArcaBackupEngineReadOnly engine = new ArcaBackupEngineReadOnly(repo, database(repo, name));
            RocksBackup b = id.equals("latest") ? engine.latest() : engine.backup(backupId(id));
            Progress progress = Progress.start(ctx(), root().showProgress() && checksum, "verify", engine::bytesRead,
                    b::totalSize, () -> "");
            try {
                engine.verifyBackup(b.backupId(), checksum);
            } finally {
                Progress.stop(progress);
            }
            if (root().json()) {
                ctx().out().println(Output.json(RocksdbListCommand.json(b).put("verified", true).put("checksum", checksum)));
            } else if (!root().quiet()) {
                ctx().out().printf("backup %d of '%s' is intact: %d files, %s%s%n", b.backupId(), b.name(),
                        b.files().size(), Output.bytes(b.totalSize()), checksum ? ", every CRC-32C matches" : "");
            }
            return 0;
        }
    }
}
