package dev.arca.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.cli.ExitCodes;
import dev.arca.cli.Output;
import dev.arca.format.id.FileId;
import dev.arca.format.repo.Repository;
import dev.arca.format.repo.SnapshotRef;
import dev.arca.format.snapshot.Snapshot;
import dev.arca.index.Retention;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "forget", description = {
    "Remove snapshots: the ones named, or those a retention policy does not keep. Snapshots are grouped "
            + "(by host and paths unless --group-by says otherwise) and the policy applies to each group, newest "
            + "first: --keep-daily 7 keeps the newest snapshot of each of the last 7 days that have one, and so on "
            + "for hours, ISO weeks, months and years (in this machine's time zone). A snapshot is kept if any rule "
            + "keeps it. Forget removes snapshot files only; 'prune' (or --prune) then frees the data.",
    "",
    "Examples:",
    "  arca forget --keep-daily 7 --keep-weekly 5 --keep-monthly 12 --keep-yearly 3",
    "  arca forget --keep-last 10 --host db1 --dry-run",
    "  arca forget --keep-within 2y5m7d3h --keep-tag release --prune",
    "  arca forget --keep-last 3 --group-by host,engine --json",
    "  arca forget 4f2a9c1e 9b1d0e77"})
public final class ForgetCommand extends RepoCommand {
    @Parameters(paramLabel = "SNAPSHOT", arity = "0..*", description = "Snapshots to remove (ids or prefixes); "
            + "not together with --keep-* options.")
    List<String> ids = new ArrayList<>();

    @Option(names = "--keep-last", paramLabel = "N", description = "Keep the N newest snapshots (-1: all).")
    int last;

    @Option(names = "--keep-hourly", paramLabel = "N", description = "Keep the newest snapshot of each of the last N hours that have one.")
    int hourly;

    @Option(names = "--keep-daily", paramLabel = "N", description = "Keep the newest snapshot of each of the last N days that have one.")
    int daily;

    @Option(names = "--keep-weekly", paramLabel = "N", description = "Keep the newest snapshot of each of the last N ISO weeks that have one.")
    int weekly;

    @Option(names = "--keep-monthly", paramLabel = "N", description = "Keep the newest snapshot of each of the last N months that have one.")
    int monthly;

    @Option(names = "--keep-yearly", paramLabel = "N", description = "Keep the newest snapshot of each of the last N years that have one.")
    int yearly;

    @Option(names = "--keep-within", paramLabel = "DURATION",
            description = "Keep snapshots newer than the group's newest one minus DURATION, e.g. 2y5m7d3h or 14d.")
    String within;

    @Option(names = "--keep-tag", paramLabel = "TAG", description = "Keep snapshots with this tag (repeatable).")
    List<String> keepTags = new ArrayList<>();

    @Option(names = "--group-by", paramLabel = "FIELDS", defaultValue = "host,paths",
            description = "Group snapshots by these of host, paths, engine (default ${DEFAULT-VALUE}; '' for one group).")
    String groupBy;

    @Mixin
    SnapshotFilter filter;

    @Option(names = {"-n", "--dry-run"}, description = "Only say what would be removed.")
    boolean dryRun;

    @Option(names = "--prune", description = "Run 'prune' afterwards (its options apply; with --json its summary "
            + "is a second line).")
    boolean prune;

    @Mixin
    PruneOptions pruneOptions;

    @Override
    public Integer call() throws Exception {
        Retention.Policy policy = Retention.Policy.none().withLast(last).withHourly(hourly).withDaily(daily)
                .withWeekly(weekly).withMonthly(monthly).withYearly(yearly)
                .withWithin(within == null ? null : Retention.Within.parse(within)).withTags(Set.copyOf(keepTags));
        if (!ids.isEmpty() && !policy.isEmpty()) {
            throw new IllegalArgumentException("name snapshots or give --keep-* options, not both");
        }
        if (ids.isEmpty() && policy.isEmpty()) {
            throw new IllegalArgumentException("no policy: give --keep-last, --keep-daily, ... or snapshot ids "
                    + "(nothing was removed)");
        }
        Retention.GroupBy grouping = Retention.GroupBy.parse(groupBy);
        try (Repository repo = open()) {
            List<SnapshotRef> all = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            for (SnapshotRef r : repo.snapshots(e -> {
                problems.add(e.getMessage());
                ctx().err().println("error: " + e.getMessage());
            })) {
                if (filter.test(r.snapshot())) {
                    all.add(r);
                }
            }
            List<FileId> remove = new ArrayList<>();
            if (!ids.isEmpty()) {
                Set<FileId> named = new LinkedHashSet<>();
                for (String s : ids) {
                    named.add(snapshot(repo, s));
                }
                remove.addAll(named);
                if (root.json()) {
                    ArrayNode arr = Output.JSON.createArrayNode();
                    named.forEach(id -> arr.add(id.hex()));
                    ctx().out().println(Output.json(Output.object().set("remove", arr)));
                }
            } else {
                if (!problems.isEmpty()) {
                    // An unreadable snapshot might be one the policy should count: decide nothing.
                    throw new dev.arca.format.CorruptObjectException("snapshots/", problems.size()
                            + " snapshot file(s) cannot be read; forget with a policy removes nothing until they can");
                }
                List<Retention.Group> groups = Retention.apply(all, policy, grouping, ZoneId.systemDefault());
                for (Retention.Group g : groups) {
                    g.remove().forEach(r -> remove.add(r.id()));
                }
                if (root.json()) {
                    ctx().out().println(Output.json(json(groups)));
                } else if (!root.quiet()) {
                    print(groups);
                }
            }
            if (!dryRun) {
                for (FileId id : remove) {
                    repo.removeSnapshot(id);
                }
            }
            if (!root.json() && !root.quiet()) {
                ctx().out().printf("%s %d snapshot%s%n", dryRun ? "would remove" : "removed", remove.size(),
                        remove.size() == 1 ? "" : "s");
            }
            if (prune) {
                PruneCommand.run(this, repo, pruneOptions.toOptions(dryRun));
            }
        }
        return ExitCodes.OK;
    }

    private static ObjectNode keyJson(Retention.Key k) {
        ObjectNode o = Output.object();
        if (k.host() != null) {
            o.put("host", k.host());
        }
        if (k.paths() != null) {
            ArrayNode p = o.putArray("paths");
            k.paths().forEach(p::add);
        }
        if (k.engine() != null) {
            o.put("engine", k.engine());
        }
        return o;
    }

    private static ArrayNode json(List<Retention.Group> groups) {
        ArrayNode arr = Output.JSON.createArrayNode();
        for (Retention.Group g : groups) {
            ObjectNode o = arr.addObject();
            o.set("group_key", keyJson(g.key()));
            ArrayNode keep = o.putArray("keep");
            ArrayNode reasons = o.putArray("reasons");
            for (Retention.Kept k : g.keep()) {
                keep.add(Output.snapshotJson(k.snapshot().id(), k.snapshot().snapshot()));
                ObjectNode r = reasons.addObject();
                r.put("id", k.snapshot().id().hex());
                r.put("time", k.snapshot().snapshot().time);
                ArrayNode m = r.putArray("matches");
                k.reasons().forEach(m::add);
            }
            ArrayNode rm = o.putArray("remove");
            for (SnapshotRef r : g.remove()) {
                rm.add(Output.snapshotJson(r.id(), r.snapshot()));
            }
        }
        return arr;
    }

    private void print(List<Retention.Group> groups) {
        var out = ctx().out();
        String fmt = "%-9s %-19s %-16s %-12s %s%n";
        for (Retention.Group g : groups) {
            Retention.Key k = g.key();
            List<String> parts = new ArrayList<>();
            if (k.host() != null) {
                parts.add("host " + k.host());
            }
            if (k.paths() != null) {
                parts.add("paths " + String.join(", ", k.paths()));
            }
            if (k.engine() != null) {
                parts.add("engine " + k.engine());
            }
            out.println("snapshots of " + (parts.isEmpty() ? "all" : String.join(", ", parts)) + ":");
            out.printf("keep %d:%n", g.keep().size());
            out.printf(fmt, "ID", "Time", "Host", "Tags", "Reasons");
            for (Retention.Kept kept : g.keep()) {
                Snapshot s = kept.snapshot().snapshot();
                out.printf(fmt, kept.snapshot().id().shortHex(), Output.localTime(s.instant()), s.host,
                        String.join(",", s.tags), String.join(", ", kept.reasons()));
            }
            out.printf("remove %d:%n", g.remove().size());
            for (SnapshotRef r : g.remove()) {
                Snapshot s = r.snapshot();
                out.printf(fmt, r.id().shortHex(), Output.localTime(s.instant()), s.host, String.join(",", s.tags), "");
            }
            out.println();
        }
    }
}
