package dev.arca.engine.mysql;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.engine.files.ContentStream;
import dev.arca.engine.files.SnapshotWalker;
import dev.arca.format.repo.Repository;
import dev.arca.format.tree.Node;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Point-in-time restore into a new instance: the latest full snapshot that began before the end of
 * the requested second, loaded into a fresh MariaDB, then the binlogs captured after it replayed
 * from its coordinates with {@code mariadb-binlog --start-position=P --stop-datetime=T+1s files… |
 * mariadb}, so every transaction that started in or before second T is applied.
 *
 * <p>A logical snapshot is loaded into a new datadir made by {@code mariadb-install-db} (root
 * without a password). A physical one is unpacked with {@code mbstream -x} and prepared with
 * {@code mariadb-backup --prepare}; it holds the original server's accounts, so the binlogs are
 * replayed with the grant tables skipped and networking off, and the server is then restarted
 * normally.
 *
 * <p>Everything the request needs is checked before anything is created: a full snapshot before
 * T, a binlog capture that finished after T, and every binlog file from the full snapshot's one to
 * the capture's last. Binlog events' CRC32s are checked again as the files are written out.
 * Times are in the machine's time zone, as {@code mariadb-binlog} reads them.
 */
public final class PitrRestore {
    public static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    public record Options(String at, ZoneId zone, Path dir, int port, boolean stop, String server) {
    }

    /** What was restored: the instance (running unless asked to stop) and the snapshots used. */
    public record Result(MariadbInstance instance, MysqlSnapshots.Entry full, List<String> binlogs,
            MysqlSnapshots.Entry lastBinlog, boolean originalAccounts) {
    }

    /** The plan: which snapshots, checked before anything is touched. */
    public record Plan(MysqlSnapshots.Entry full, Map<String, FileVersion> files, MysqlSnapshots.Entry cover,
            Instant end, String stopDatetime) {
    }

    /** A binlog file as stored in one binlog snapshot. */
    public record FileVersion(String name, MysqlSnapshots.Entry snapshot) {
    }

    private final Repository repo;
    private final Options options;
    private final Consumer<String> log;

    public PitrRestore(Repository repo, Options options, Consumer<String> log) {
        this.repo = repo;
        this.options = options;
        this.log = log;
    }

    /** Parses {@code YYYY-MM-DD HH:MM:SS} in {@code zone}; the instant the second starts. */
    public static Instant parseAt(String at, ZoneId zone) {
        try {
            return LocalDateTime.parse(at.strip(), AT).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--at wants \"YYYY-MM-DD HH:MM:SS\", got \"" + at + "\"");
        }
    }

    public Plan plan() throws IOException {
        Instant second = parseAt(options.at(), options.zone());
        Instant end = second.plusSeconds(1);
        List<MysqlSnapshots.Entry> all = MysqlSnapshots.list(repo, null);
        String server = MysqlSnapshots.pickServer(all, options.server());
        all = all.stream().filter(e -> server.equals(e.server())).toList();
        MysqlSnapshots.Entry full = null;
        MysqlSnapshots.Entry firstFull = null;
        for (MysqlSnapshots.Entry e : all) {
            if (MysqlSnapshots.FULL.equals(e.type())) {
                if (firstFull == null) {
                    firstFull = e;
                }
                if (consistentAt(e).isBefore(end)) {
                    full = e;
                }
            }
        }
        if (full == null) {
            throw new MysqlException(options.at() + " is before the first full backup of " + server
                    + (firstFull == null ? " (there is none)" : " (" + local(firstFull.time()) + ")")
                    + "; nothing was restored");
        }
        MysqlSnapshots.Entry cover = null;
        MysqlSnapshots.Entry lastBinlog = null;
        for (MysqlSnapshots.Entry e : all) {
            if (MysqlSnapshots.BINLOG.equals(e.type())) {
                lastBinlog = e;
                if (cover == null && !e.time().isBefore(end)) {
                    cover = e;
                }
            }
        }
        if (cover == null) {
            throw new MysqlException(options.at() + " is after the last binlog capture of " + server
                    + (lastBinlog == null ? " (there is none)" : " (" + local(lastBinlog.time()) + ")")
                    + ": later changes may be missing; capture the binlogs again (arca mysql binlog --once) "
                    + "or pick an earlier second; nothing was restored");
        }
        String fromFile = full.meta().path("binlog").path("file").asText();
        TreeMap<String, FileVersion> latest = new TreeMap<>(PitrRestore::compareLogNames);
        for (MysqlSnapshots.Entry e : all) {
            if (MysqlSnapshots.BINLOG.equals(e.type()) && !e.time().isAfter(cover.time())) {
                for (JsonNode f : e.meta().path("files")) {
                    String name = f.path("name").asText();
                    if (compareLogNames(name, fromFile) >= 0) {
                        latest.put(name, new FileVersion(name, e));
                    }
                }
            }
        }
        String lastFile = cover.meta().path("end").path("file").asText();
        Map<String, FileVersion> files = new LinkedHashMap<>();
        String expected = fromFile;
        for (FileVersion v : latest.values()) {
            if (compareLogNames(v.name(), lastFile) > 0) {
                break;
            }
            if (!v.name().equals(expected)) {
                throw new MysqlException("binlog " + expected + " is in no binlog snapshot (the chain from the full backup of "
                        + local(full.time()) + " to " + options.at() + " has a gap); nothing was restored");
            }
            files.put(v.name(), v);
            expected = nextLogName(v.name());
        }
        if (files.isEmpty()) {
            throw new MysqlException("binlog " + fromFile + " (where the full backup of " + local(full.time())
                    + " starts) is in no binlog snapshot; nothing was restored");
        }
        return new Plan(full, files, cover, end, LocalDateTime.ofInstant(end, options.zone()).format(AT));
    }

    public Result run() throws IOException {
        Plan plan = plan();
        Path dir = options.dir().toAbsolutePath();
        if (Files.exists(dir)) {
            boolean empty;
            try (var entries = Files.list(dir)) {
                empty = entries.findAny().isEmpty();
            }
            if (!empty) {
                throw new MysqlException(dir + " exists and is not empty; the new instance needs an empty or new directory");
            }
        }
        boolean physical = "physical".equals(plan.full().meta().path("format").asText());
        MariadbInstance inst = new MariadbInstance(dir, options.port(), physical
                ? List.of("--skip-log-bin", "--skip-grant-tables", "--skip-networking") : List.of("--skip-log-bin"));
        if (physical) {
            log.accept("unpacking the physical backup of " + local(plan.full().time()) + " ("
                    + plan.full().id().shortHex() + ") into " + inst.dataDir());
            Files.createDirectories(inst.dataDir());
            Node stream = node(plan.full(), "/" + MysqlBackup.XBSTREAM_FILE);
            try (InputStream in = new ContentStream(repo, stream)) {
                Tools.run(new ProcessBuilder(Tools.find("mbstream"), "-x", "-C", inst.dataDir().toString()), in,
                        "mbstream -x");
            }
            Tools.run(new ProcessBuilder(Tools.find("mariadb-backup", "mariabackup"), "--no-defaults", "--prepare",
                    "--target-dir=" + inst.dataDir()), (InputStream) null, "mariadb-backup --prepare");
        } else {
            log.accept("initializing a new MariaDB instance in " + dir);
            inst.install();
        }
        inst.start();
        boolean ok = false;
        try {
            if (!physical) {
                log.accept("loading the full backup of " + local(plan.full().time()) + " (" + plan.full().id().shortHex() + ")");
                Node dump = node(plan.full(), "/" + MysqlBackup.DUMP_FILE);
                try (InputStream in = new ContentStream(repo, dump)) {
                    Tools.run(new ProcessBuilder(inst.rootClient()), in, "loading the dump into the new instance");
                }
            }
            Path logs = dir.resolve("restore-binlogs");
            Files.createDirectories(logs);
            List<String> names = new ArrayList<>();
            for (FileVersion v : plan.files().values()) {
                Node n = node(v.snapshot(), "/" + BinlogCapture.DIR + "/" + v.name());
                try (InputStream in = new BinlogVerifier(new ContentStream(repo, n), v.name());
                        OutputStream out = Files.newOutputStream(logs.resolve(v.name()))) {
                    in.transferTo(out);
                }
                names.add(v.name());
            }
            long pos = plan.full().meta().path("binlog").path("position").asLong();
            log.accept("replaying " + names.size() + " binlog file(s) from " + names.get(0) + ":" + pos + " up to "
                    + options.at() + " (stop-datetime " + plan.stopDatetime() + ")");
            replay(inst, logs, names, pos, plan.stopDatetime());
            MysqlBackup.deleteTree(logs);
            if (physical) {
                inst.stop();
                inst = new MariadbInstance(dir, options.port(), List.of("--skip-log-bin"));
                if (!options.stop()) {
                    inst.startWithoutCheck();
                }
            }
            ok = true;
            if (options.stop()) {
                inst.stop();
            }
            return new Result(inst, plan.full(), names, plan.cover(), physical);
        } catch (MysqlException e) {
            throw new MysqlException(e.getMessage() + "; the unfinished instance is left, stopped, in " + dir, e);
        } finally {
            if (!ok) {
                inst.stop();
            }
        }
    }

    private void replay(MariadbInstance inst, Path logs, List<String> names, long pos, String stop) throws IOException {
        List<String> c = new ArrayList<>(List.of(Tools.find("mariadb-binlog", "mysqlbinlog"), "--no-defaults",
                "--start-position=" + pos, "--stop-datetime=" + stop));
        c.addAll(names);
        ProcessBuilder binlog = new ProcessBuilder(c).directory(logs.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        binlog.environment().put("TZ", options.zone().getId());
        Process reader = binlog.start();
        Tools.StreamGobbler readerErr = Tools.StreamGobbler.start(reader.getErrorStream());
        try {
            Tools.run(new ProcessBuilder(inst.rootClient()), reader.getInputStream(), "replaying the binlogs");
            int status = MysqlBackup.waitFor(reader);
            if (status != 0) {
                throw new MysqlException("mariadb-binlog failed (exit status " + status + "): " + readerErr.text());
            }
        } finally {
            reader.destroy();
        }
    }

    /**
     * When a full snapshot's data is from: a dump's consistent read starts with the backup; a
     * physical backup is consistent as of its end.
     */
    static Instant consistentAt(MysqlSnapshots.Entry e) {
        if ("physical".equals(e.meta().path("format").asText()) && e.snapshot().summary != null
                && e.snapshot().summary.backupEnd != null) {
            return Instant.parse(e.snapshot().summary.backupEnd);
        }
        return e.time();
    }

    private Node node(MysqlSnapshots.Entry e, String path) throws IOException {
        Node n = new SnapshotWalker(repo).resolve(e.snapshot().treeId(), path);
        if (n == null || !n.isFile()) {
            throw new MysqlException("snapshot " + e.id().shortHex() + " has no " + path);
        }
        return n;
    }

    private String local(Instant t) {
        return LocalDateTime.ofInstant(t, options.zone()).format(AT);
    }

    /** Orders binlog names by their numeric suffix (bin.000009 before bin.000010), then by name. */
    static int compareLogNames(String a, String b) {
        int da = a.lastIndexOf('.');
        int db = b.lastIndexOf('.');
        String pa = da < 0 ? a : a.substring(0, da);
        String pb = db < 0 ? b : b.substring(0, db);
        int c = pa.compareTo(pb);
        if (c != 0) {
            return c;
        }
        try {
            return Long.compare(Long.parseLong(a.substring(da + 1)), Long.parseLong(b.substring(db + 1)));
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            return a.compareTo(b);
        }
    }

    /** bin.000009 → bin.000010. */
    static String nextLogName(String name) {
        int d = name.lastIndexOf('.');
        String digits = name.substring(d + 1);
        long n = Long.parseLong(digits) + 1;
        return name.substring(0, d + 1) + String.format("%0" + digits.length() + "d", n);
    }
}
