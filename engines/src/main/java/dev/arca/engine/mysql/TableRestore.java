package dev.arca.engine.mysql;

import dev.arca.engine.files.ContentStream;
import dev.arca.engine.files.SnapshotWalker;
import dev.arca.format.id.FileId;
import dev.arca.format.repo.Repository;
import dev.arca.format.tree.Node;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Restores chosen tables of a logical full snapshot into a database of a running server: the
 * dump is read once to check every table is in it (nothing is written otherwise), then again
 * with only those tables' sections piped into {@code mariadb} connected to the target. Existing
 * tables of the same names in the target database are replaced (the dump drops and recreates them).
 */
public final class TableRestore {
    /** {@code snapshot}: an id prefix, else the latest logical full snapshot before {@code before} (null: the latest). */
    public record Options(List<String> tables, String into, String snapshot, Instant before, String server) {
    }

    public record Result(MysqlSnapshots.Entry full, Set<String> tables) {
    }

    private final Repository repo;
    private final Tools target;
    private final Options options;

    public TableRestore(Repository repo, MysqlUri target, Options options) {
        this.repo = repo;
        this.target = new Tools(target);
        this.options = options;
    }

    public Result run() throws IOException {
        Set<String> wanted = new LinkedHashSet<>();
        Set<String> names = new LinkedHashSet<>();
        for (String t : options.tables()) {
            int dot = t.indexOf('.');
            if (dot <= 0 || dot == t.length() - 1) {
                throw new IllegalArgumentException("--tables wants db.table names, got '" + t + "'");
            }
            if (!names.add(t.substring(dot + 1))) {
                throw new IllegalArgumentException("two tables named " + t.substring(dot + 1)
                        + " cannot both be restored into " + options.into());
            }
            wanted.add(t);
        }
        MysqlSnapshots.Entry full = pick();
        Node dump = new SnapshotWalker(repo).resolve(full.snapshot().treeId(), "/" + MysqlBackup.DUMP_FILE);
        if (dump == null || !dump.isFile()) {
            throw new MysqlException("snapshot " + full.id().shortHex() + " holds no " + MysqlBackup.DUMP_FILE
                    + " (table restore needs a logical backup)");
        }
        TableExtractor scan = new TableExtractor(wanted);
        try (InputStream in = new ContentStream(repo, dump)) {
            scan.extract(in, null, options.into());
        }
        Set<String> missing = new LinkedHashSet<>(wanted);
        missing.removeAll(scan.found());
        if (!missing.isEmpty()) {
            throw new MysqlException("the backup " + full.id().shortHex() + " of " + full.time() + " holds no table "
                    + String.join(", ", missing) + "; nothing was restored");
        }
        List<String> c = target.command("mariadb", "mysql");
        TableExtractor ex = new TableExtractor(wanted);
        Tools.runFeeding(target.builder(c), out -> {
            try (InputStream in = new ContentStream(repo, dump)) {
                ex.extract(in, out, options.into());
            }
        }, "restoring tables into " + target.uri().server());
        return new Result(full, ex.found());
    }

    private MysqlSnapshots.Entry pick() throws IOException {
        List<MysqlSnapshots.Entry> all = MysqlSnapshots.list(repo, null);
        if (options.snapshot() != null) {
            FileId id = repo.resolveSnapshot(options.snapshot(), s -> MysqlSnapshots.ENGINE.equals(s.engine));
            for (MysqlSnapshots.Entry e : all) {
                if (e.id().equals(id)) {
                    return e;
                }
            }
        }
        String server = MysqlSnapshots.pickServer(all, options.server());
        MysqlSnapshots.Entry best = null;
        for (MysqlSnapshots.Entry e : all) {
            if (server.equals(e.server()) && MysqlSnapshots.FULL.equals(e.type())
                    && "logical".equals(e.meta().path("format").asText())
                    && (options.before() == null || e.time().isBefore(options.before()))) {
                best = e;
            }
        }
        if (best == null) {
            throw new MysqlException("no logical full backup of " + server
                    + (options.before() == null ? "" : " before " + options.before()) + "; nothing was restored");
        }
        return best;
    }
}
