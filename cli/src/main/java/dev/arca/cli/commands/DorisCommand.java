package dev.arca.cli.commands;

import dev.arca.cli.Arca;
import dev.arca.cli.Context;
import dev.arca.format.repo.Repository;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

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
public final class DorisCommand implements Runnable {
    @ParentCommand
    Arca root;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this),
                "a doris command is required: backup, snapshots or restore; see 'arca doris --help'");
    }

    /** Base of the doris subcommands: the global options and the repository. */
    abstract static class Sub implements Callable<Integer> {
        @ParentCommand
        DorisCommand group;

        Arca root() {
            return group.root;
        }

        Context ctx() {
            return root().context();
        }

        Repository open() throws IOException {
            return root().locator().open();
        }
    }
}
