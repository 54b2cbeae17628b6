package dev.arca.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.arca.cli.Output;
import dev.arca.format.repo.Repository;
import dev.arca.format.repo.SnapshotRef;
import dev.arca.format.snapshot.Snapshot;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "snapshots", description = {
    "List snapshots, oldest first. Damaged snapshot files are reported on stderr and the exit code is 20.",
    "",
    "Examples:",
    "  arca snapshots",
    "  arca snapshots --host db1 --tag daily --json",
    "  arca snapshots --engine mysql --type binlog --from 2024-03-01 --to '2024-03-01 12:00:00'"})
public final class SnapshotsCommand extends RepoCommand {
    @Mixin
    SnapshotFilter filter;

    @Mixin
    EngineTimeFilter engineTime = new EngineTimeFilter();

    @Parameters(paramLabel = "SNAPSHOT", arity = "0..*", description = "Only these snapshots (ids, prefixes or 'latest').")
    List<String> ids = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        try (Repository repo = open()) {
            List<String> problems = new ArrayList<>();
            List<SnapshotRef> all = repo.snapshots(e -> {
                problems.add(e.getMessage());
                ctx().err().println("error: " + e.getMessage());
            });
            List<SnapshotRef> shown = new ArrayList<>();
            List<String> wanted = new ArrayList<>();
            for (String id : ids) {
                wanted.add(snapshot(repo, id).hex());
            }
            for (SnapshotRef r : all) {
                if (filter.test(r.snapshot()) && engineTime.test(r.snapshot()) && (wanted.isEmpty() || wanted.contains(r.id().hex()))) {
                    shown.add(r);
                }
            }
            if (root.json()) {
                ArrayNode arr = Output.JSON.createArrayNode();
                for (SnapshotRef r : shown) {
                    arr.add(Output.snapshotJson(r.id(), r.snapshot()));
                }
                ctx().out().println(Output.json(arr));
            } else {
                table(shown);
            }
            return problems.isEmpty() ? 0 : dev.arca.cli.ExitCodes.INTEGRITY;
        }
    }

    private void table(List<SnapshotRef> shown) {
        var out = ctx().out();
        String fmt = "%-9s %-19s %-16s %-7s %-12s %10s  %s%n";
        out.printf(fmt, "ID", "Time", "Host", "Engine", "Tags", "Size", "Paths");
        out.println("-".repeat(96));
        for (SnapshotRef r : shown) {
            Snapshot s = r.snapshot();
            long size = s.summary == null ? 0 : s.summary.totalBytesProcessed;
            List<String> paths = s.paths;
            out.printf(fmt, r.id().shortHex(), Output.localTime(s.instant()), s.host, s.engine,
                    String.join(",", s.tags), Output.bytes(size), paths.isEmpty() ? "" : paths.get(0));
            for (int i = 1; i < paths.size(); i++) {
                out.printf(fmt, "", "", "", "", "", "", paths.get(i));
            }
        }
        out.println("-".repeat(96));
        out.println(shown.size() + (shown.size() == 1 ? " snapshot" : " snapshots"));
    }
}
