package dev.arca.engine.mysql;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.engine.Version;
import dev.arca.engine.files.BackupSession;
import dev.arca.engine.files.BackupStats;
import dev.arca.format.id.BlobId;
import dev.arca.format.id.FileId;
import dev.arca.format.io.Json;
import dev.arca.format.repo.Repository;
import dev.arca.format.snapshot.Snapshot;
import dev.arca.format.tree.Node;
import dev.arca.format.tree.NodeKind;
import dev.arca.format.tree.Tree;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One round of binlog capture: pulls the server's binlogs in their original bytes with
 * {@code mariadb-binlog --read-from-remote-server --raw --to-last-log}, from the file the previous
 * capture ended in (or the one the latest full backup starts from) to the server's current end,
 * checks every event ({@link BinlogVerifier}) and stores the files as one snapshot of type
 * {@code binlog}. A file that grew since the last round is stored whole again, but its chunks are
 * content-defined, so only the new bytes (and the chunk they end) are added.
 *
 * <p>The tool writes the files to a temporary directory, which is removed after the round.
 */
public final class BinlogCapture {
    public static final String DIR = "binlog";

    public record Options(String host, String user, List<String> tags) {
    }

    public record Result(FileId id, Snapshot snapshot, List<String> files, long bytes) {
    }

    private final Repository repo;
    private final Tools tools;
    private final Options options;
    private final Consumer<String> warnings;
    private BackupStats stats = new BackupStats();

    public BinlogCapture(Repository repo, MysqlUri uri, Options options, Consumer<String> warnings) {
        this.repo = repo;
        this.tools = new Tools(uri);
        this.options = options;
        this.warnings = warnings;
    }

    public long bytesProcessed() {
        return stats.bytesProcessed.get();
    }

    /** One round; returns the snapshot it made. */
    public Result round() throws IOException {
        stats = new BackupStats();
        Instant start = Instant.now();
        ServerInfo info = ServerInfo.read(tools);
        info.requireBinlog();
        List<String> serverLogs = new ArrayList<>();
        for (String[] row : tools.query("SHOW BINARY LOGS")) {
            serverLogs.add(row[0]);
        }
        if (serverLogs.isEmpty()) {
            throw new MysqlException(info.server() + " lists no binary logs");
        }
        String first = startFile(serverLogs);
        Path tmp = Files.createTempDirectory("arca-binlog");
        try {
            List<String> c = tools.command("mariadb-binlog", "mysqlbinlog");
            c.addAll(List.of("--read-from-remote-server", "--raw", "--to-last-log", "--result-file=" + tmp + "/", first));
            Tools.run(tools.builder(c).directory(tmp.toFile()), null, "mariadb-binlog");
            List<String> files = serverLogs.subList(serverLogs.indexOf(first), serverLogs.size()).stream()
                    .filter(f -> Files.exists(tmp.resolve(f))).toList();
            if (files.isEmpty() || !files.get(0).equals(first)) {
                throw new MysqlException("mariadb-binlog wrote no " + first + " from " + info.server());
            }
            return store(info, tmp, files, start);
        } finally {
            MysqlBackup.deleteTree(tmp);
        }
    }

    private String startFile(List<String> serverLogs) throws IOException {
        List<MysqlSnapshots.Entry> all = MysqlSnapshots.list(repo, tools.uri().server());
        MysqlSnapshots.Entry lastBinlog = null;
        MysqlSnapshots.Entry lastFull = null;
        for (MysqlSnapshots.Entry e : all) {
            if (MysqlSnapshots.BINLOG.equals(e.type())) {
                lastBinlog = e;
            } else if (MysqlSnapshots.FULL.equals(e.type())) {
                lastFull = e;
            }
        }
        if (lastBinlog != null) {
            String f = lastBinlog.meta().path("end").path("file").asText();
            if (serverLogs.contains(f)) {
                return f;
            }
            String g = lastFull == null ? null : lastFull.meta().path("binlog").path("file").asText();
            if (g != null && lastFull.time().isAfter(lastBinlog.time()) && serverLogs.contains(g)) {
                warnings.accept("binlog " + f + ", where the last capture ended, is no longer on the server; "
                        + "starting again from " + g + " of the full backup of " + lastFull.time()
                        + " (times between the two cannot be restored)");
                return g;
            }
            throw new MysqlException("binlog " + f + ", where the last capture (" + lastBinlog.time()
                    + ") ended, is no longer on " + tools.uri().server() + " (purged?): the chain would have a gap; "
                    + "take a full backup, then capture again");
        }
        if (lastFull != null) {
            String g = lastFull.meta().path("binlog").path("file").asText();
            if (serverLogs.contains(g)) {
                return g;
            }
            warnings.accept("binlog " + g + " of the full backup of " + lastFull.time()
                    + " is no longer on the server; starting from " + serverLogs.get(0));
        }
        return serverLogs.get(0);
    }

    private Result store(ServerInfo info, Path tmp, List<String> files, Instant start) throws IOException {
        try (BackupSession session = new BackupSession(repo, stats)) {
            List<Node> nodes = new ArrayList<>();
            ArrayNode fileMeta = Json.MAPPER.createArrayNode();
            Map<String, String> gtids = new LinkedHashMap<>();
            long firstTs = 0;
            long lastTs = 0;
            long lastSize = 0;
            boolean checksums = false;
            for (String f : files) {
                BinlogVerifier v;
                List<BlobId> ids;
                try (InputStream in = Files.newInputStream(tmp.resolve(f))) {
                    v = new BinlogVerifier(in, f);
                    ids = MysqlBackup.join(session.saveContent(v));
                    v.drain();
                }
                stats.filesProcessed.incrementAndGet();
                Instant mtime = Instant.ofEpochSecond(v.lastTimestamp());
                nodes.add(session.withContent(Node.builder(f, NodeKind.FILE).mode(0640).mtime(mtime).ctime(mtime)
                        .size(v.size()), ids));
                ObjectNode fm = fileMeta.addObject();
                fm.put("name", f);
                fm.put("size", v.size());
                fm.put("events", v.events());
                fm.put("first_event", Instant.ofEpochSecond(v.firstTimestamp()).toString());
                fm.put("last_event", Instant.ofEpochSecond(v.lastTimestamp()).toString());
                if (firstTs == 0) {
                    firstTs = v.firstTimestamp();
                }
                lastTs = Math.max(lastTs, v.lastTimestamp());
                lastSize = v.size();
                checksums |= v.checksums();
                for (String g : v.gtids().split(",")) {
                    if (!g.isEmpty()) {
                        gtids.put(g.substring(0, g.indexOf('-')), g);
                    }
                }
            }
            BlobId dir = session.saveTree(Tree.of(nodes));
            Node dirNode = Node.builder(DIR, NodeKind.DIR).mode(0755).mtime(start).ctime(start).subtree(dir).build();
            BlobId root = session.saveTree(Tree.of(List.of(dirNode)));
            ObjectNode m = Json.MAPPER.createObjectNode();
            m.put("type", MysqlSnapshots.BINLOG);
            m.put("server", info.server());
            m.put("server_version", info.version());
            m.put("server_id", info.serverId());
            m.put("checksum", checksums ? "CRC32" : "NONE");
            m.set("files", fileMeta);
            m.putObject("start").put("file", files.get(0)).put("position", 4);
            m.putObject("end").put("file", files.get(files.size() - 1)).put("position", lastSize);
            m.put("first_event", Instant.ofEpochSecond(firstTs).toString());
            m.put("last_event", Instant.ofEpochSecond(lastTs).toString());
            m.put("gtid", String.join(",", gtids.values()));
            m.put("complete_until", start.toString());
            Snapshot s = new Snapshot();
            s.time = start.toString();
            s.tree = root.hex();
            s.paths = List.of("/" + DIR);
            s.host = options.host();
            s.user = options.user();
            s.tags = options.tags();
            s.engine = MysqlSnapshots.ENGINE;
            s.programVersion = Version.PROGRAM;
            s.engineMetadata = m;
            FileId id = session.commit(s);
            return new Result(id, s, files, stats.bytesProcessed.get());
        }
    }
}
