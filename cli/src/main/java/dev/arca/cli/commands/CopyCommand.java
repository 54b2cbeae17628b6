package dev.arca.cli.commands;

import dev.arca.cli.CommandFailure;
import dev.arca.cli.ExitCodes;
import dev.arca.cli.Output;
import dev.arca.cli.Progress;
import dev.arca.cli.RepositoryLocator;
import dev.arca.format.NoRepositoryException;
import dev.arca.format.id.FileId;
import dev.arca.format.repo.Repository;
import dev.arca.format.repo.SnapshotRef;
import dev.arca.index.Copier;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "copy", description = {
    "Copy snapshots to another repository, sending only the blobs it lacks (decrypted here and "
            + "re-encrypted under the target's key).",
    "The target must share this repository's chunker parameters and blob-id key: create it with "
            + "'arca init --copy-params-from'. A snapshot the target already has is skipped, so running "
            + "copy again after an interruption sends only what is still missing.",
    "",
    "Examples:",
    "  ARCA_TO_PASSWORD_FILE=~/.pw-b arca copy --to /mnt/site-b   # every snapshot",
    "  arca copy --to s3:https://s3.example.net/backups/b --host db1 --tag daily",
    "  arca copy --to /mnt/site-b --to-password-file ~/.pw-b 4f2a9c1e latest --json"})
public final class CopyCommand extends RepoCommand {
    @Option(names = "--to", required = true, paramLabel = "LOCATION",
            description = "The target repository: a directory or s3:http[s]://host:port/bucket/prefix.")
    String to;

    @Option(names = "--to-password-file", paramLabel = "FILE",
            description = "The target's password (default: $ARCA_TO_PASSWORD_FILE, $ARCA_TO_PASSWORD, or a prompt).")
    String toPasswordFile;

    @Mixin
    SnapshotFilter filter;

    @Parameters(paramLabel = "SNAPSHOT", arity = "0..*",
            description = "Snapshots to copy (ids, unique prefixes, or 'latest'); default: all that match the filters.")
    List<String> snapshots = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        RepositoryLocator target = root.locator().other(to, toPasswordFile, "ARCA_TO", "--to-password-file");
        try (Repository src = open()) {
            if (!Repository.exists(target.backend())) {
                throw new NoRepositoryException("no arca repository at " + target.backend().location()
                        + " (create it with 'arca init -r " + to + " --copy-params-from " + src.backend().location() + "')");
            }
            try (Repository dst = target.open()) {
                if (src.id().equals(dst.id()) && src.keys().sharesContentKeys(dst.keys())
                        && src.backend().location().equals(dst.backend().location())) {
                    throw new CommandFailure(ExitCodes.USAGE, "the target is this repository");
                }
                String problem = Copier.incompatibility(src, dst);
                if (problem != null) {
                    throw new CommandFailure(ExitCodes.ERROR, problem);
                }
                List<SnapshotRef> chosen = choose(src);
                Copier copier = new Copier(src, dst, new Copier.Listener() {
                    @Override
                    public void snapshotCopied(SnapshotRef s, FileId id) {
                        if (!root.quiet() && !root.json()) {
                            ctx().out().println("copied snapshot " + s.id().shortHex() + " -> " + id.shortHex()
                                    + " (" + s.snapshot().time + ", " + s.snapshot().host + ")");
                        }
                    }

                    @Override
                    public void snapshotSkipped(SnapshotRef s) {
                        if (!root.quiet() && !root.json()) {
                            ctx().out().println("skipped snapshot " + s.id().shortHex() + ": the target has it");
                        }
                    }
                });
                Progress progress = Progress.start(ctx(), root.showProgress(), "copy", copier::bytesRead, () -> 0,
                        () -> Output.bytes(copier.bytesSent()) + " sent");
                Copier.Summary r;
                try {
                    r = copier.copy(chosen);
                } finally {
                    Progress.stop(progress);
                }
                if (root.json()) {
                    ctx().out().println(Output.json(Output.object().put("message_type", "summary")
                            .put("target", dst.backend().location())
                            .put("snapshots_copied", r.snapshotsCopied()).put("snapshots_skipped", r.snapshotsSkipped())
                            .put("blobs_copied", r.blobsCopied()).put("blobs_skipped", r.blobsSkipped())
                            .put("bytes_sent", r.bytesSent()).put("bytes_skipped", r.bytesSkipped())));
                } else if (!root.quiet()) {
                    ctx().out().printf("%d snapshots copied, %d already there; %d blobs (%s) sent, %d (%s) already "
                                    + "there%n", r.snapshotsCopied(), r.snapshotsSkipped(), r.blobsCopied(),
                            Output.bytes(r.bytesSent()), r.blobsSkipped(), Output.bytes(r.bytesSkipped()));
                }
                return 0;
            }
        }
    }

    private List<SnapshotRef> choose(Repository src) throws java.io.IOException {
        List<SnapshotRef> all = src.snapshots(e -> {
            throw new java.io.UncheckedIOException(e);
        });
        if (snapshots.isEmpty()) {
            return all.stream().filter(s -> filter.test(s.snapshot())).toList();
        }
        Set<FileId> ids = new LinkedHashSet<>();
        for (String spec : snapshots) {
            ids.add(src.resolveSnapshot(spec, filter::test));
        }
        return all.stream().filter(s -> ids.contains(s.id()) && filter.test(s.snapshot())).toList();
    }
}
