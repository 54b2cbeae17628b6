package dev.arca.cli.commands;

import dev.arca.cli.ExitCodes;
import dev.arca.cli.Output;
import dev.arca.cli.Progress;
import dev.arca.format.repo.Repository;
import dev.arca.index.Checker;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "check", description = {
    "Verify the repository: every index file and snapshot opens, every pack they list exists, every tree and "
            + "block a snapshot needs is indexed. With --read-data, also read every pack and verify every byte "
            + "(checksums, authentication, blob ids); --read-data-subset N/T reads the N-th of T slices, so T runs "
            + "with N = 1..T cover everything (packs are assigned by their ids); --read-data-subset 10% reads a "
            + "random tenth, different on every run. Also checks prune's marks: a pack marked for deletion that "
            + "holds the only copy of a blob a snapshot needs is an error. Problems are named on stderr; the exit "
            + "code is then 20.",
    "",
    "Examples:",
    "  arca check",
    "  arca check --read-data",
    "  arca check --read-data-subset 3/7      # e.g. from a daily job, by day of the week",
    "  arca check --read-data-subset 10%%     # a random tenth of the packs"})
public final class CheckCommand extends RepoCommand {
    @Option(names = "--read-data", description = "Read and verify all data.")
    boolean readData;

    @Option(names = "--read-data-subset", paramLabel = "N/T", description = "Read and verify the N-th of T parts of the data (e.g. 2/7), or a random share (e.g. 10%%).")
    String subset;

    @Override
    public Integer call() throws Exception {
        // Bulk crypto ahead: let the JIT compile AES-GCM while the key is derived.
        dev.arca.format.crypto.CryptoWarmup.start();
        int n = 0;
        int t = 0;
        double fraction = 1.0;
        if (subset != null && subset.endsWith("%")) {
            try {
                fraction = Double.parseDouble(subset.substring(0, subset.length() - 1)) / 100;
            } catch (NumberFormatException e) {
                fraction = -1;
            }
            if (!(fraction > 0 && fraction <= 1)) {
                throw new IllegalArgumentException("--read-data-subset wants N/T or a percentage such as 10%, got '"
                        + subset + "'");
            }
        } else if (subset != null) {
            String[] parts = subset.split("/");
            try {
                n = Integer.parseInt(parts[0]);
                t = Integer.parseInt(parts[1]);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("--read-data-subset wants N/T, e.g. 2/5, got '" + subset + "'");
            }
            if (parts.length != 2 || t < 1 || t > 256 || n < 1 || n > t) {
                throw new IllegalArgumentException("--read-data-subset wants N/T with 1 <= N <= T <= 256, got '" + subset + "'");
            }
        }
        AtomicLong done = new AtomicLong();
        AtomicLong total = new AtomicLong();
        try (Repository repo = open()) {
            Progress progress = null;
            Checker.Listener listener = new Checker.Listener() {
                @Override
                public void error(String object, String message) {
                    ctx().err().println("error: " + (object.isEmpty() ? "" : object + ": ") + message);
                }

                @Override
                public void warning(String message) {
                    if (!root.quiet()) {
                        ctx().err().println("warning: " + message);
                    }
                }

                @Override
                public void packRead(long bytes) {
                    done.addAndGet(bytes);
                }

                @Override
                public void readPlan(long packs, long bytes) {
                    total.set(bytes);
                }
            };
            Checker.Result r;
            try {
                progress = Progress.start(ctx(), root.showProgress() && (readData || subset != null), "check",
                        done::get, total::get, () -> "");
                Checker.Options options = fraction < 1.0 && !readData
                        ? Checker.Options.percentage(fraction, new java.security.SecureRandom().nextLong())
                        : new Checker.Options(readData || subset != null, readData ? 0 : n, readData ? 0 : t);
                r = new Checker(repo, options, listener).run();
            } finally {
                Progress.stop(progress);
            }
            if (root.json()) {
                ctx().out().println(Output.json(Output.object().put("message_type", "summary")
                        .put("errors", r.errors()).put("warnings", r.warnings()).put("snapshots", r.snapshots())
                        .put("packs", r.packs()).put("packs_read", r.packsRead()).put("bytes_read", r.bytesRead())
                        .put("blobs_verified", r.blobsVerified())));
            } else if (!root.quiet()) {
                ctx().out().printf("checked %d snapshots and %d packs%s: %s%n", r.snapshots(), r.packs(),
                        r.packsRead() > 0 ? " (read " + r.packsRead() + " packs, " + Output.bytes(r.bytesRead())
                                + ", verified " + r.blobsVerified() + " blobs)" : "",
                        r.ok() ? "no errors" : r.errors() + " errors");
            }
            return r.ok() ? ExitCodes.OK : ExitCodes.INTEGRITY;
        }
    }
}
