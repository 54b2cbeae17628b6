package dev.arca.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.cli.CommandFailure;
import dev.arca.cli.Context;
import dev.arca.cli.ExitCodes;
import dev.arca.cli.Hosts;
import dev.arca.cli.Output;
import dev.arca.cli.Progress;
import dev.arca.engine.files.BackupStats;
import dev.arca.engine.redis.aof.AofBackup;
import dev.arca.engine.redis.aof.AofFormatException;
import dev.arca.engine.redis.aof.AofRestore;
import dev.arca.format.id.FileId;
import dev.arca.format.repo.Repository;
import dev.arca.format.snapshot.Snapshot;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * The AOF part of {@code arca redis backup} and {@code arca redis restore}: {@code --aof-dir}
 * (a Redis 7 multi-part AOF directory) and point-in-time restore with {@code --at}. Static so
 * the redis command group calls it from whichever subcommand class it has.
 */
final class RedisAofCli {
    static final String BACKUP_HELP = "Back up a Redis 7 multi-part AOF directory (appenddirname, e.g. appendonlydir): "
            + "its manifest and every base and incr file it names, stored verbatim.";
    static final String BACKUP_HELP_MORE = "The manifest, a base RDB's CRC64 and the RESP of every .aof file are checked "
            + "first; a malformed file is an error naming the file and byte offset, and then no snapshot is made. A torn "
            + "tail (a file that ends inside a command, as while Redis writes) is stored as it is and reported. Later backups "
            + "of the same directory (same host) store only what was appended: files are cut into chunks on command "
            + "boundaries, and files whose size, mtime, ctime and inode are unchanged are not read again. Run it while Redis "
            + "runs; if an AOF rewrite changes the manifest meanwhile, the backup fails and can be run again.";
    static final String BACKUP_EXAMPLE = "  arca redis backup --aof-dir /var/lib/redis/appendonlydir --tag hourly";
    static final String AOF_DIR_BACKUP = "The AOF directory (holding <appendfilename>.manifest), "
            + "e.g. --aof-dir /var/lib/redis/appendonlydir.";

    static final String RESTORE_HELP = "With --aof-dir: write the snapshot's multi-part AOF directory, as stored (byte for "
            + "byte) or, with --at, cut at a moment for point-in-time recovery.";
    static final String RESTORE_HELP_MORE = "--at keeps the base and every command up to (not including) the first #TS: "
            + "annotation after the moment: the incr file holding it is truncated there, later incr files are left out and "
            + "the manifest is rewritten to match. The moment must lie between the base's time and the snapshot's last "
            + "annotation, and the server must have run with 'aof-timestamp-enabled yes'. The directory must not exist or be "
            + "empty; it is written under a temporary name beside it and renamed when complete. Start Redis on it with "
            + "'redis-server --appendonly yes --dir PARENT --appenddirname NAME'.";
    static final String RESTORE_EXAMPLE_1 = "  arca redis restore latest --aof-dir /srv/redis-new/appendonlydir";
    static final String RESTORE_EXAMPLE_2 = "  arca redis restore latest --aof-dir /srv/pitr/appendonlydir --at '2024-03-01 14:05:00'";
    static final String RESTORE_EXAMPLE_3 = "  arca redis restore 4f2a9c1e --aof-dir out --at '2024-03-01 13:05:00' --utc";
    static final String AOF_DIR_RESTORE = "Write a multi-part AOF directory here (new or empty), "
            + "e.g. --aof-dir /srv/redis-new/appendonlydir.";

    /** {@code --at} and {@code --utc}. */
    static final class AtOptions {
        @Option(names = "--at", paramLabel = "TIME",
                description = "Cut the AOF at this moment: 'YYYY-MM-DD HH:MM:SS' in the local time zone, or with an explicit "
                        + "offset ('2024-03-01 14:05:00+01:00', '…Z'), or '@<unix seconds>'. "
                        + "E.g. --at '2024-03-01 14:05:00'.")
        String at;

        @Option(names = "--utc", description = "Read --at as UTC instead of the local time zone.")
        boolean utc;
    }

    private static final Pattern AT = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2})[ T](\\d{2}:\\d{2}:\\d{2})\\s*(Z|[+-]\\d{2}:?\\d{2})?");
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx");

    private RedisAofCli() {
    }

    static int backup(EngineGroup.Sub cmd, String dirArg, OriginOptions origin) throws Exception {
        dev.arca.format.crypto.CryptoWarmup.start();
        Context ctx = cmd.ctx();
        Path dir = ctx.path(dirArg);
        BackupStats stats = new BackupStats();
        Instant start = Instant.now();
        try (Repository repo = cmd.open()) {
            String host = origin.host();
            FileId parent = AofBackup.findParent(repo, host, dir, w -> ctx.err().println("warning: " + w));
            AofBackup b = new AofBackup(repo, new AofBackup.Options(host, Hosts.user(ctx), origin.tags(), parent), stats);
            Progress progress = Progress.start(ctx, cmd.root().showProgress(), "redis aof backup", stats.bytesProcessed::get,
                    b::bytesToRead, () -> stats.files() + " files");
            AofBackup.Result r;
            try {
                r = b.run(dir);
            } catch (AofFormatException e) {
                throw new CommandFailure(ExitCodes.ERROR, e.getMessage() + "; no snapshot was made");
            } finally {
                Progress.stop(progress);
            }
            for (String w : r.warnings()) {
                ctx.err().println("warning: " + w);
            }
            reportBackup(cmd, r, Duration.between(start, Instant.now()));
            return ExitCodes.OK;
        }
    }

    private static void reportBackup(EngineGroup.Sub cmd, AofBackup.Result r, Duration took) {
        Context ctx = cmd.ctx();
        Snapshot s = r.snapshot();
        ObjectNode m = s.engineMetadata;
        if (cmd.root().json()) {
            ObjectNode o = Output.object();
            o.put("message_type", "summary");
            o.put("snapshot_id", r.snapshotId().hex());
            o.put("engine", s.engine);
            o.set("engine_metadata", m);
            o.put("files_new", s.summary.filesNew);
            o.put("files_changed", s.summary.filesChanged);
            o.put("files_unmodified", s.summary.filesUnmodified);
            o.put("data_blobs", s.summary.dataBlobs);
            o.put("data_added", s.summary.dataAdded);
            o.put("data_added_packed", s.summary.dataAddedPacked);
            o.put("total_files_processed", s.summary.totalFilesProcessed);
            o.put("total_bytes_processed", s.summary.totalBytesProcessed);
            ArrayNode warnings = o.putArray("warnings");
            r.warnings().forEach(warnings::add);
            o.put("total_duration", took.toNanos() / 1e9);
            ctx.out().println(Output.json(o));
            return;
        }
        if (cmd.root().quiet()) {
            return;
        }
        long incr = 0;
        long commands = 0;
        for (var f : m.path("files")) {
            incr += f.path("type").asText().equals("i") ? 1 : 0;
            commands += f.path("commands").asLong();
        }
        ctx.out().printf("AOF directory %s (manifest %s): %d files, %d incr, %d commands%s%n", m.path("directory").asText(),
                m.path("manifest_name").asText(), m.path("files").size(), incr, commands,
                m.path("last_ts").isNull() ? "; no #TS: annotations (point-in-time restore needs aof-timestamp-enabled yes)"
                        : "; #TS: annotations up to " + show(m.path("last_ts").asLong(), ZoneId.systemDefault()));
        ctx.out().printf("Files: %d new, %d changed, %d unmodified; %s processed%n", s.summary.filesNew,
                s.summary.filesChanged, s.summary.filesUnmodified, Output.bytes(s.summary.totalBytesProcessed));
        ctx.out().printf("Added to the repository: %s (%s stored)%n", Output.bytes(s.summary.dataAdded),
                Output.bytes(s.summary.dataAddedPacked));
        ctx.out().printf("snapshot %s saved%n", r.snapshotId().shortHex());
    }

    static int restore(EngineGroup.Sub cmd, String snapshot, String dirArg, AtOptions atOptions) throws Exception {
        dev.arca.format.crypto.CryptoWarmup.start();
        Context ctx = cmd.ctx();
        Path out = ctx.path(dirArg);
        ZoneId zone = atOptions.utc ? ZoneOffset.UTC : ZoneId.systemDefault();
        Long at = atOptions.at == null ? null : parseAt(atOptions.at, atOptions.utc);
        if (atOptions.utc && atOptions.at == null) {
            throw new IllegalArgumentException("--utc goes with --at");
        }
        try (Repository repo = cmd.open()) {
            FileId id = repo.resolveSnapshot(snapshot, AofBackup::isAof);
            Snapshot s = repo.loadSnapshot(id);
            AofRestore restore = new AofRestore(repo);
            long total = s.engineMetadata == null ? 0 : sizes(s);
            Progress progress = Progress.start(ctx, cmd.root().showProgress(), "redis aof restore", restore::bytesWritten,
                    () -> total, () -> "");
            AofRestore.Result r;
            try {
                r = restore.restore(s, out, at);
            } catch (AofRestore.OutOfRangeException e) {
                throw new CommandFailure(ExitCodes.ERROR, "--at " + show(e.at(), zone) + " is outside what snapshot "
                        + id.shortHex() + " holds: it can be cut from " + show(e.range().from(), zone) + " (the base) to "
                        + show(e.range().to(), zone) + " (its last #TS: annotation); for later moments back up again, "
                        + "or restore without --at for everything it holds");
            } catch (AofFormatException e) {
                throw new CommandFailure(ExitCodes.ERROR, e.getMessage());
            } catch (DirectoryNotEmptyException | FileAlreadyExistsException e) {
                throw new CommandFailure(ExitCodes.ERROR, e.getMessage());
            } finally {
                Progress.stop(progress);
            }
            if (cmd.root().json()) {
                ObjectNode o = Output.object();
                o.put("message_type", "summary");
                o.put("snapshot_id", id.hex());
                o.put("restored_to", out.toString());
                ArrayNode files = o.putArray("files");
                r.files().forEach(files::add);
                o.put("bytes", r.bytes());
                if (at != null) {
                    o.put("at", at);
                    o.put("cut_file", r.cutFile());
                    o.put("cut_offset", r.cutOffset());
                    ArrayNode dropped = o.putArray("dropped");
                    r.dropped().forEach(dropped::add);
                }
                ctx.out().println(Output.json(o));
            } else if (!cmd.root().quiet()) {
                ctx.out().printf("restored snapshot %s to %s: %d files, %s%n", id.shortHex(), out, r.files().size() + 1,
                        Output.bytes(r.bytes()));
                if (at != null) {
                    ctx.out().printf("cut at %s: %s%s%n", show(at, zone),
                            r.cutFile() == null ? "every stored command is at or before it"
                                    : "the first #TS: annotation after it is at byte " + r.cutOffset() + " of " + r.cutFile(),
                            r.dropped().isEmpty() ? "" : "; left out: " + String.join(", ", r.dropped()));
                }
            }
            return ExitCodes.OK;
        }
    }

    private static long sizes(Snapshot s) {
        long t = 0;
        for (var f : s.engineMetadata.path("files")) {
            t += f.path("size").asLong();
        }
        return t;
    }

    /** {@code --at}: unix seconds. */
    static long parseAt(String text, boolean utc) {
        String t = text.strip();
        if (t.startsWith("@")) {
            try {
                return Long.parseLong(t.substring(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--at '@…' needs unix seconds, got '" + text + "'");
            }
        }
        Matcher m = AT.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("--at must be 'YYYY-MM-DD HH:MM:SS' (local time), optionally with an offset "
                    + "such as +01:00 or Z, or '@<unix seconds>'; got '" + text + "'");
        }
        LocalDateTime local;
        try {
            local = LocalDateTime.parse(m.group(1) + "T" + m.group(2));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--at '" + text + "' is not a valid date and time");
        }
        if (m.group(3) != null) {
            if (utc) {
                throw new IllegalArgumentException("--at '" + text + "' has its own offset; leave out --utc");
            }
            String off = m.group(3);
            if (off.length() == 5) {
                off = off.substring(0, 3) + ":" + off.substring(3);
            }
            return local.toEpochSecond(ZoneOffset.of(off));
        }
        ZoneId zone = utc ? ZoneOffset.UTC : ZoneId.systemDefault();
        return local.atZone(zone).toEpochSecond();
    }

    static String show(long unixSeconds, ZoneId zone) {
        return SHOWN.format(Instant.ofEpochSecond(unixSeconds).atZone(zone));
    }
}
