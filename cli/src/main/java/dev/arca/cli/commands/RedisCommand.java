package dev.arca.cli.commands;

import dev.arca.cli.CommandFailure;
import dev.arca.cli.ExitCodes;
import dev.arca.engine.redis.RedisBackup;
import dev.arca.engine.redis.aof.AofBackup;
import dev.arca.format.id.FileId;
import dev.arca.format.repo.Repository;
import dev.arca.format.snapshot.Snapshot;
import java.io.IOException;
import picocli.CommandLine.Command;

@Command(name = "redis", description = {
    "Back up Redis RDB snapshots — straight from a live server over the replication protocol (like "
            + "'redis-cli --rdb', with no file on either side) or from an .rdb file — browse their keys, and give "
            + "them back as the same RDB byte for byte or as keys restored into a live server; and Redis 7 multi-part "
            + "AOF directories, given back whole or cut at a moment (point-in-time restore from #TS: annotations).",
    "",
    "The RDB is stored verbatim and chunked on key boundaries, so a backup after a few keys changed adds little "
            + "more than those keys. Its CRC64 is checked on the way in and on the way out. A key index beside it "
            + "(.arca/keys in the snapshot) lets 'arca ls SNAP /records/db0/' and 'arca redis keys' list keys "
            + "without reading the RDB.",
    "",
    "Examples:",
    "  arca redis backup --uri redis://:secret@10.0.0.5:6379",
    "  arca redis backup --rdb /var/lib/redis/dump.rdb",
    "  arca redis keys latest --match 'user:*' --db 0",
    "  arca redis restore latest --rdb /var/lib/redis/dump.rdb",
    "  arca redis restore latest --to redis://localhost:6380 --match 'user:*'",
    "  arca redis backup --aof-dir /var/lib/redis/appendonlydir",
    "  arca redis restore latest --aof-dir /srv/pitr/appendonlydir --at '2024-03-01 14:05:00'"},
        subcommands = {RedisBackupCommand.class, RedisRestoreCommand.class, RedisKeysCommand.class})
public final class RedisCommand extends EngineGroup {
    /** Base of the redis subcommands. */
    abstract static class Sub extends EngineGroup.Sub {
        /** A Redis snapshot: an id, a prefix or 'latest' (the latest Redis snapshot). */
        static Snapshot snapshot(Repository repo, String spec, FileId[] id) throws IOException {
            id[0] = repo.resolveSnapshot(spec, s -> RedisBackup.ENGINE.equals(s.engine) && !AofBackup.isAof(s));
            Snapshot s = repo.loadSnapshot(id[0]);
            if (!RedisBackup.ENGINE.equals(s.engine)) {
                throw new CommandFailure(ExitCodes.ERROR, "snapshot " + id[0].shortHex() + " is of engine '" + s.engine
                        + "', not redis");
            }
            if (AofBackup.isAof(s)) {
                throw new CommandFailure(ExitCodes.USAGE, "snapshot " + id[0].shortHex() + " is of an AOF directory: "
                        + "restore it with --aof-dir");
            }
            return s;
        }
    }
}
