package dev.arca.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.cli.CommandFailure;
import dev.arca.cli.ExitCodes;
import dev.arca.cli.Output;
import dev.arca.cli.Progress;
import dev.arca.engine.redis.Glob;
import dev.arca.engine.redis.RdbFormatException;
import dev.arca.engine.redis.RdbParser;
import dev.arca.engine.redis.RedisException;
import dev.arca.engine.redis.RedisRestore;
import dev.arca.engine.redis.RedisSnapshot;
import dev.arca.engine.redis.RedisUri;
import dev.arca.format.id.FileId;
import dev.arca.format.repo.Repository;
import dev.arca.format.snapshot.Snapshot;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "restore", description = {
    "Give a Redis snapshot back: its RDB byte for byte into a file (redis-server starts on it), or its keys "
            + "into a live server with RESTORE.",
    "",
    "--rdb writes the RDB through a temporary name in the same directory and renames it at the end; its CRC64 "
            + "is checked on the way, and a mismatch leaves nothing behind.",
    "--to sends pipelined RESTORE commands (DUMP payloads built from the stored value bytes), with --match and "
            + "--db choosing keys. Expiry times are kept as absolute times; keys whose time has passed are left "
            + "out; keys that already exist in the server are kept unless --replace. A server older than the "
            + "snapshot's RDB version is refused before anything is written if a chosen key has a type it "
            + "cannot load.",
    "",
    "Examples:",
    "  arca redis restore latest --rdb /var/lib/redis/dump.rdb",
    "  arca redis restore 4f2a9c1e --to redis://localhost:6380",
    "  arca redis restore latest --to redis://:secret@10.0.0.7:6379 --match 'user:*' --db 0 --replace",
    "",
    RedisAofCli.RESTORE_HELP,
    RedisAofCli.RESTORE_HELP_MORE,
    RedisAofCli.RESTORE_EXAMPLE_1,
    RedisAofCli.RESTORE_EXAMPLE_2,
    RedisAofCli.RESTORE_EXAMPLE_3})
public final class RedisRestoreCommand extends RedisCommand.Sub {
    @Parameters(index = "0", paramLabel = "SNAPSHOT",
            description = "Snapshot id, prefix, or 'latest' (the latest Redis snapshot).")
    String snapshot;

    /** Where the snapshot goes: exactly one of these. */
    static final class Target {
        @Option(names = "--rdb", paramLabel = "FILE",
                description = "Write the RDB to FILE (it must not exist), e.g. --rdb /var/lib/redis/dump.rdb.")
        Path rdb;

        @Option(names = "--to", paramLabel = "URI",
                description = "Restore keys into this server: redis://[[user]:password@]host[:port], "
                        + "e.g. --to redis://localhost:6380.")
        String to;

        @Option(names = "--aof-dir", paramLabel = "DIR", description = RedisAofCli.AOF_DIR_RESTORE)
        String aofDir;
    }

    @picocli.CommandLine.Mixin
    RedisAofCli.AtOptions at = new RedisAofCli.AtOptions();

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--match", paramLabel = "PATTERN",
            description = "With --to: only keys matching this Redis glob (*, ?, [a-z], \\x), e.g. --match 'user:*'.")
    String match;

    @Option(names = "--db", paramLabel = "N", description = "With --to: only keys of database N, e.g. --db 0.")
    Integer db;

    @Option(names = "--replace", description = "With --to: overwrite keys that already exist in the server.")
    boolean replace;

    @Option(names = "--window", paramLabel = "N", defaultValue = "1000",
            description = "With --to: RESTORE commands in flight at once (default ${DEFAULT-VALUE}).")
    int window;

    @Override
    public Integer call() throws Exception {
        if (target.aofDir != null) {
            if (match != null || db != null || replace) {
                throw new CommandFailure(ExitCodes.USAGE, "--match, --db and --replace choose keys for --to; "
                        + "--aof-dir writes the AOF directory");
            }
            return RedisAofCli.restore(this, snapshot, target.aofDir, at);
        }
        if (at.at != null || at.utc) {
            throw new CommandFailure(ExitCodes.USAGE, "--at and --utc go with --aof-dir");
        }
        if (target.rdb != null && (match != null || db != null || replace)) {
            throw new CommandFailure(ExitCodes.USAGE, "--match, --db and --replace choose keys for --to; "
                    + "--rdb writes the whole RDB");
        }
        if (window < 1) {
            throw new CommandFailure(ExitCodes.USAGE, "--window must be at least 1");
        }
        try (Repository repo = open()) {
            FileId[] id = new FileId[1];
            Snapshot s = snapshot(repo, snapshot, id);
            RedisSnapshot rs = new RedisSnapshot(repo, s);
            AtomicLong done = new AtomicLong();
            if (target.rdb != null) {
                Path file = ctx().path(target.rdb.toString());
                Progress progress = Progress.start(ctx(), root().showProgress(), "redis restore", done::get,
                        () -> rs.rdbNode().size(), () -> "");
                RdbParser p;
                try {
                    p = RedisRestore.toFile(rs, file, done);
                } catch (RdbFormatException e) {
                    throw new CommandFailure(ExitCodes.INTEGRITY, e.getMessage() + "; nothing was written");
                } catch (FileAlreadyExistsException e) {
                    throw new CommandFailure(ExitCodes.ERROR, e.getFile());
                } finally {
                    Progress.stop(progress);
                }
                if (root().json()) {
                    ctx().out().println(Output.json(Output.object().put("message_type", "summary")
                            .put("snapshot_id", id[0].hex()).put("file", file.toString()).put("bytes", p.length())
                            .put("keys", p.keys()).put("crc64_checked", p.crcOk() != null)));
                } else if (!root().quiet()) {
                    ctx().out().printf("wrote %s (%s, %d keys, CRC64 %s) from snapshot %s%n", file,
                            Output.bytes(p.length()), p.keys(), p.crcOk() != null ? "checked" : "none in the RDB",
                            id[0].shortHex());
                }
                return ExitCodes.OK;
            }
            RedisUri uri;
            try {
                uri = RedisUri.parse(target.to);
            } catch (IllegalArgumentException e) {
                throw new CommandFailure(ExitCodes.USAGE, e.getMessage());
            }
            RedisRestore.Filter filter = new RedisRestore.Filter(match == null ? null : new Glob(match), db);
            Progress progress = Progress.start(ctx(), root().showProgress(), "redis restore", done::get, () -> 0,
                    () -> "");
            RedisRestore.Result r;
            try {
                r = RedisRestore.toServer(rs, uri, filter, replace, window, done, System.currentTimeMillis());
            } catch (RedisException e) {
                throw new CommandFailure(ExitCodes.ERROR, e.getMessage());
            } finally {
                Progress.stop(progress);
            }
            if (root().json()) {
                ObjectNode o = Output.object().put("message_type", "summary").put("snapshot_id", id[0].hex())
                        .put("target", uri.redacted()).put("restored", r.restored)
                        .put("skipped_existing", r.skippedExisting).put("expired", r.expired)
                        .put("not_matched", r.filteredOut).put("bytes", r.bytes);
                ctx().out().println(Output.json(o));
            } else if (!root().quiet()) {
                ctx().out().printf("restored %d keys (%s) into %s; %d already there and kept%s, %d expired and left "
                        + "out, %d not matched%n", r.restored, Output.bytes(r.bytes), uri.redacted(), r.skippedExisting,
                        replace ? "" : " (use --replace to overwrite)", r.expired, r.filteredOut);
            }
            return ExitCodes.OK;
        }
    }
}
