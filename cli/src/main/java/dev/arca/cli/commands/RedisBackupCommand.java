package dev.arca.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.cli.CommandFailure;
import dev.arca.cli.ExitCodes;
import dev.arca.cli.Hosts;
import dev.arca.cli.Output;
import dev.arca.cli.Progress;
import dev.arca.engine.files.BackupStats;
import dev.arca.engine.files.FileBackup;
import dev.arca.engine.redis.RdbFormatException;
import dev.arca.engine.redis.RedisBackup;
import dev.arca.engine.redis.RedisException;
import dev.arca.engine.redis.RedisUri;
import dev.arca.format.repo.Repository;
import dev.arca.format.snapshot.Snapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "backup", description = {
    "Back up one RDB into a new snapshot (engine redis): a live server's, received over the replication "
            + "protocol, or an .rdb file.",
    "",
    "With --uri arca speaks to the server as 'redis-cli --rdb' does (REPLCONF capa eof, REPLCONF rdb-only 1, "
            + "SYNC) and takes both disk-based and diskless (repl-diskless-sync yes) transfers. The RDB goes "
            + "straight into the repository: nothing is written to disk on either side beyond what the server "
            + "itself does for a disk-based SYNC, and memory does not grow with the RDB's size. The user needs "
            + "the permission to run SYNC (an ACL user with +sync +replconf, or the default user).",
    "",
    "The RDB is walked while it is stored: its CRC64 is checked and every key's database, type, expiry and "
            + "byte range recorded. A truncated RDB, a wrong CRC64 or an unknown type byte is an error naming "
            + "the byte offset, and then no snapshot is made. An RDB of an unknown version, or with an opcode "
            + "this arca does not know, is stored as it is, with a warning: its keys (from that point) are "
            + "not listed.",
    "",
    "Examples:",
    "  arca redis backup --uri redis://localhost:6379",
    "  arca redis backup --uri redis://backup:s3cret@10.0.0.5:6379 --tag nightly",
    "  arca redis backup --rdb /var/lib/redis/dump.rdb",
    "",
    RedisAofCli.BACKUP_HELP,
    RedisAofCli.BACKUP_HELP_MORE,
    RedisAofCli.BACKUP_EXAMPLE})
public final class RedisBackupCommand extends RedisCommand.Sub {
    /** Where the RDB comes from: exactly one of these. */
    static final class Source {
        @Option(names = "--uri", paramLabel = "URI",
                description = "A live server: redis://[[user]:password@]host[:port] (port 6379 by default), "
                        + "e.g. --uri redis://:secret@10.0.0.5:6379. Percent-encode '@' or ':' in a password.")
        String uri;

        @Option(names = "--rdb", paramLabel = "FILE",
                description = "An RDB file, stored under its own name, e.g. --rdb /var/lib/redis/dump.rdb.")
        Path rdb;

        @Option(names = "--aof-dir", paramLabel = "DIR", description = RedisAofCli.AOF_DIR_BACKUP)
        String aofDir;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "With --uri: give up when the server sends nothing for this long (default ${DEFAULT-VALUE}; "
                    + "a server busy writing a large disk-based RDB sends keepalives), e.g. --timeout 600.")
    int timeoutSeconds;

    @Mixin
    OriginOptions origin = new OriginOptions();

    @Override
    public Integer call() throws Exception {
        if (source.aofDir != null) {
            return RedisAofCli.backup(this, source.aofDir, origin);
        }
        dev.arca.format.crypto.CryptoWarmup.start();
        BackupStats stats = new BackupStats();
        Instant start = Instant.now();
        AtomicLong total = new AtomicLong(-1);
        try (Repository repo = open()) {
            RedisBackup b = new RedisBackup(repo, new RedisBackup.Options(origin.host(), Hosts.user(ctx()), origin.tags()),
                    stats, w -> ctx().err().println("warning: " + w));
            Progress progress = Progress.start(ctx(), root().showProgress(), "redis backup", stats.bytesProcessed::get,
                    total::get, () -> "");
            FileBackup.Result result;
            try {
                if (source.rdb != null) {
                    Path f = ctx().path(source.rdb.toString());
                    if (Files.isRegularFile(f)) {
                        total.set(Files.size(f));
                    }
                    result = b.file(f);
                } else {
                    RedisUri uri;
                    try {
                        uri = RedisUri.parse(source.uri);
                    } catch (IllegalArgumentException e) {
                        throw new CommandFailure(ExitCodes.USAGE, e.getMessage());
                    }
                    result = b.server(uri, timeoutSeconds * 1000, total::set);
                }
            } catch (RdbFormatException e) {
                throw new CommandFailure(ExitCodes.ERROR, e.getMessage() + "; no snapshot was made");
            } catch (RedisException e) {
                throw new CommandFailure(ExitCodes.ERROR, e.getMessage() + "; no snapshot was made");
            } finally {
                Progress.stop(progress);
            }
            report(result, Duration.between(start, Instant.now()));
            return ExitCodes.OK;
        }
    }

    private void report(FileBackup.Result r, Duration took) {
        Snapshot s = r.snapshot();
        ObjectNode m = s.engineMetadata;
        if (root().json()) {
            ObjectNode o = Output.object();
            o.put("message_type", "summary");
            o.put("snapshot_id", r.snapshotId().hex());
            o.put("engine", s.engine);
            o.set("engine_metadata", m);
            o.put("data_blobs", s.summary.dataBlobs);
            o.put("data_added", s.summary.dataAdded);
            o.put("data_added_packed", s.summary.dataAddedPacked);
            o.put("total_bytes_processed", s.summary.totalBytesProcessed);
            o.put("total_duration", took.toNanos() / 1e9);
            ctx().out().println(Output.json(o));
            return;
        }
        if (root().quiet()) {
            return;
        }
        StringBuilder dbs = new StringBuilder();
        m.path("keys_per_db").fields().forEachRemaining(e -> dbs.append(dbs.length() == 0 ? "" : ", ")
                .append("db").append(e.getKey()).append(" ").append(e.getValue().asLong()));
        ctx().out().printf("RDB version %d%s, %s: %d keys%s, CRC64 %s%n", m.path("rdb_version").asInt(),
                m.has("redis_ver") ? " (Redis " + m.path("redis_ver").asText() + ")" : "",
                Output.bytes(m.path("rdb_size").asLong()), m.path("keys").asLong(),
                dbs.length() == 0 ? "" : " (" + dbs + ")",
                m.path("crc64_checked").asBoolean() ? "checked" : m.path("crc64").asText());
        ctx().out().printf("Added to the repository: %s (%s stored)%n", Output.bytes(s.summary.dataAdded),
                Output.bytes(s.summary.dataAddedPacked));
        ctx().out().printf("processed %s in %s%n", Output.bytes(m.path("rdb_size").asLong()),
                BackupCommand.formatDuration(took));
        ctx().out().println("snapshot " + r.snapshotId().shortHex() + " saved");
    }
}
