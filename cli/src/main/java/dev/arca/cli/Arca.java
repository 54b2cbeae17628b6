package dev.arca.cli;

import dev.arca.cli.commands.AerospikeCommand;
import dev.arca.cli.commands.BackupCommand;
import dev.arca.cli.commands.CatCommand;
import dev.arca.cli.commands.CheckCommand;
import dev.arca.cli.commands.CopyCommand;
import dev.arca.cli.commands.DiffCommand;
import dev.arca.cli.commands.DorisCommand;
import dev.arca.cli.commands.DumpCommand;
import dev.arca.cli.commands.FindCommand;
import dev.arca.cli.commands.ForgetCommand;
import dev.arca.cli.commands.InitCommand;
import dev.arca.cli.commands.KeyCommand;
import dev.arca.cli.commands.LsCommand;
import dev.arca.cli.commands.RedisCommand;
import dev.arca.cli.commands.PruneCommand;
import dev.arca.cli.commands.RestoreCommand;
import dev.arca.cli.commands.RocksdbCommand;
import dev.arca.cli.commands.ServeCommand;
import dev.arca.cli.commands.SnapshotsCommand;
import dev.arca.cli.commands.StatsCommand;
import dev.arca.cli.commands.SyncCommand;
import dev.arca.engine.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The root command: global options and the list of commands. */
@Command(name = "arca",
        mixinStandardHelpOptions = true,
        scope = ScopeType.INHERIT,
        versionProvider = Arca.VersionProvider.class,
        description = {
            "Encrypted, compressed, deduplicated snapshots of files and databases.",
            "",
            "Without -r, arca uses its embedded default repository under ~/.local/share/arca/repository, "
                    + "created on first use with a generated password kept in ~/.config/arca/default-repository.password.",
            "",
            "Environment: ARCA_REPOSITORY (location), ARCA_PASSWORD, ARCA_PASSWORD_FILE, "
                    + "ARCA_CACHE_DIR (local index cache, default ~/.cache/arca)."
        },
        subcommands = {
            InitCommand.class, BackupCommand.class, SnapshotsCommand.class, LsCommand.class, FindCommand.class,
            DiffCommand.class, CatCommand.class, DumpCommand.class, RestoreCommand.class, CheckCommand.class,
            StatsCommand.class, KeyCommand.class, ForgetCommand.class, PruneCommand.class, CopyCommand.class,
            SyncCommand.class, ServeCommand.class,
            RocksdbCommand.class, AerospikeCommand.class, DorisCommand.class,
            RedisCommand.class, dev.arca.cli.commands.MysqlCommand.class, dev.arca.cli.commands.ScheduleCommand.class,
            CommandLine.HelpCommand.class
        },
        usageHelpAutoWidth = true)
public final class Arca implements Runnable {
    final Context context;

    @Option(names = {"-r", "--repo"}, paramLabel = "LOCATION", scope = ScopeType.INHERIT,
            description = "Repository location: a directory or s3:http[s]://host:port/bucket/prefix "
                    + "(default: $ARCA_REPOSITORY, else the embedded default).")
    String repo;

    @Option(names = "--password-file", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Read the password from FILE (default: $ARCA_PASSWORD_FILE, $ARCA_PASSWORD, or a prompt).")
    String passwordFile;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print machine-readable JSON.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT, description = "Print only errors; no progress.")
    boolean quiet;

    @Option(names = "--cache-dir", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "Where the local index cache lives (default: $ARCA_CACHE_DIR, else ~/.cache/arca).")
    String cacheDir;

    public Arca(Context context) {
        this.context = context;
    }

    public Context context() {
        return context;
    }

    public boolean json() {
        return json;
    }

    public boolean quiet() {
        return quiet;
    }

    /** Whether to draw progress: a person is watching and did not ask for silence or JSON. */
    public boolean showProgress() {
        return context.terminal() && !quiet && !json;
    }

    public RepositoryLocator locator() {
        return new RepositoryLocator(context, repo, passwordFile, cacheDir);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "a command is required; see 'arca --help'");
    }

    /** Prints {@code arca <version>} and the JVM it runs on. */
    public static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {Version.PROGRAM, "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
