package dev.arca.cli.commands;

import dev.arca.cli.Output;
import dev.arca.engine.files.SnapshotDiff;
import dev.arca.engine.files.TreeDiff;
import dev.arca.format.id.FileId;
import dev.arca.format.repo.Repository;
import dev.arca.format.snapshot.Snapshot;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "diff", description = {
    "Show what changed between two snapshots: + added, - removed, M content modified, "
            + "U metadata only (with --metadata), T type changed.",
    "",
    "Example:  arca diff 4f2a9c1e latest"})
public final class DiffCommand extends RepoCommand {
    @Parameters(index = "0", paramLabel = "SNAPSHOT1")
    String first;

    @Parameters(index = "1", paramLabel = "SNAPSHOT2")
    String second;

    @Option(names = "--metadata", description = "Also list entries whose metadata alone changed.")
    boolean metadata;

    @Override
    public Integer call() throws Exception {
        try (Repository repo = open()) {
            FileId a = snapshot(repo, first);
            FileId b = snapshot(repo, second);
            Snapshot sa = repo.loadSnapshot(a);
            Snapshot sb = repo.loadSnapshot(b);
            if (!root.json() && !root.quiet()) {
                ctx().out().println("comparing snapshot " + a.shortHex() + " to " + b.shortHex() + ":");
            }
            Map<TreeDiff.Change, Long> counts = new SnapshotDiff(repo, metadata).run(sa, sb, (change, path, before, after) -> {
                if (root.json()) {
                    ctx().out().println(Output.json(Output.object().put("message_type", "change").put("path", path)
                            .put("modifier", String.valueOf(change.symbol))));
                } else {
                    ctx().out().println(change.symbol + "    " + path);
                }
            });
            if (root.json()) {
                var o = Output.object().put("message_type", "statistics").put("source_snapshot", a.hex())
                        .put("target_snapshot", b.hex());
                for (TreeDiff.Change c : TreeDiff.Change.values()) {
                    o.put(c.name().toLowerCase(), counts.getOrDefault(c, 0L));
                }
                ctx().out().println(Output.json(o));
            } else if (!root.quiet()) {
                ctx().out().printf("%nadded: %d, removed: %d, modified: %d, type changed: %d%s%n",
                        counts.getOrDefault(TreeDiff.Change.ADDED, 0L), counts.getOrDefault(TreeDiff.Change.REMOVED, 0L),
                        counts.getOrDefault(TreeDiff.Change.MODIFIED, 0L), counts.getOrDefault(TreeDiff.Change.TYPE, 0L),
                        metadata ? ", metadata: " + counts.getOrDefault(TreeDiff.Change.METADATA, 0L) : "");
            }
            return 0;
        }
    }
}
