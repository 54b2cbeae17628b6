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
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A full backup of a live server, streamed into the repository without a temporary copy: the
 * native output of {@code mariadb-dump} (logical) or of {@code mariadb-backup --stream=xbstream}
 * (physical; the server's datadir must be on this machine). The snapshot is made only if the tool
 * exits with status 0 and told the binlog coordinates it is consistent with.
 */
public final class MysqlBackup {
    public static final String DUMP_FILE = "dump.sql";
    public static final String XBSTREAM_FILE = "backup.xbstream";
    private static final Set<String> SYSTEM_DATABASES = Set.of("mysql", "information_schema", "performance_schema", "sys");
    private static final Pattern BACKUP_COORDS = Pattern.compile(
            "MySQL binlog position: filename '([^']+)', position '(\\d+)'(?:, GTID of the last change '([^']*)')?");

    /** What to back up; {@code databases} empty = every database but the system ones. */
    public record Options(List<String> databases, boolean physical, String host, String user, List<String> tags) {
    }

    private final Repository repo;
    private final Tools tools;
    private final Options options;
    private final BackupStats stats = new BackupStats();

    public MysqlBackup(Repository repo, MysqlUri uri, Options options) {
        this.repo = repo;
        this.tools = new Tools(uri);
        this.options = options;
    }

    public long bytesProcessed() {
        return stats.bytesProcessed.get();
    }

    public record Result(FileId id, Snapshot snapshot) {
    }

    public Result run() throws IOException {
        if (options.physical() && !options.databases().isEmpty()) {
            throw new IllegalArgumentException("--databases works with logical dumps only: a physical backup is the "
                    + "whole datadir, which point-in-time restore needs");
        }
        ServerInfo info = ServerInfo.read(tools);
        info.requireBinlog();
        Instant start = Instant.now();
        List<String> dbs = options.databases().isEmpty() ? userDatabases() : options.databases();
        return options.physical() ? physical(info, dbs, start) : logical(info, dbs, start);
    }

    private List<String> userDatabases() throws MysqlException {
        List<String> dbs = new ArrayList<>();
        for (String[] row : tools.query("SHOW DATABASES")) {
            if (!SYSTEM_DATABASES.contains(row[0])) {
                dbs.add(row[0]);
            }
        }
        if (dbs.isEmpty()) {
            throw new MysqlException(tools.uri().server() + " holds no databases besides the system ones; nothing to back up");
        }
        return dbs;
    }

    private Result logical(ServerInfo info, List<String> dbs, Instant start) throws IOException {
        List<String> c = tools.command("mariadb-dump", "mysqldump");
        c.addAll(List.of("--single-transaction", "--routines", "--triggers", "--events", "--hex-blob",
                "--master-data=2", "--gtid", "--databases"));
        c.addAll(dbs);
        DumpHeader header = new DumpHeader();
        Process p = tools.builder(c).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        Tools.StreamGobbler err = Tools.StreamGobbler.start(p.getErrorStream());
        try (BackupSession session = new BackupSession(repo, stats);
                InputStream out = p.getInputStream()) {
            BackupSession.Content content = session.saveChunks(new DumpChunker(out, header));
            List<BlobId> ids = join(content);
            int status = waitFor(p);
            if (status != 0) {
                throw new MysqlException("mariadb-dump exited with status " + status + ": " + err.text()
                        + "; no snapshot was made");
            }
            if (!header.hasCoordinates()) {
                throw new MysqlException("the dump of " + tools.uri().server()
                        + " names no binlog coordinates (no CHANGE MASTER comment); no snapshot was made");
            }
            ObjectNode m = metadata(info, dbs, "logical", header.file, header.position, header.gtid);
            return commit(session, DUMP_FILE, content.length(), ids, start, m);
        } finally {
            p.destroy();
        }
    }

    private Result physical(ServerInfo info, List<String> dbs, Instant start) throws IOException {
        Path tmp = Files.createTempDirectory("arca-mariabackup");
        Path cnf = tmp.resolve("client.cnf");
        Files.createFile(cnf, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        MysqlUri uri = tools.uri();
        Files.writeString(cnf, "[client]\nuser=" + uri.user() + "\n"
                + (uri.password() == null ? "" : "password=" + uri.password() + "\n"));
        List<String> c = new ArrayList<>(List.of(Tools.find("mariadb-backup", "mariabackup"),
                "--defaults-extra-file=" + cnf, "--backup", "--stream=xbstream", "--host=" + uri.host(),
                "--port=" + uri.port(), "--protocol=TCP", "--target-dir=" + tmp.resolve("target")));
        Process p = new ProcessBuilder(c).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        Tools.StreamGobbler err = Tools.StreamGobbler.startKeepingAll(p.getErrorStream());
        try (BackupSession session = new BackupSession(repo, stats);
                InputStream out = p.getInputStream()) {
            BackupSession.Content content = session.saveContent(out);
            List<BlobId> ids = join(content);
            int status = waitFor(p);
            String log = err.text();
            if (status != 0) {
                throw new MysqlException("mariadb-backup exited with status " + status + " (it only works on the "
                        + "machine the server runs on, with read access to its datadir): " + lastLines(log)
                        + "; no snapshot was made");
            }
            Matcher mm = BACKUP_COORDS.matcher(log);
            if (!mm.find()) {
                throw new MysqlException("mariadb-backup did not report the binlog position; no snapshot was made");
            }
            ObjectNode m = metadata(info, dbs, "physical", mm.group(1), Long.parseLong(mm.group(2)), mm.group(3));
            return commit(session, XBSTREAM_FILE, content.length(), ids, start, m);
        } finally {
            p.destroy();
            deleteTree(tmp);
        }
    }

    /** The end of a long tool log, where the error is. */
    private static String lastLines(String log) {
        return log.length() <= 400 ? log : "…" + log.substring(log.length() - 400);
    }

    private ObjectNode metadata(ServerInfo info, List<String> dbs, String format, String file, long pos, String gtid) {
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("type", MysqlSnapshots.FULL);
        m.put("format", format);
        m.put("server", tools.uri().server());
        m.put("server_version", info.version());
        m.put("server_id", info.serverId());
        ArrayNode a = m.putArray("databases");
        dbs.forEach(a::add);
        ObjectNode b = m.putObject("binlog");
        b.put("file", file);
        b.put("position", pos);
        if (gtid != null) {
            b.put("gtid", gtid);
        }
        return m;
    }

    private Result commit(BackupSession session, String name, long length, List<BlobId> ids, Instant start, ObjectNode m)
            throws IOException {
        stats.filesProcessed.incrementAndGet();
        stats.filesNew.incrementAndGet();
        Instant now = Instant.now();
        Node file = session.withContent(Node.builder(name, NodeKind.FILE).mode(0644).mtime(now).ctime(now).size(length), ids);
        BlobId root = session.saveTree(Tree.of(List.of(file)));
        Snapshot s = new Snapshot();
        s.time = start.toString();
        s.tree = root.hex();
        s.paths = List.of("/" + name);
        s.host = options.host();
        s.user = options.user();
        s.tags = options.tags();
        s.engine = MysqlSnapshots.ENGINE;
        s.programVersion = Version.PROGRAM;
        s.engineMetadata = m;
        return new Result(session.commit(s), s);
    }

    static List<BlobId> join(BackupSession.Content content) throws IOException {
        try {
            return content.ids().join();
        } catch (RuntimeException e) {
            throw BackupSession.unwrap(e);
        }
    }

    static int waitFor(Process p) throws IOException {
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for " + p.info().command().orElse("a tool"));
        }
    }

    static void deleteTree(Path dir) {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
