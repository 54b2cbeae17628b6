package dev.arca.cli.commands;

import dev.arca.engine.mysql.MysqlUri;
import java.io.IOException;
import java.nio.file.Files;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "mysql", description = {
    "MySQL/MariaDB: full backups (a consistent mariadb-dump, or a mariadb-backup stream), binlogs captured every "
            + "few minutes in their original bytes, restore of any second into a new instance (or of chosen tables "
            + "into a running server), and a primary/replica consistency check.",
    "",
    "The server is given as --uri mysql://user[:password]@host:port; without a password in the URI arca takes "
            + "$MYSQL_PWD or --mysql-password-file. The MariaDB client tools (mariadb, mariadb-dump, mariadb-binlog; "
            + "mariadb-backup for --physical; mariadbd and mariadb-install-db for restore) must be on the PATH.",
    "",
    "Examples:",
    "  arca mysql backup --uri mysql://backup@db1:3306",
    "  arca mysql binlog --uri mysql://backup@db1:3306 --every 5m",
    "  arca mysql restore --at '2024-03-01 14:05:09' --new-instance /srv/restore1 --port 3307",
    "  arca mysql verify --primary mysql://check@db1 --replica mysql://check@db2 --threads 4"},
        subcommands = {MysqlBackupCommand.class, MysqlBinlogCommand.class, MysqlRestoreCommand.class,
            MysqlSnapshotsCommand.class, MysqlVerifyCommand.class})
public final class MysqlCommand extends EngineGroup {
    /** Base of the mysql subcommands. */
    abstract static class Sub extends EngineGroup.Sub {
        @Option(names = "--mysql-password-file", paramLabel = "FILE",
                description = "Read the MySQL password from FILE (first line) when the URI has none "
                        + "(default: $MYSQL_PWD), e.g. --mysql-password-file /etc/arca/mysql.pw.")
        String mysqlPasswordFile;

        /** The URI with its password from the URI, the password file or $MYSQL_PWD. */
        MysqlUri uri(String text) throws IOException {
            MysqlUri u = MysqlUri.parse(text);
            if (u.password() != null) {
                return u;
            }
            if (mysqlPasswordFile != null) {
                String p = Files.readString(ctx().path(mysqlPasswordFile)).lines().findFirst().orElse("");
                return u.withPassword(p);
            }
            String env = ctx().env("MYSQL_PWD");
            return env == null ? u : u.withPassword(env);
        }
    }
}
