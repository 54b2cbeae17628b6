package dev.arca.cli.commands;

import dev.arca.cli.CommandFailure;
import dev.arca.cli.ExitCodes;
import dev.arca.cli.Locations;
import dev.arca.cli.Output;
import dev.arca.cli.Progress;
import dev.arca.format.backend.Backend;
import dev.arca.index.Mirror;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "sync", description = {
    "Mirror this repository to another location, file by file as stored: no password is needed.",
    "Files the target lacks (or holds with another size) are sent and checked on arrival against their "
            + "names, which are the SHA-256 of their bytes; the config is compared byte for byte, and a "
            + "target holding another repository is refused. Packs go before the index files and "
            + "snapshots that need them, so the mirror is a valid repository at every moment.",
    "",
    "Examples:",
    "  arca -r /srv/backup sync --to /mnt/mirror",
    "  arca -r /srv/backup sync --to s3:https://s3.example.net:9000/backups/mirror --delete --json",
    "  arca -r /srv/backup sync --to /mnt/mirror --verify-existing   # also re-read what the mirror has"})
public final class SyncCommand extends RepoCommand {
    @Option(names = "--to", required = true, paramLabel = "LOCATION",
            description = "The mirror: a directory or s3:http[s]://host:port/bucket/prefix.")
    String to;

    @Option(names = "--delete", description = "Remove files from the mirror that this repository no longer has "
            + "(what prune removed), snapshots first and packs last.")
    boolean delete;

    @Option(names = "--verify-existing", description = "Read and hash every file the mirror already has, and send "
            + "again those that are damaged (default: files of the right size are trusted).")
    boolean verifyExisting;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "4",
            description = "Files transferred at once (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Override
    public Integer call() throws Exception {
        Backend source = root.locator().backend();
        Backend target = Locations.open(ctx(), to);
        if (target.location().equals(source.location())) {
            throw new CommandFailure(ExitCodes.USAGE, "the mirror is this repository itself");
        }
        try {
            Mirror mirror = new Mirror(source, target, new Mirror.Options(delete, verifyExisting, parallel),
                    new Mirror.Listener() {
                        @Override
                        public void error(String object, String message) {
                            ctx().err().println("error: " + object + ": " + message);
                        }

                        @Override
                        public void repaired(String object) {
                            if (!root.quiet()) {
                                ctx().err().println("warning: " + object + " at the mirror was damaged; sending it again");
                            }
                        }
                    });
            Progress progress = Progress.start(ctx(), root.showProgress(), "sync", mirror::bytesDone, mirror::bytesTotal,
                    () -> Output.bytes(mirror.bytesSent()) + " sent");
            Mirror.Summary r;
            try {
                r = mirror.run();
            } catch (IllegalStateException e) {
                throw new CommandFailure(ExitCodes.ERROR, e.getMessage());
            } finally {
                Progress.stop(progress);
            }
            if (root.json()) {
                ctx().out().println(Output.json(Output.object().put("message_type", "summary")
                        .put("target", target.location())
                        .put("files_sent", r.filesSent()).put("bytes_sent", r.bytesSent())
                        .put("files_skipped", r.filesSkipped()).put("bytes_skipped", r.bytesSkipped())
                        .put("files_deleted", r.filesDeleted()).put("damaged_at_target", r.damagedAtTarget())
                        .put("errors", r.errors())));
            } else if (!root.quiet()) {
                ctx().out().printf("%d files (%s) sent, %d (%s) already there%s%s%n", r.filesSent(),
                        Output.bytes(r.bytesSent()), r.filesSkipped(), Output.bytes(r.bytesSkipped()),
                        delete ? ", " + r.filesDeleted() + " deleted" : "",
                        r.errors() > 0 ? "; " + r.errors() + " files could not be mirrored" : "");
            }
            return r.errors() > 0 ? ExitCodes.INTEGRITY : ExitCodes.OK;
        } finally {
            target.close();
        }
    }
}
