package dev.arca.cli.commands;

import dev.arca.engine.rocksdb.ArcaBackupEngineReadOnly;
import dev.arca.format.repo.Repository;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;

@Command(name = "rocksdb", description = {
    "RocksDB backups in the repository, in the idiom of RocksDB's BackupEngine: each backup of a database "
            + "is numbered 1, 2, 3… and is one arca snapshot (engine rocksdb) whose files have the layout of a "
            + "BackupEngine directory (meta/, private/, shared_checksum/). Several databases, known by name, "
            + "share one repository and its deduplicated storage.",
    "",
    "Examples:",
    "  arca rocksdb backup --db /srv/orders --name orders --metadata 'before upgrade'",
    "  arca rocksdb list --name orders",
    "  arca rocksdb restore latest --name orders --db /srv/orders-restored"},
        subcommands = {RocksdbBackupCommand.class, RocksdbListCommand.class, RocksdbVerifyCommand.class,
            RocksdbRestoreCommand.class})
public final class RocksdbCommand extends EngineGroup {
    /** Base of the rocksdb subcommands. */
    abstract static class Sub extends EngineGroup.Sub {
        /** {@code name}, or the only database in the repository. */
        static String database(Repository repo, String name) throws IOException {
            if (name != null) {
                return name;
            }
            List<String> names = ArcaBackupEngineReadOnly.databases(repo);
            if (names.size() == 1) {
                return names.get(0);
            }
            if (names.isEmpty()) {
                throw new dev.arca.format.NoSuchSnapshotException("the repository has no RocksDB backup");
            }
            throw new IllegalArgumentException("the repository holds backups of " + names.size()
                    + " databases; choose one with --name: " + String.join(", ", names));
        }

        /** A backup id: a positive number. */
        static int backupId(String spec) {
            try {
                int id = Integer.parseInt(spec);
                if (id > 0) {
                    return id;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new IllegalArgumentException("a backup is 'latest' or its number (1, 2, …), got '" + spec + "'");
        }
    }
}
