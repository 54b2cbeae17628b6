package dev.arca.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.cli.Arca;
import dev.arca.cli.Context;
import dev.arca.cli.ExitCodes;
import dev.arca.cli.Main;
import dev.arca.cli.Output;
import dev.arca.cli.RepositoryLocator;
import dev.arca.cli.schedule.ScheduleConfig;
import dev.arca.cli.schedule.ScheduleState;
import dev.arca.cli.schedule.Scheduler;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "schedule", description = {
    "Run arca commands on a timetable: full backups in a daily window, binlog capture every few minutes, "
            + "forget/prune with a retention in days, for any engine. 'arca schedule run' runs in the foreground "
            + "(under systemd, cron @reboot, a container…) and logs every start and outcome; 'arca schedule status' "
            + "shows the last runs, failures and missed runs. The state is kept in the cache directory.",
    "",
    "The config is JSON: {\"jobs\": [{\"name\": …, \"command\": …, \"every\": \"5m\" | \"daily\": \"HH:MM-HH:MM\"}, …]}. "
            + "A command is an arca command line without 'arca' (a string, quotes group words, or an array). "
            + "Jobs run one at a time, with this invocation's repository, password and cache directory; a job must "
            + "end by itself (so 'mysql binlog --once', not '--every').",
    "",
    "Example config (/etc/arca/schedule.json):",
    "  {\"jobs\": [",
    "    {\"name\": \"full\",   \"command\": \"mysql backup --uri mysql://backup@db1:3306\", \"daily\": \"01:00-03:00\"},",
    "    {\"name\": \"binlog\", \"command\": \"mysql binlog --once --uri mysql://backup@db1:3306\", \"every\": \"5m\"},",
    "    {\"name\": \"retain\", \"command\": \"forget --keep-within 7d --prune\", \"daily\": \"04:00-05:00\"}]}",
    "",
    "Examples:",
    "  arca -r /srv/backups schedule run --config /etc/arca/schedule.json",
    "  arca -r /srv/backups schedule status --config /etc/arca/schedule.json"},
        subcommands = {ScheduleCommand.Run.class, ScheduleCommand.Status.class})
public final class ScheduleCommand implements Runnable {
    @ParentCommand
    Arca root;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "a subcommand is required: run, status; see 'arca schedule --help'");
    }

    abstract static class Sub implements Callable<Integer> {
        @ParentCommand
        ScheduleCommand group;

        @Option(names = "--config", required = true, paramLabel = "FILE",
                description = "The schedule file (JSON), e.g. --config /etc/arca/schedule.json.")
        String config;

        Context ctx() {
            return group.root.context();
        }

        Path configPath() {
            return ctx().path(config);
        }

        Path stateFile() {
            return ScheduleState.fileFor(group.root.locator().cacheDir(), configPath());
        }
    }

    @Command(name = "run", description = {
        "Run the schedule in the foreground until stopped (Ctrl-C), logging each run to stdout.",
        "",
        "Examples:",
        "  arca schedule run --config /etc/arca/schedule.json",
        "  arca schedule run --config schedule.json --for 1h"})
    public static final class Run extends Sub {
        @Option(names = "--for", paramLabel = "DURATION", description = "Stop after this long, e.g. --for 1h (default: never).")
        String forDuration;

        @Option(names = "--max-runs", paramLabel = "N", defaultValue = "0",
                description = "Stop after N job runs (default: no limit).")
        int maxRuns;

        @Override
        public Integer call() throws Exception {
            ScheduleConfig cfg = ScheduleConfig.read(configPath());
            Map<String, String> env = childEnv();
            PrintStream out = ctx().out();
            Scheduler.Runner runner = args -> {
                ByteArrayOutputStream errBuf = new ByteArrayOutputStream();
                PrintStream err = new PrintStream(new Tee(ctx().err(), errBuf), true, StandardCharsets.UTF_8);
                Context child = new Context(env, ctx().cwd(), InputStreamNull.INSTANCE, out, err, false);
                int code = Main.run(child, args.toArray(String[]::new));
                err.flush();
                String text = errBuf.toString(StandardCharsets.UTF_8).strip();
                String last = text.isEmpty() ? null : text.lines().reduce((a, b) -> b).orElse(null);
                return new Scheduler.Outcome(code, code == 0 ? null : (last == null ? "exit code " + code : last));
            };
            Scheduler s = new Scheduler(cfg, configPath(), stateFile(), runner, out, Clock.systemDefaultZone());
            s.run(forDuration == null ? null : Durations.parse(forDuration), maxRuns);
            return ExitCodes.OK;
        }

        /** The environment of the jobs: this one, plus the repository, password and cache this invocation uses. */
        private Map<String, String> childEnv() throws java.io.IOException {
            Map<String, String> env = new HashMap<>(ctx().env());
            RepositoryLocator loc = group.root.locator();
            env.put("ARCA_CACHE_DIR", loc.cacheDir().toString());
            if (!loc.usesDefault()) {
                env.put("ARCA_REPOSITORY", loc.location().toString());
                env.remove("ARCA_PASSWORD_FILE");
                env.put("ARCA_PASSWORD", new String(loc.password()));
            }
            return env;
        }
    }

    @Command(name = "status", description = {
        "Show each job's schedule, last run and result, and its counts of runs, failures and missed runs.",
        "",
        "Examples:",
        "  arca schedule status --config /etc/arca/schedule.json",
        "  arca schedule status --config schedule.json --json"})
    public static final class Status extends Sub {
        @Override
        public Integer call() throws Exception {
            ScheduleConfig cfg = ScheduleConfig.read(configPath());
            ScheduleState st = ScheduleState.load(stateFile());
            if (group.root.json()) {
                ObjectNode j = Output.object().put("config", configPath().toString()).put("state", stateFile().toString());
                ArrayNode a = j.putArray("jobs");
                for (ScheduleConfig.Job job : cfg.jobs()) {
                    ScheduleState.JobState s = st.jobs.getOrDefault(job.name(), new ScheduleState.JobState());
                    ObjectNode o = a.addObject().put("name", job.name()).put("schedule", job.when())
                            .put("command", Scheduler.redact(String.join(" ", job.command())));
                    o.put("last_start", s.lastStart).put("last_exit", s.lastExit).put("last_error", s.lastError)
                            .put("runs", s.runs).put("failures", s.failures).put("missed", s.missed);
                    o.set("history", Output.JSON.valueToTree(s.history));
                }
                ctx().out().println(Output.json(j));
                return ExitCodes.OK;
            }
            var out = ctx().out();
            String fmt = "%-12s %-20s %-19s %-10s %6s %6s %6s%n";
            out.printf(fmt, "Job", "Schedule", "Last run", "Result", "Runs", "Failed", "Missed");
            out.println("-".repeat(85));
            for (ScheduleConfig.Job job : cfg.jobs()) {
                ScheduleState.JobState s = st.jobs.getOrDefault(job.name(), new ScheduleState.JobState());
                String result = s.lastExit == null ? (s.lastStart == null ? "never run" : "running") : s.lastExit == 0 ? "ok"
                        : "FAILED(" + s.lastExit + ")";
                out.printf(fmt, job.name(), job.when(), s.lastStart == null ? "-" : Output.localTime(Instant.parse(s.lastStart)),
                        result, s.runs, s.failures, s.missed);
            }
            out.println("-".repeat(85));
            for (ScheduleConfig.Job job : cfg.jobs()) {
                ScheduleState.JobState s = st.jobs.get(job.name());
                if (s == null) {
                    continue;
                }
                for (ScheduleState.Event e : s.history) {
                    if ("missed".equals(e.kind) || (e.exit != null && e.exit != 0)) {
                        out.printf("%s %s: %s%n", Output.localTime(Instant.parse(e.time)), job.name(),
                                "missed".equals(e.kind) ? e.message : "failed (exit " + e.exit + "): " + e.message);
                    }
                }
            }
            return ExitCodes.OK;
        }
    }

    /** Writes to two streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws java.io.IOException {
            a.flush();
            b.flush();
        }
    }

    /** Jobs read no input. */
    private static final class InputStreamNull extends java.io.InputStream {
        static final InputStreamNull INSTANCE = new InputStreamNull();

        @Override
        public int read() {
            return -1;
        }
    }
}
