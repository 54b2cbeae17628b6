package dev.arca.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.cli.CommandFailure;
import dev.arca.cli.ExitCodes;
import dev.arca.cli.Output;
import dev.arca.engine.mysql.ReplicaVerify;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "verify", description = {
    "Check that a primary and its replica hold the same data, without locking: every table with a primary key is "
            + "cut into chunks of rows by key ranges (taken from the primary), and each chunk's row count and "
            + "BIT_XOR(CRC32(CONCAT_WS(…))) of its rows are compared between the two servers (pt-table-checksum "
            + "style), several chunks and tables at a time. A differing chunk is re-read a few times (the replica "
            + "may lag) before it counts.",
    "",
    "Reports tables that differ (with the first differing key range), tables that failed (missing on the "
            + "replica, a query error) and tables ignored (no primary key, or in --ignore). Exit code 0 when all "
            + "compared tables agree, 1 otherwise. Needs no repository.",
    "",
    "Examples:",
    "  arca mysql verify --primary mysql://check@db1:3306 --replica mysql://check@db2:3306",
    "  arca mysql verify --primary mysql://check@db1 --replica mysql://check@db2 --threads 8 --tables-at-once 3 "
            + "--ignore shop.sessions,logs.* --max-rate 50 --json"})
public final class MysqlVerifyCommand extends MysqlCommand.Sub {
    @Option(names = "--primary", required = true, paramLabel = "URI", description = "The primary, e.g. mysql://check@db1:3306.")
    String primary;

    @Option(names = "--replica", required = true, paramLabel = "URI", description = "The replica, e.g. mysql://check@db2:3306.")
    String replica;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "4",
            description = "Chunks compared at once, 1..16 (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--tables-at-once", paramLabel = "N", defaultValue = "2",
            description = "Tables compared at once, 1..5 (default: ${DEFAULT-VALUE}).")
    int tablesAtOnce;

    @Option(names = "--ignore", split = ",", paramLabel = "DB.TABLE",
            description = "Skip these tables; * matches any name, e.g. --ignore shop.sessions,logs.*")
    List<String> ignore = new ArrayList<>();

    @Option(names = "--no-crc", description = "Compare only row counts per chunk (faster, finds missing and extra rows only).")
    boolean noCrc;

    @Option(names = "--max-rate", paramLabel = "MB/s", defaultValue = "0",
            description = "Read at most about this many MB/s from each server (estimated from the tables' average row length; 0 = no limit).")
    double maxRate;

    @Option(names = "--chunk-rows", paramLabel = "N", defaultValue = "1000", description = "Rows per chunk (default: ${DEFAULT-VALUE}).")
    int chunkRows;

    @Override
    public Integer call() throws Exception {
        ReplicaVerify.Report r = new ReplicaVerify(uri(primary), uri(replica), new ReplicaVerify.Options(threads,
                tablesAtOnce, ignore, !noCrc, maxRate, chunkRows)).run();
        if (root().json()) {
            ObjectNode j = Output.object().put("message_type", "summary").put("consistent", r.consistent());
            for (ReplicaVerify.Status s : ReplicaVerify.Status.values()) {
                ArrayNode a = j.putArray(s.name().toLowerCase(Locale.ROOT));
                for (ReplicaVerify.TableResult t : r.with(s)) {
                    ObjectNode o = a.addObject().put("table", t.table());
                    if (t.reason() != null && s != ReplicaVerify.Status.SAME) {
                        o.put("reason", t.reason());
                    }
                    if (s == ReplicaVerify.Status.SAME || s == ReplicaVerify.Status.DIFFERENT) {
                        o.put("rows", t.primaryRows()).put("chunks", t.chunks());
                    }
                    if (s == ReplicaVerify.Status.DIFFERENT) {
                        o.put("from_exclusive", t.from()).put("to_inclusive", t.to())
                                .put("primary_rows_in_range", t.primaryRows()).put("replica_rows_in_range", t.replicaRows());
                    }
                }
            }
            ctx().out().println(Output.json(j));
        } else {
            var out = ctx().out();
            for (ReplicaVerify.TableResult t : r.with(ReplicaVerify.Status.DIFFERENT)) {
                out.printf("DIFFERENT %s: first differing key range %s .. %s (primary %d rows, replica %d rows in it)%n",
                        t.table(), t.from() == null ? "(start)" : "after " + t.from(),
                        t.to() == null ? "(end)" : "up to " + t.to(), t.primaryRows(), t.replicaRows());
            }
            for (ReplicaVerify.TableResult t : r.with(ReplicaVerify.Status.FAILED)) {
                out.printf("FAILED    %s: %s%n", t.table(), t.reason());
            }
            for (ReplicaVerify.TableResult t : r.with(ReplicaVerify.Status.IGNORED)) {
                out.printf("IGNORED   %s: %s%n", t.table(), t.reason());
            }
            if (!root().quiet()) {
                out.printf("%d table(s) agree, %d differ, %d failed, %d ignored%n", r.with(ReplicaVerify.Status.SAME).size(),
                        r.with(ReplicaVerify.Status.DIFFERENT).size(), r.with(ReplicaVerify.Status.FAILED).size(),
                        r.with(ReplicaVerify.Status.IGNORED).size());
            }
        }
        if (!r.consistent()) {
            throw new CommandFailure(ExitCodes.ERROR, null);
        }
        return ExitCodes.OK;
    }
}
