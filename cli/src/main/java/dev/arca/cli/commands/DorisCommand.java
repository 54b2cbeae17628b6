package dev.arca.cli.commands;

import picocli.CommandLine.Command;

@Command(name = "doris", description = {
    "Apache Doris backup repositories: store the snapshots Doris' BACKUP wrote to a repository "
            + "(__palo_repository_<name>), list them like SHOW SNAPSHOT, and write them back for RESTORE.",
    "",
    "Doris only takes full backups; in arca a tablet file that did not change between two Doris backups is "
            + "stored once, so daily backups grow like incremental ones. Every file's md5 (in its name) is "
            + "checked on the way in and on the way out.",
    "",
    "Examples:",
    "  arca doris backup --repository /mnt/doris-backups",
    "  arca doris snapshots",
    "  arca doris restore snapshot_sales_20240301 --repository /mnt/restore --table orders --partition p202403"},
        subcommands = {DorisBackupCommand.class, DorisSnapshotsCommand.class, DorisRestoreCommand.class})
public final class DorisCommand extends EngineGroup {
    /** Base of the doris subcommands. */
    abstract static class Sub extends EngineGroup.Sub {
    }
}
