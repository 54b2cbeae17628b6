package dev.arca.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.cli.ExitCodes;
import dev.arca.cli.Output;
import dev.arca.engine.rocksdb.ArcaBackupEngineReadOnly;
import dev.arca.engine.rocksdb.RocksBackup;
import dev.arca.format.repo.Repository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list", description = {
    "List RocksDB backups: database, id, time, sequence number, size, number of files, app metadata.",
    "",
    "Examples:",
    "  arca rocksdb list",
    "  arca rocksdb list --name orders --json"})
public final class RocksdbListCommand extends RocksdbCommand.Sub {
    @Option(names = "--name", paramLabel = "NAME", description = "Only this database's backups, e.g. --name orders.")
    String name;

    @Override
    public Integer call() throws Exception {
        try (Repository repo = open()) {
            List<String> problems = new ArrayList<>();
            List<RocksBackup> all = new ArrayList<>();
            for (RocksBackup b : ArcaBackupEngineReadOnly.allBackups(repo, e -> {
                problems.add(e.getMessage());
                ctx().err().println("error: " + e.getMessage());
            })) {
                if (name == null || name.equals(b.name())) {
                    all.add(b);
                }
            }
            if (root().json()) {
                ArrayNode arr = Output.JSON.createArrayNode();
                all.forEach(b -> arr.add(json(b)));
                ctx().out().println(Output.json(arr));
            } else {
                var out = ctx().out();
                int width = Math.max(8, all.stream().mapToInt(b -> b.name().length()).max().orElse(8));
                String fmt = "%-" + width + "s %5s  %-19s %12s %10s %6s  %-9s %s%n";
                out.printf(fmt, "Database", "ID", "Time", "Sequence", "Size", "Files", "Snapshot", "Metadata");
                out.println("-".repeat(width + 86));
                for (RocksBackup b : all) {
                    out.printf(fmt, b.name(), b.backupId(), Output.localTime(Instant.ofEpochSecond(b.timestamp())),
                            b.sequenceNumber(), Output.bytes(b.totalSize()), b.files().size(), b.snapshotId().shortHex(),
                            b.appMetadataString() == null ? "" : b.appMetadataString());
                }
                out.println("-".repeat(width + 86));
                out.println(all.size() + (all.size() == 1 ? " backup" : " backups"));
            }
            return problems.isEmpty() ? ExitCodes.OK : ExitCodes.INTEGRITY;
        }
    }

    static ObjectNode json(RocksBackup b) {
        ObjectNode o = Output.object();
        o.put("name", b.name());
        o.put("backup_id", b.backupId());
        o.put("timestamp", b.timestamp());
        o.put("time", Instant.ofEpochSecond(b.timestamp()).toString());
        o.put("sequence_number", b.sequenceNumber());
        o.put("size", b.totalSize());
        o.put("number_files", b.files().size());
        if (b.appMetadataString() != null) {
            o.put("app_metadata", b.appMetadataString());
        }
        o.put("source", b.source());
        o.put("snapshot_id", b.snapshotId().hex());
        return o;
    }
}
