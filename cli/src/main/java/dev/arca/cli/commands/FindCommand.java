package dev.arca.cli.commands;

import dev.arca.cli.Output;
import dev.arca.engine.files.SnapshotWalker;
import dev.arca.format.repo.Repository;
import dev.arca.format.repo.SnapshotRef;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "find", description = {
    "Find files and directories in snapshots. A pattern without '/' matches names ('*.pdf'); "
            + "one with '/' matches paths inside the snapshot ('/home/*/notes/**').",
    "",
    "Examples:",
    "  arca find '*.sql'",
    "  arca find --snapshot latest 'report-2026*'"})
public final class FindCommand extends RepoCommand {
    @Parameters(paramLabel = "PATTERN", arity = "1..*", description = "Glob patterns; an entry matching any is shown.")
    List<String> patterns;

    @Option(names = {"-s", "--snapshot"}, paramLabel = "SNAPSHOT", description = "Search only this snapshot (repeatable).")
    List<String> snapshots = new ArrayList<>();

    @Mixin
    SnapshotFilter filter;

    @Override
    public Integer call() throws Exception {
        List<PathMatcher> byName = new ArrayList<>();
        List<PathMatcher> byPath = new ArrayList<>();
        for (String p : patterns) {
            (p.contains("/") ? byPath : byName).add(FileSystems.getDefault().getPathMatcher("glob:" + p));
        }
        try (Repository repo = open()) {
            List<SnapshotRef> chosen = new ArrayList<>();
            if (snapshots.isEmpty()) {
                for (SnapshotRef r : repo.snapshots(e -> ctx().err().println("error: " + e.getMessage()))) {
                    if (filter.test(r.snapshot())) {
                        chosen.add(r);
                    }
                }
            } else {
                for (String s : snapshots) {
                    var id = snapshot(repo, s);
                    chosen.add(new SnapshotRef(id, repo.loadSnapshot(id)));
                }
            }
            SnapshotWalker walker = new SnapshotWalker(repo);
            long found = 0;
            for (SnapshotRef r : chosen) {
                List<String> hits = new ArrayList<>();
                walker.walk(r.snapshot().treeId(), "", (path, n) -> {
                    Path p = Path.of(path);
                    boolean match = byName.stream().anyMatch(m -> m.matches(p.getFileName()))
                            || byPath.stream().anyMatch(m -> m.matches(p));
                    if (match) {
                        hits.add(path);
                        if (root.json()) {
                            ctx().out().println(Output.json(Output.nodeJson(path, n)
                                    .put("snapshot", r.id().hex()).put("time", r.snapshot().time)));
                        }
                    }
                    return true;
                });
                found += hits.size();
                if (!root.json() && !hits.isEmpty()) {
                    ctx().out().println("snapshot " + r.id().shortHex() + " of " + Output.localTime(r.snapshot().instant())
                            + " (" + r.snapshot().host + "):");
                    for (String h : hits) {
                        ctx().out().println("  " + h);
                    }
                }
            }
            if (!root.json() && found == 0 && !root.quiet()) {
                ctx().err().println("nothing found in " + chosen.size() + " snapshots");
            }
            return 0;
        }
    }
}
