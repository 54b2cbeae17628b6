package dev.arca.cli.commands;

import dev.arca.cli.CommandFailure;
import dev.arca.cli.ExitCodes;
import dev.arca.cli.Output;
import dev.arca.cli.Progress;
import dev.arca.engine.doris.DorisRestore;
import dev.arca.engine.doris.DorisSnapshot;
import dev.arca.format.repo.Repository;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "restore", description = {
    "Write a stored Doris snapshot back as a Doris repository tree, for Doris' RESTORE: the whole snapshot byte "
            + "for byte, or only what RESTORE SNAPSHOT ... ON (table PARTITION (p, ...)) reads (the job info and "
            + "meta file whole, and that table's or those partitions' tablets).",
    "",
    "The snapshot goes to DIR/__palo_repository_<name>/__ss_<label> (DIR may also be that "
            + "__palo_repository_<name> directory). A directory that already holds the repository keeps its other "
            + "snapshots; files already there with the same content are left alone, and a file with different "
            + "content is an error: nothing is ever overwritten. Every file's md5 is checked on the way out.",
    "",
    "Examples:",
    "  arca doris restore sales_0301 --repository /mnt/restore",
    "  arca doris restore sales_0301 sales_0302 --repository /mnt/restore",
    "  arca doris restore sales_0301 --repository /mnt/restore --table orders --partition p202403,p202404",
    "",
    "Then, in Doris: CREATE REPOSITORY ... ON LOCATION pointing at DIR, and RESTORE SNAPSHOT sales.sales_0301 "
            + "FROM <repo> ON (orders PARTITION (p202403, p202404)) PROPERTIES (\"backup_timestamp\" = \"<timestamp>\")."})
public final class DorisRestoreCommand extends DorisCommand.Sub {
    @Parameters(paramLabel = "SNAPSHOT", arity = "1..*",
            description = "Doris labels, arca snapshot ids or prefixes, or 'latest'; several go into the same DIR in turn.")
    List<String> snapshots = new ArrayList<>();

    @Option(names = "--repository", required = true, paramLabel = "DIR",
            description = "Where to write the repository tree, e.g. /mnt/restore (created if missing).")
    String repository;

    @Option(names = "--repository-name", paramLabel = "NAME",
            description = "Look the label up in this Doris repository only, e.g. s3_repo.")
    String repositoryName;

    @Option(names = "--table", paramLabel = "TABLE", description = "Only this table, e.g. --table orders.")
    String table;

    @Option(names = "--partition", paramLabel = "PARTITION", split = ",",
            description = "Only these partitions of --table (repeatable or comma-separated), e.g. --partition p202403.")
    List<String> partitions = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        dev.arca.format.crypto.CryptoWarmup.start();
        if (table == null && !partitions.isEmpty()) {
            throw new IllegalArgumentException("--partition needs --table");
        }
        try (Repository repo = open()) {
            List<DorisSnapshot> snaps = new ArrayList<>();
            for (String spec : snapshots) {
                snaps.add(DorisSnapshot.resolve(repo, spec, repositoryName));
            }
            for (DorisSnapshot snap : snaps) {
                restore(repo, snap);
            }
            return ExitCodes.OK;
        }
    }

    private void restore(Repository repo, DorisSnapshot snap) throws java.io.IOException {
        DorisRestore.Progress p = new DorisRestore.Progress();
        DorisRestore restore = new DorisRestore(repo, snap, new DorisRestore.Options(ctx().path(repository), table,
                partitions), p);
        Progress progress = Progress.start(ctx(), root().showProgress(), "doris restore", p.bytes::get,
                () -> table == null ? snap.snapshot().engineMetadata.path("bytes").asLong() : 0,
                () -> p.files.get() + " files");
        DorisRestore.Result r;
        try {
            r = restore.run();
        } catch (DorisRestore.ConflictException e) {
            throw new CommandFailure(ExitCodes.ERROR, "snapshot " + snap.label() + ": " + e.getMessage());
        } finally {
            Progress.stop(progress);
        }
        if (root().json()) {
            ctx().out().println(Output.json(Output.object().put("message_type", "summary")
                    .put("snapshot_id", snap.id().hex()).put("label", snap.label())
                    .put("timestamp", snap.timestamp()).put("repository_dir", r.repositoryDir().toString())
                    .put("files_restored", r.filesWritten()).put("files_already_there", r.filesAlreadyThere())
                    .put("bytes_restored", r.bytesWritten())));
        } else if (!root().quiet()) {
            ctx().out().printf("restored snapshot %s (%s) into %s: %d files, %s written, %d already there%n",
                    snap.label(), snap.timestamp(), r.repositoryDir(), r.filesWritten(), Output.bytes(r.bytesWritten()),
                    r.filesAlreadyThere());
            ctx().out().printf("RESTORE SNAPSHOT %s.%s ... PROPERTIES (\"backup_timestamp\" = \"%s\")%n",
                    snap.database(), snap.label(), snap.timestamp());
        }
    }
}
