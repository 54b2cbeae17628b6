package dev.arca.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.cli.ExitCodes;
import dev.arca.cli.Output;
import dev.arca.engine.mysql.MariadbInstance;
import dev.arca.engine.mysql.PitrRestore;
import dev.arca.engine.mysql.TableRestore;
import dev.arca.format.repo.Repository;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "restore", description = {
    "Restore a server as it was at a second into a NEW instance (the original server is not touched), or "
            + "restore chosen tables from a logical backup into a database of a running server.",
    "",
    "With --new-instance: initializes a MariaDB in DIR (datadir DIR/data, socket DIR/mysqld.sock, error log "
            + "DIR/mariadbd.err) from the latest full backup consistent before the end of that second (a dump is "
            + "loaded into a new datadir from mariadb-install-db; a physical backup is unpacked with mbstream and "
            + "prepared with mariadb-backup, and keeps the original accounts), then replays the captured binlogs from the backup's coordinates up to the "
            + "second (mariadb-binlog --start-position … --stop-datetime … | mariadb): every transaction that started "
            + "in or before it is applied. The instance is left running (on the socket and on 127.0.0.1:PORT; after a "
            + "dump, root has no password) unless --stop. A second before the first backup or after the last binlog capture is "
            + "refused before anything is created. Times are in this machine's time zone.",
    "",
    "With --tables: the tables' definitions, rows and triggers from the latest logical full backup (or the one "
            + "before --at, or --snapshot) are loaded into database --into of the server --uri (created if missing; "
            + "tables of the same names there are replaced).",
    "",
    "Examples:",
    "  arca mysql restore --at '2024-03-01 14:05:09' --new-instance /srv/restore1 --port 3307",
    "  arca mysql restore --at '2024-03-01 14:05:09' --new-instance /srv/restore1 --stop",
    "  arca mysql restore --tables shop.orders,shop.items --uri mysql://admin@db1 --into shop_rescue"})
public final class MysqlRestoreCommand extends MysqlCommand.Sub {
    @Option(names = "--at", paramLabel = "TIME",
            description = "The second to restore, \"YYYY-MM-DD HH:MM:SS\" in this machine's time zone, e.g. --at '2024-03-01 14:05:09'.")
    String at;

    @Option(names = "--new-instance", paramLabel = "DIR",
            description = "Create the new instance in DIR (new or empty), e.g. --new-instance /srv/restore1.")
    String newInstance;

    @Option(names = "--port", paramLabel = "PORT",
            description = "TCP port of the new instance on 127.0.0.1 (default: a free one), e.g. --port 3307.")
    Integer port;

    @Option(names = "--stop", description = "Shut the new instance down when the restore is done (start it again with mariadbd --datadir=DIR/data …).")
    boolean stop;

    @Option(names = "--server", paramLabel = "HOST:PORT",
            description = "Which server's backups to use when the repository holds several, e.g. --server db1:3306.")
    String server;

    @Option(names = "--tables", split = ",", paramLabel = "DB.TABLE",
            description = "Restore only these tables into --into on --uri, e.g. --tables shop.orders,shop.items.")
    List<String> tables = new ArrayList<>();

    @Option(names = "--uri", paramLabel = "URI", description = "With --tables: the server to load them into, e.g. mysql://admin@db1:3306.")
    String uri;

    @Option(names = "--into", paramLabel = "DB", description = "With --tables: the database to load them into, e.g. --into shop_rescue.")
    String into;

    @Option(names = "--snapshot", paramLabel = "ID", description = "With --tables: this full backup (id or prefix) instead of the latest.")
    String snapshot;

    @Override
    public Integer call() throws Exception {
        if (!tables.isEmpty()) {
            return tables();
        }
        if (at == null || newInstance == null) {
            throw new IllegalArgumentException("give --at TIME and --new-instance DIR (or --tables … --uri … --into …)");
        }
        ZoneId zone = ZoneId.systemDefault();
        try (Repository repo = open()) {
            int p = port != null ? port : MariadbInstance.freePort();
            PitrRestore r = new PitrRestore(repo, new PitrRestore.Options(at, zone, ctx().path(newInstance), p, stop, server),
                    m -> {
                        if (!root().quiet() && !root().json()) {
                            ctx().err().println(m);
                        }
                    });
            PitrRestore.Result res = r.run();
            MariadbInstance inst = res.instance();
            if (root().json()) {
                ObjectNode j = Output.object().put("message_type", "summary").put("at", at)
                        .put("full_snapshot", res.full().id().hex()).put("directory", inst.dir().toString())
                        .put("port", inst.port()).put("socket", inst.socket().toString()).put("running", !stop);
                ArrayNode a = j.putArray("binlogs");
                res.binlogs().forEach(a::add);
                ctx().out().println(Output.json(j));
            } else if (!root().quiet()) {
                ctx().out().printf("restored %s as of %s into %s (full backup %s, %d binlog file(s))%n",
                        res.full().server(), at, inst.dir(), res.full().id().shortHex(), res.binlogs().size());
                if (stop) {
                    ctx().out().printf("the instance is stopped; start it with: mariadbd --no-defaults --datadir=%s "
                            + "--socket=%s --port=%d%s%n", inst.dataDir(), inst.socket(), inst.port(),
                            dev.arca.cli.Hosts.isRoot() ? " --user=root" : "");
                } else if (res.originalAccounts()) {
                    ctx().out().printf("it is running (pid %d) with the original server's accounts (from the physical "
                            + "backup): mariadb --socket=%s -u USER -p   or   mariadb -h127.0.0.1 -P%d -u USER -p%n",
                            inst.pid(), inst.socket(), inst.port());
                    ctx().out().printf("stop it with: kill %d%n", inst.pid());
                } else {
                    ctx().out().printf("it is running (pid %d): mariadb --socket=%s -uroot   or   mariadb -h127.0.0.1 -P%d -uroot%n",
                            inst.pid(), inst.socket(), inst.port());
                    ctx().out().printf("stop it with: mariadb-admin --socket=%s -uroot shutdown%n", inst.socket());
                }
            }
            return ExitCodes.OK;
        }
    }

    private int tables() throws Exception {
        if (uri == null || into == null) {
            throw new IllegalArgumentException("--tables needs --uri (the server to load them into) and --into DB");
        }
        try (Repository repo = open()) {
            java.time.Instant before = at == null ? null : PitrRestore.parseAt(at, ZoneId.systemDefault()).plusSeconds(1);
            TableRestore.Result r = new TableRestore(repo, uri(uri), new TableRestore.Options(tables, into, snapshot, before,
                    server)).run();
            if (root().json()) {
                ObjectNode j = Output.object().put("message_type", "summary").put("full_snapshot", r.full().id().hex())
                        .put("into", into);
                ArrayNode a = j.putArray("tables");
                r.tables().forEach(a::add);
                ctx().out().println(Output.json(j));
            } else if (!root().quiet()) {
                ctx().out().printf("restored %s from the backup %s of %s into database %s%n", String.join(", ", r.tables()),
                        r.full().id().shortHex(), Output.localTime(r.full().time()), into);
            }
            return ExitCodes.OK;
        }
    }
}
