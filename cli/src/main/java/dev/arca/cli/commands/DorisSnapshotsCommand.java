package dev.arca.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.cli.ExitCodes;
import dev.arca.cli.Output;
import dev.arca.engine.doris.DorisSnapshot;
import dev.arca.format.repo.Repository;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "snapshots", description = {
    "List the stored Doris snapshots like SHOW SNAPSHOT: label, timestamp and status, oldest first; for one "
            + "snapshot, its database, tables and partitions.",
    "",
    "The timestamp is the one in the job info's name, as RESTORE's \"backup_timestamp\" property wants it.",
    "",
    "Examples:",
    "  arca doris snapshots",
    "  arca doris snapshots --repository-name s3_repo --json",
    "  arca doris snapshots snapshot_sales_20240301"})
public final class DorisSnapshotsCommand extends DorisCommand.Sub {
    @Parameters(paramLabel = "SNAPSHOT", arity = "0..1",
            description = "Show this snapshot in detail: a Doris label, an arca snapshot id or prefix, or 'latest'.")
    String snapshot;

    @Option(names = "--repository-name", paramLabel = "NAME",
            description = "Only snapshots of this Doris repository (the <name> of __palo_repository_<name>), e.g. s3_repo.")
    String repositoryName;

    @Override
    public Integer call() throws Exception {
        try (Repository repo = open()) {
            if (snapshot != null) {
                detail(DorisSnapshot.resolve(repo, snapshot, repositoryName));
                return ExitCodes.OK;
            }
            List<String> problems = new ArrayList<>();
            List<DorisSnapshot> all = DorisSnapshot.list(repo, repositoryName, e -> {
                problems.add(e.getMessage());
                ctx().err().println("error: " + e.getMessage());
            });
            if (root().json()) {
                ArrayNode arr = Output.JSON.createArrayNode();
                for (DorisSnapshot d : all) {
                    arr.add(summary(d));
                }
                ctx().out().println(Output.json(arr));
            } else {
                table(all);
            }
            return problems.isEmpty() ? ExitCodes.OK : ExitCodes.INTEGRITY;
        }
    }

    private static ObjectNode summary(DorisSnapshot d) {
        return Output.object().put("id", d.id().hex()).put("short_id", d.id().shortHex())
                .put("repository", d.repository()).put("label", d.label()).put("timestamp", d.timestamp())
                .put("status", d.status()).put("database", d.database())
                .put("backup_time", Instant.ofEpochMilli(d.backupTimeMillis()).toString());
    }

    private void table(List<DorisSnapshot> all) {
        PrintStream out = ctx().out();
        int w = Math.max(8, all.stream().mapToInt(d -> d.label().length()).max().orElse(0));
        int r = Math.max(10, all.stream().mapToInt(d -> d.repository().length()).max().orElse(0));
        String fmt = "%-" + w + "s  %-19s  %-6s  %-" + r + "s  %-16s  %s%n";
        out.printf(fmt, "Snapshot", "Timestamp", "Status", "Repository", "Database", "ID");
        out.println("-".repeat(w + r + 19 + 6 + 16 + 8 + 10));
        for (DorisSnapshot d : all) {
            out.printf(fmt, d.label(), d.timestamp(), d.status(), d.repository(), d.database(), d.id().shortHex());
        }
        out.println(all.size() + (all.size() == 1 ? " snapshot" : " snapshots"));
    }

    private void detail(DorisSnapshot d) {
        if (root().json()) {
            ObjectNode o = summary(d);
            JsonNode m = d.snapshot().engineMetadata;
            o.put("database_id", d.databaseId()).put("info_file", d.infoFile()).put("meta_file", d.metaFile())
                    .put("files", m.path("files").asLong()).put("bytes", m.path("bytes").asLong());
            o.set("tables", d.tables());
            o.set("views", m.path("views"));
            ctx().out().println(Output.json(o));
            return;
        }
        PrintStream out = ctx().out();
        JsonNode m = d.snapshot().engineMetadata;
        out.printf("Snapshot:    %s (arca snapshot %s)%n", d.label(), d.id().shortHex());
        out.printf("Repository:  %s%n", d.repository());
        out.printf("Timestamp:   %s (backup time %s)%n", d.timestamp(), Instant.ofEpochMilli(d.backupTimeMillis()));
        out.printf("Status:      %s%n", d.status());
        out.printf("Database:    %s (id %d)%n", d.database(), d.databaseId());
        out.printf("Files:       %d, %s%n", m.path("files").asLong(), Output.bytes(m.path("bytes").asLong()));
        out.println("Tables:");
        for (JsonNode t : d.tables()) {
            out.printf("  %s (id %d)%n", t.path("name").asText(), t.path("id").asLong());
            for (JsonNode p : t.path("partitions")) {
                int tablets = 0;
                List<String> indexes = new ArrayList<>();
                for (JsonNode i : p.path("indexes")) {
                    indexes.add(i.path("name").asText());
                    tablets += i.path("tablets").size();
                }
                out.printf("    %s (id %d, version %d): %d tablets in %s%n", p.path("name").asText(),
                        p.path("id").asLong(), p.path("version").asLong(), tablets,
                        indexes.size() == 1 ? "index " + indexes.get(0) : "indexes " + String.join(", ", indexes));
            }
        }
        if (m.path("views").size() > 0) {
            List<String> views = new ArrayList<>();
            m.path("views").forEach(v -> views.add(v.asText()));
            out.println("Views:       " + String.join(", ", views));
        }
    }
}
