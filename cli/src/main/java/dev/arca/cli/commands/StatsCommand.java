package dev.arca.cli.commands;

import dev.arca.cli.Output;
import dev.arca.format.repo.Repository;
import dev.arca.format.repo.SnapshotRef;
import dev.arca.index.Stats;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "stats", description = {
    "Show how much the snapshots hold (restore size: every file of every snapshot) and how much they cost "
            + "(unique blocks, their raw and stored size, and the compression they got).",
    "",
    "Examples:",
    "  arca stats",
    "  arca stats latest --json"})
public final class StatsCommand extends RepoCommand {
    @Parameters(paramLabel = "SNAPSHOT", arity = "0..*", description = "Only these snapshots (default: all).")
    List<String> ids = new ArrayList<>();

    @Mixin
    SnapshotFilter filter;

    @Override
    public Integer call() throws Exception {
        try (Repository repo = open()) {
            List<SnapshotRef> chosen = new ArrayList<>();
            if (ids.isEmpty()) {
                for (SnapshotRef r : repo.snapshots(e -> ctx().err().println("error: " + e.getMessage()))) {
                    if (filter.test(r.snapshot())) {
                        chosen.add(r);
                    }
                }
            } else {
                for (String s : ids) {
                    var id = snapshot(repo, s);
                    chosen.add(new SnapshotRef(id, repo.loadSnapshot(id)));
                }
            }
            Stats.Result r = new Stats(repo).compute(chosen);
            if (root.json()) {
                ctx().out().println(Output.json(Output.object().put("snapshots_count", r.snapshots())
                        .put("total_file_count", r.files()).put("total_dir_count", r.dirs())
                        .put("total_size", r.restoreSize()).put("total_blob_count", r.uniqueBlobs())
                        .put("total_uncompressed_size", r.uniqueRawBytes()).put("total_stored_size", r.uniqueStoredBytes())
                        .put("compression_ratio", r.compressionRatio()).put("pack_count", r.packs())
                        .put("pack_bytes", r.packBytes())));
            } else {
                var out = ctx().out();
                out.printf("Snapshots:            %d%n", r.snapshots());
                out.printf("Files (all snapshots): %d in %d directories%n", r.files(), r.dirs());
                out.printf("Restore size:         %s%n", Output.bytes(r.restoreSize()));
                out.printf("Unique blobs:         %d%n", r.uniqueBlobs());
                out.printf("  raw size:           %s%n", Output.bytes(r.uniqueRawBytes()));
                out.printf("  stored size:        %s (compression %.2fx)%n", Output.bytes(r.uniqueStoredBytes()),
                        r.compressionRatio());
                out.printf("Repository packs:     %d, %s%n", r.packs(), Output.bytes(r.packBytes()));
            }
            return 0;
        }
    }
}
