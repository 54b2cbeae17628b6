package dev.arca.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.cli.ExitCodes;
import dev.arca.cli.Hosts;
import dev.arca.cli.Output;
import dev.arca.cli.Progress;
import dev.arca.engine.mysql.MysqlBackup;
import dev.arca.format.repo.Repository;
import dev.arca.format.snapshot.Snapshot;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "backup", description = {
    "Take a full backup of a live server: a consistent logical dump (mariadb-dump --single-transaction "
            + "--routines --triggers --events --master-data=2 --gtid) streamed into the repository as dump.sql, or "
            + "with --physical a mariadb-backup --stream=xbstream stream (backup.xbstream; works only on the machine "
            + "the server runs on, since mariadb-backup copies its datadir).",
    "",
    "The binlog file, position and GTID the backup is consistent with are recorded in the snapshot; binlogs "
            + "captured from there on ('arca mysql binlog') allow restoring any later second. If the tool fails, or "
            + "the server has binary logging off, no snapshot is made. Without --databases every database but the "
            + "system ones (mysql, information_schema, performance_schema, sys) is dumped.",
    "",
    "Examples:",
    "  arca mysql backup --uri mysql://backup:secret@db1:3306",
    "  MYSQL_PWD=secret arca mysql backup --uri mysql://backup@db1 --databases shop,crm --tag daily",
    "  arca mysql backup --uri mysql://backup@127.0.0.1:3306 --physical"})
public final class MysqlBackupCommand extends MysqlCommand.Sub {
    @Option(names = "--uri", required = true, paramLabel = "URI",
            description = "The server, e.g. mysql://backup@db1:3306 (password in the URI, $MYSQL_PWD or --mysql-password-file).")
    String uri;

    @Option(names = "--databases", split = ",", paramLabel = "DB",
            description = "Only these databases, e.g. --databases shop,crm (default: all but the system ones; "
                    + "logical dumps only).")
    List<String> databases = new ArrayList<>();

    @Option(names = "--physical",
            description = "A physical backup with mariadb-backup instead of a dump (the server must be on this machine).")
    boolean physical;

    @Mixin
    OriginOptions origin = new OriginOptions();

    @Override
    public Integer call() throws Exception {
        dev.arca.format.crypto.CryptoWarmup.start();
        try (Repository repo = open()) {
            MysqlBackup b = new MysqlBackup(repo, uri(uri), new MysqlBackup.Options(databases, physical,
                    origin.host(), Hosts.user(ctx()), origin.tags()));
            Progress progress = Progress.start(ctx(), root().showProgress(), "mysql backup", b::bytesProcessed, () -> 0,
                    () -> "");
            MysqlBackup.Result r;
            try {
                r = b.run();
            } finally {
                Progress.stop(progress);
            }
            Snapshot s = r.snapshot();
            var m = s.engineMetadata;
            var bl = m.path("binlog");
            if (root().json()) {
                ObjectNode j = Output.object().put("message_type", "summary").put("snapshot_id", r.id().hex());
                j.set("engine_metadata", m);
                j.put("bytes", s.summary.totalBytesProcessed).put("data_added", s.summary.dataAdded)
                        .put("data_added_packed", s.summary.dataAddedPacked);
                ctx().out().println(Output.json(j));
            } else if (!root().quiet()) {
                ctx().out().printf("full backup of %s (%s, %s): binlog %s:%d, GTID %s; added %s (%s stored); saved as %s%n",
                        m.path("server").asText(), m.path("format").asText(), Output.bytes(s.summary.totalBytesProcessed),
                        bl.path("file").asText(), bl.path("position").asLong(), bl.path("gtid").asText("-"),
                        Output.bytes(s.summary.dataAdded), Output.bytes(s.summary.dataAddedPacked), r.id().shortHex());
            }
            return ExitCodes.OK;
        }
    }
}
