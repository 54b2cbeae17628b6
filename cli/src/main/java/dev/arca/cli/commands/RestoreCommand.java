package dev.arca.cli.commands;

import dev.arca.cli.ExitCodes;
import dev.arca.cli.Output;
import dev.arca.cli.Progress;
import dev.arca.engine.files.PathFilter;
import dev.arca.engine.files.Restorer;
import dev.arca.format.id.FileId;
import dev.arca.format.repo.Repository;
import dev.arca.format.snapshot.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "restore", description = {
    "Restore a snapshot into a directory, with modes, times and symlinks (owners too when run as root). "
            + "Existing files in the way are overwritten; nothing is ever written outside the target. Every "
            + "block is verified; damaged data is named on stderr and the exit code is 20.",
    "",
    "Examples:",
    "  arca restore latest --target /tmp/restore",
    "  arca restore 4f2a9c1e --target /srv/restore --include '/home/ana/documents'"})
public final class RestoreCommand extends RepoCommand {
    @Parameters(paramLabel = "SNAPSHOT", description = "Snapshot id, prefix, or 'latest'.")
    String snapshot;

    @Option(names = {"-t", "--target"}, required = true, paramLabel = "DIR", description = "Directory to restore into.")
    String target;

    @Option(names = {"-i", "--include"}, paramLabel = "PATTERN",
            description = "Restore only matching entries and what is below them (repeatable). A pattern without "
                    + "'/' matches names, one with '/' paths inside the snapshot.")
    List<String> includes = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        // Bulk crypto ahead: let the JIT compile AES-GCM while the key is derived.
        dev.arca.format.crypto.CryptoWarmup.start();
        Instant start = Instant.now();
        try (Repository repo = open()) {
            FileId id = snapshot(repo, snapshot);
            Snapshot s = repo.loadSnapshot(id);
            Restorer.Progress p = new Restorer.Progress();
            long total = s.summary == null ? 0 : s.summary.totalBytesProcessed;
            boolean asRoot = dev.arca.cli.Hosts.isRoot();
            Restorer r = new Restorer(repo, new Restorer.Options(ctx().path(target), new PathFilter(includes), asRoot), p,
                    msg -> ctx().err().println("error: " + msg));
            Progress progress = Progress.start(ctx(), root.showProgress(), "restore", p.bytes::get,
                    () -> includes.isEmpty() ? total : 0, () -> p.files.get() + " files");
            Restorer.Result result;
            try {
                result = r.restore(s.treeId());
            } finally {
                Progress.stop(progress);
            }
            Duration took = Duration.between(start, Instant.now());
            if (root.json()) {
                ctx().out().println(Output.json(Output.object().put("message_type", "summary")
                        .put("snapshot_id", id.hex()).put("files_restored", result.files())
                        .put("dirs_restored", result.dirs()).put("symlinks_restored", result.symlinks())
                        .put("bytes_restored", result.bytes()).put("errors", result.errors().size())
                        .put("total_duration", took.toNanos() / 1e9)));
            } else if (!root.quiet()) {
                ctx().out().printf("restored snapshot %s to %s: %d files, %d directories, %d symlinks, %s in %s%n",
                        id.shortHex(), ctx().path(target), result.files(), result.dirs(), result.symlinks(),
                        Output.bytes(result.bytes()), BackupCommand.formatDuration(took));
                if (!result.errors().isEmpty()) {
                    ctx().out().println(result.errors().size() + " errors (listed above)");
                }
            }
            if (result.integrityError()) {
                return ExitCodes.INTEGRITY;
            }
            return result.errors().isEmpty() ? ExitCodes.OK : ExitCodes.PARTIAL;
        }
    }
}
