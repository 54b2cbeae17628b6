package dev.arca.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.cli.ExitCodes;
import dev.arca.cli.Hosts;
import dev.arca.cli.Output;
import dev.arca.engine.mysql.BinlogCapture;
import dev.arca.engine.mysql.MysqlUri;
import dev.arca.format.repo.Repository;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "binlog", description = {
    "Capture the server's binlogs in their original bytes (as mariadb-binlog --read-from-remote-server --raw "
            + "writes them) and record a snapshot of type binlog every interval. Each round reads from the file "
            + "the previous round ended in (or the one the latest full backup starts from) to the server's current "
            + "end; a file that grew is stored again, but only its new bytes are added. Every event's CRC32 is "
            + "checked when the server writes checksums (binlog_checksum=CRC32); a mismatch fails the round naming "
            + "file and offset, and records nothing.",
    "",
    "Without --once it runs until stopped (Ctrl-C); a failed round is reported and retried at the next interval.",
    "",
    "Examples:",
    "  arca mysql binlog --uri mysql://backup@db1:3306 --every 5m",
    "  arca mysql binlog --uri mysql://backup@db1:3306 --once"})
public final class MysqlBinlogCommand extends MysqlCommand.Sub {
    @Option(names = "--uri", required = true, paramLabel = "URI",
            description = "The server, e.g. mysql://backup@db1:3306 (it needs the REPLICATION SLAVE privilege).")
    String uri;

    @Option(names = "--every", paramLabel = "DURATION", defaultValue = "5m",
            description = "Time between rounds, e.g. --every 5m or --every 30s (default: ${DEFAULT-VALUE}).")
    String every;

    @Option(names = "--once", description = "One round, then exit (for cron or 'arca schedule').")
    boolean once;

    @Mixin
    OriginOptions origin = new OriginOptions();

    @Override
    public Integer call() throws Exception {
        dev.arca.format.crypto.CryptoWarmup.start();
        Duration interval = Durations.parse(every);
        MysqlUri u = uri(uri);
        while (true) {
            long started = System.nanoTime();
            try (Repository repo = open()) {
                BinlogCapture c = new BinlogCapture(repo, u, new BinlogCapture.Options(origin.host(), Hosts.user(ctx()),
                        origin.tags()), w -> ctx().err().println("warning: " + w));
                report(c.round());
            } catch (java.io.IOException e) {
                if (once) {
                    throw e;
                }
                ctx().err().println("arca: binlog round failed: " + e.getMessage() + "; next try in "
                        + Durations.format(interval));
            }
            if (once) {
                return ExitCodes.OK;
            }
            long waitMs = interval.toMillis() - (System.nanoTime() - started) / 1_000_000;
            if (waitMs > 0) {
                Thread.sleep(waitMs);
            }
        }
    }

    private void report(BinlogCapture.Result r) {
        var m = r.snapshot().engineMetadata;
        var s = r.snapshot().summary;
        if (root().json()) {
            ObjectNode j = Output.object().put("message_type", "binlog").put("snapshot_id", r.id().hex());
            j.set("engine_metadata", m);
            j.put("bytes", s.totalBytesProcessed).put("data_added", s.dataAdded);
            ctx().out().println(Output.json(j));
        } else if (!root().quiet()) {
            ctx().out().printf("binlog of %s: %s … %s:%d, events %s … %s; read %s, added %s; saved as %s%n",
                    m.path("server").asText(), m.path("start").path("file").asText(), m.path("end").path("file").asText(),
                    m.path("end").path("position").asLong(), m.path("first_event").asText(), m.path("last_event").asText(),
                    Output.bytes(s.totalBytesProcessed), Output.bytes(s.dataAdded), r.id().shortHex());
        }
    }
}
