package dev.arca.engine.mysql;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.format.id.FileId;
import dev.arca.format.repo.Repository;
import dev.arca.format.repo.SnapshotRef;
import dev.arca.format.snapshot.Snapshot;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/** The mysql snapshots of a repository, read from their engine metadata. */
public final class MysqlSnapshots {
    public static final String ENGINE = "mysql";
    public static final String FULL = "full";
    public static final String BINLOG = "binlog";

    /** One mysql snapshot: id, manifest, and its type and server from the metadata. */
    public record Entry(FileId id, Snapshot snapshot) {
        public String type() {
            return meta().path("type").asText("");
        }

        public String server() {
            return meta().path("server").asText("");
        }

        public Instant time() {
            return snapshot.instant();
        }

        public JsonNode meta() {
            return snapshot.engineMetadata == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
                    : snapshot.engineMetadata;
        }
    }

    private MysqlSnapshots() {
    }

    /** Every mysql snapshot, oldest first; {@code server} null = of any server. */
    public static List<Entry> list(Repository repo, String server) throws IOException {
        List<Entry> out = new ArrayList<>();
        for (SnapshotRef r : repo.snapshots(e -> { })) {
            Snapshot s = r.snapshot();
            if (ENGINE.equals(s.engine)) {
                Entry e = new Entry(r.id(), s);
                if (server == null || server.equals(e.server())) {
                    out.add(e);
                }
            }
        }
        out.sort(Comparator.comparing(Entry::time));
        return out;
    }

    /**
     * The one server the repository holds mysql snapshots of, or {@code wanted} checked to be
     * among them.
     */
    public static String pickServer(List<Entry> all, String wanted) throws MysqlException {
        TreeSet<String> servers = new TreeSet<>();
        all.forEach(e -> servers.add(e.server()));
        if (wanted != null) {
            if (!servers.contains(wanted)) {
                throw new MysqlException("the repository holds no mysql snapshots of " + wanted
                        + (servers.isEmpty() ? "" : " (it has: " + String.join(", ", servers) + ")"));
            }
            return wanted;
        }
        if (servers.isEmpty()) {
            throw new MysqlException("the repository holds no mysql snapshots");
        }
        if (servers.size() > 1) {
            throw new MysqlException("the repository holds mysql snapshots of several servers ("
                    + String.join(", ", servers) + "); choose one with --server HOST:PORT");
        }
        return servers.first();
    }
}
