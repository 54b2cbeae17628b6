package dev.arca.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.cli.CommandFailure;
import dev.arca.cli.ExitCodes;
import dev.arca.cli.Hosts;
import dev.arca.cli.Output;
import dev.arca.cli.Progress;
import dev.arca.engine.doris.DorisBackup;
import dev.arca.format.repo.Repository;
import dev.arca.format.snapshot.Snapshot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "backup", description = {
    "Store the snapshots of a Doris backup repository tree, one arca snapshot per Doris snapshot (__ss_<label>).",
    "",
    "DIR is a copy of the location Doris backs up to (it holds __palo_repository_<name>), or that "
            + "__palo_repository_<name> directory itself. Every file's md5 is checked against its name and every "
            + "name against the layout and the job info; a snapshot with a wrong md5, a missing or damaged job "
            + "info, a missing file or a file Doris would not have written is reported and not recorded. "
            + "Snapshots already stored are skipped, so running it again after each Doris BACKUP stores only "
            + "the new ones.",
    "",
    "Examples:",
    "  arca doris backup --repository /mnt/doris-backups",
    "  arca doris backup --repository /mnt/doris-backups/__palo_repository_s3_repo --label snapshot_20240301"})
public final class DorisBackupCommand extends DorisCommand.Sub {
    @Option(names = "--repository", required = true, paramLabel = "DIR",
            description = "The Doris repository tree, e.g. /mnt/doris-backups or /mnt/doris-backups/__palo_repository_s3_repo.")
    String repository;

    @Option(names = "--label", paramLabel = "LABEL",
            description = "Only this snapshot, e.g. --label snapshot_20240301 (default: all of them).")
    String label;

    @Mixin
    OriginOptions origin = new OriginOptions();


    @Override
    public Integer call() throws Exception {
        dev.arca.format.crypto.CryptoWarmup.start();
        try (Repository repo = open()) {
            DorisBackup b = new DorisBackup(repo, ctx().path(repository), new DorisBackup.Options(
                    origin.host(), Hosts.user(ctx()), origin.tags(), label));
            Progress progress = Progress.start(ctx(), root().showProgress(), "doris backup", b::bytesProcessed, () -> 0,
                    () -> "");
            DorisBackup.Result result;
            try {
                result = b.run(this::report);
            } finally {
                Progress.stop(progress);
            }
            long saved = result.outcomes().stream().filter(o -> o.status() == DorisBackup.Status.SAVED).count();
            long skipped = result.outcomes().stream().filter(o -> o.status() == DorisBackup.Status.SKIPPED).count();
            long failed = result.outcomes().stream().filter(o -> o.status() == DorisBackup.Status.FAILED).count();
            if (root().json()) {
                ctx().out().println(Output.json(Output.object().put("message_type", "summary")
                        .put("repository", result.repository()).put("snapshots_saved", saved)
                        .put("snapshots_skipped", skipped).put("snapshots_failed", failed)));
            } else if (!root().quiet()) {
                ctx().out().printf("repository %s: %d snapshots saved, %d already stored, %d failed%n",
                        result.repository(), saved, skipped, failed);
            }
            if (failed > 0) {
                throw new CommandFailure(ExitCodes.ERROR, failed + " Doris snapshot(s) were not stored (see above)");
            }
            return ExitCodes.OK;
        }
    }

    private void report(DorisBackup.Outcome o) {
        if (o.status() == DorisBackup.Status.FAILED) {
            ctx().err().println("error: snapshot " + o.label() + " not stored: " + o.error());
        }
        if (root().json()) {
            ObjectNode j = Output.object().put("message_type", "snapshot").put("label", o.label())
                    .put("status", o.status().name().toLowerCase(java.util.Locale.ROOT));
            if (o.snapshotId() != null) {
                j.put("snapshot_id", o.snapshotId().hex());
            }
            if (o.error() != null) {
                j.put("error", o.error());
            }
            if (o.status() == DorisBackup.Status.SAVED) {
                Snapshot.Summary s = o.snapshot().summary;
                j.put("files", s.totalFilesProcessed).put("bytes", s.totalBytesProcessed)
                        .put("files_unmodified", s.filesUnmodified).put("data_added", s.dataAdded)
                        .put("data_added_packed", s.dataAddedPacked);
            }
            ctx().out().println(Output.json(j));
            return;
        }
        if (root().quiet()) {
            return;
        }
        switch (o.status()) {
            case SAVED -> {
                Snapshot.Summary s = o.snapshot().summary;
                ctx().out().printf("snapshot %s: %d files, %s; %d unchanged; added %s (%s stored); saved as %s%n",
                        o.label(), s.totalFilesProcessed, Output.bytes(s.totalBytesProcessed), s.filesUnmodified,
                        Output.bytes(s.dataAdded), Output.bytes(s.dataAddedPacked), o.snapshotId().shortHex());
            }
            case SKIPPED -> ctx().out().printf("snapshot %s: already stored as %s%n", o.label(),
                    o.snapshotId().shortHex());
            case FAILED -> { }
        }
    }
}
