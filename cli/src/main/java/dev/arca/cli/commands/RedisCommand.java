package dev.arca.cli.commands;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/*
 * MINIMAL GROUP FOR THE AOF PART OF ISSUE 5 (branch redisaof): the lead merges these two
 * subcommands with the RDB helper's RedisCommand/RedisBackupCommand/RedisRestoreCommand, where
 * --aof-dir joins --uri/--rdb in the exclusive source/target groups and the call goes to
 * RedisAofCli when it is given. Everything AOF-specific lives in RedisAofCli.
 */
@Command(name = "redis", description = {
    "Back up and restore Redis: multi-part AOF directories (Redis 7), with point-in-time restore from their "
            + "#TS: annotations.",
    "",
    "Examples:",
    "  arca redis backup --aof-dir /var/lib/redis/appendonlydir",
    "  arca redis restore latest --aof-dir /var/lib/redis-restore/appendonlydir --at '2024-03-01 14:05:00'"},
        subcommands = {RedisCommand.Backup.class, RedisCommand.Restore.class})
public final class RedisCommand extends EngineGroup {

    @Command(name = "backup", description = {RedisAofCli.BACKUP_HELP, "", RedisAofCli.BACKUP_HELP_MORE, "",
        "Examples:", RedisAofCli.BACKUP_EXAMPLE})
    static final class Backup extends EngineGroup.Sub {
        @Option(names = "--aof-dir", paramLabel = "DIR", required = true, description = RedisAofCli.AOF_DIR_BACKUP)
        String aofDir;

        @Mixin
        OriginOptions origin = new OriginOptions();

        @Override
        public Integer call() throws Exception {
            return RedisAofCli.backup(this, aofDir, origin);
        }
    }

    @Command(name = "restore", description = {RedisAofCli.RESTORE_HELP, "", RedisAofCli.RESTORE_HELP_MORE, "",
        "Examples:", RedisAofCli.RESTORE_EXAMPLE_1, RedisAofCli.RESTORE_EXAMPLE_2, RedisAofCli.RESTORE_EXAMPLE_3})
    static final class Restore extends EngineGroup.Sub {
        @Parameters(paramLabel = "SNAPSHOT", description = "The snapshot: 'latest' (the newest AOF snapshot) or an id prefix.")
        String snapshot;

        @Option(names = "--aof-dir", paramLabel = "DIR", required = true, description = RedisAofCli.AOF_DIR_RESTORE)
        String aofDir;

        @Mixin
        RedisAofCli.AtOptions at = new RedisAofCli.AtOptions();

        @Override
        public Integer call() throws Exception {
            return RedisAofCli.restore(this, snapshot, aofDir, at);
        }
    }
}
