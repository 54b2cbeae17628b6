package dev.arca.cli.commands;

import dev.arca.cli.Context;
import dev.arca.cli.Output;
import dev.arca.cli.Progress;
import dev.arca.format.repo.Repository;
import dev.arca.index.Pruner;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "prune", description = {
    "Remove data that no snapshot uses, without stopping backups. Prune works in two phases across runs: "
            + "it MARKS packs no snapshot needs (and repacks the live part of packs with more than --max-unused "
            + "dead space), and a later prune DELETES marked packs once --keep-delete has passed, unless a snapshot "
            + "or a backup has used them since (then they are kept). Backups never wait for prune; two prunes "
            + "exclude each other with a lock (exit code 11). An interrupted prune is safe to run again.",
    "",
    "Run it regularly (e.g. daily after 'forget'): each run deletes what the previous runs marked long enough ago.",
    "",
    "Examples:",
    "  arca prune",
    "  arca prune --dry-run                       # what would be marked and deleted",
    "  arca prune --max-unused 10%% --max-repack 2G",
    "  arca prune --keep-delete 0s                # no grace: only when no backup can be running"})
public final class PruneCommand extends RepoCommand {
    @Mixin
    PruneOptions options;

    @Option(names = {"-n", "--dry-run"}, description = "Only say what would be done.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        try (Repository repo = open()) {
            run(this, repo, options.toOptions(dryRun));
        }
        return 0;
    }

    /** Runs a prune with progress and prints its summary; shared with {@code forget --prune}. */
    static Pruner.Result run(RepoCommand cmd, Repository repo, Pruner.Options o) throws java.io.IOException {
        Context ctx = cmd.ctx();
        AtomicLong done = new AtomicLong();
        AtomicReference<String> phase = new AtomicReference<>("");
        Progress progress = Progress.start(ctx, cmd.root.showProgress(), "prune", done::get, () -> 0, phase::get);
        Pruner.Result r;
        try {
            r = new Pruner(repo, o, new Pruner.Listener() {
                @Override
                public void phase(String name) {
                    phase.set(name);
                }

                @Override
                public void bytes(long n) {
                    done.set(n);
                }
            }).run();
        } finally {
            Progress.stop(progress);
        }
        if (cmd.root.json()) {
            ctx.out().println(Output.json(Output.object().put("message_type", "prune_summary")
                    .put("dry_run", r.dryRun()).put("marks_processed", r.marksProcessed())
                    .put("packs_deleted", r.packsDeleted()).put("bytes_deleted", r.bytesDeleted())
                    .put("packs_kept", r.packsKept()).put("index_files_rewritten", r.indexFilesRewritten())
                    .put("packs_marked", r.packsMarked()).put("bytes_marked", r.bytesMarked())
                    .put("packs_repacked", r.packsRepacked()).put("bytes_repacked", r.bytesRepacked())
                    .put("blobs_repacked", r.blobsRepacked()).put("unindexed_packs_marked", r.unindexedMarked())
                    .put("reclaimable_bytes", r.reclaimableBytes()).put("marks_pending", r.marksPending())
                    .put("total_packs", r.packs()).put("total_pack_bytes", r.packBytes())
                    .put("total_blobs", r.blobs()).put("live_blobs", r.liveBlobs())
                    .put("keep_delete_seconds", o.keepDelete().toSeconds())));
        } else if (!cmd.root.quiet()) {
            var out = ctx.out();
            String would = r.dryRun() ? "would " : "";
            out.printf("repository: %d packs, %s; %d blobs, %d used by snapshots%n", r.packs(),
                    Output.bytes(r.packBytes()), r.blobs(), r.liveBlobs());
            out.printf("deleted:    %s%d packs (%s) marked by earlier prunes%s%n", r.dryRun() ? "would delete " : "",
                    r.packsDeleted(), Output.bytes(r.bytesDeleted()),
                    r.packsKept() > 0 ? "; kept " + r.packsKept() + " that are in use again" : "");
            out.printf("repacked:   %s%d packs (%s), %d blobs copied%n", would, r.packsRepacked(),
                    Output.bytes(r.bytesRepacked()), r.blobsRepacked());
            out.printf("marked:     %s%d packs (%s, %d not indexed) for deletion after %s; frees about %s%n",
                    r.dryRun() ? "would mark " : "", r.packsMarked(), Output.bytes(r.bytesMarked()), r.unindexedMarked(),
                    human(o.keepDelete()), Output.bytes(r.reclaimableBytes()));
            out.printf("pending:    %d deletion marks wait for a later prune%n", r.marksPending());
        }
        return r;
    }

    static String human(java.time.Duration d) {
        return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }
}
