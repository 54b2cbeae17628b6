package dev.arca.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.arca.cli.ExitCodes;
import dev.arca.cli.Output;
import dev.arca.engine.mysql.MysqlSnapshots;
import dev.arca.format.repo.Repository;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "snapshots", description = {
    "List the mysql snapshots by time and type, with their binlog coordinates: full backups (binlog file:position "
            + "they are consistent with) and binlog captures (files, and the time of their first and last events).",
    "",
    "The same filters work on 'arca snapshots' for any engine.",
    "",
    "Examples:",
    "  arca mysql snapshots",
    "  arca mysql snapshots --type full --from 2024-03-01 --to 2024-03-07",
    "  arca mysql snapshots --server db1:3306 --json"})
public final class MysqlSnapshotsCommand extends MysqlCommand.Sub {
    @Mixin
    EngineTimeFilter filter = new EngineTimeFilter();

    @Option(names = "--server", paramLabel = "HOST:PORT", description = "Only backups of this server, e.g. --server db1:3306.")
    String server;

    @Override
    public Integer call() throws Exception {
        try (Repository repo = open()) {
            List<MysqlSnapshots.Entry> shown = MysqlSnapshots.list(repo, server).stream()
                    .filter(e -> filter.test(e.snapshot())).toList();
            if (root().json()) {
                ArrayNode arr = Output.JSON.createArrayNode();
                shown.forEach(e -> arr.add(Output.snapshotJson(e.id(), e.snapshot())));
                ctx().out().println(Output.json(arr));
                return ExitCodes.OK;
            }
            var out = ctx().out();
            String fmt = "%-9s %-19s %-7s %-22s %-42s %10s%n";
            out.printf(fmt, "ID", "Time", "Type", "Server", "Binlog", "Size");
            out.println("-".repeat(114));
            for (MysqlSnapshots.Entry e : shown) {
                JsonNode m = e.meta();
                String where;
                if (MysqlSnapshots.FULL.equals(e.type())) {
                    where = m.path("format").asText() + " @ " + m.path("binlog").path("file").asText() + ":"
                            + m.path("binlog").path("position").asLong();
                } else {
                    where = m.path("start").path("file").asText() + " … " + m.path("end").path("file").asText() + ":"
                            + m.path("end").path("position").asLong() + " to " + shortTime(m.path("last_event").asText());
                }
                long size = e.snapshot().summary == null ? 0 : e.snapshot().summary.totalBytesProcessed;
                out.printf(fmt, e.id().shortHex(), Output.localTime(e.time()), e.type(), e.server(), where,
                        Output.bytes(size));
            }
            out.println("-".repeat(114));
            out.println(shown.size() + (shown.size() == 1 ? " snapshot" : " snapshots"));
            return ExitCodes.OK;
        }
    }

    private static String shortTime(String iso) {
        try {
            String t = Output.localTime(Instant.parse(iso));
            return t.substring(t.indexOf(' ') + 1);
        } catch (RuntimeException e) {
            return iso;
        }
    }
}
