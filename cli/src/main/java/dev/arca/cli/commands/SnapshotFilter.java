package dev.arca.cli.commands;

import dev.arca.format.snapshot.Snapshot;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code --host/--tag/--path} filter shared by commands that pick snapshots. */
public final class SnapshotFilter {
    @Option(names = "--host", paramLabel = "HOST", description = "Only snapshots of this host (repeatable).")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--tag", paramLabel = "TAG", description = "Only snapshots with this tag (repeatable: any of them).")
    List<String> tags = new ArrayList<>();

    @Option(names = "--path", paramLabel = "PATH", description = "Only snapshots that include this path (repeatable).")
    List<String> paths = new ArrayList<>();

    public boolean test(Snapshot s) {
        if (!hosts.isEmpty() && !hosts.contains(s.host)) {
            return false;
        }
        if (!tags.isEmpty() && s.tags.stream().noneMatch(tags::contains)) {
            return false;
        }
        return paths.isEmpty() || s.paths.containsAll(paths);
    }
}
