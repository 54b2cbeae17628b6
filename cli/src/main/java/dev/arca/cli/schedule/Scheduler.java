package dev.arca.cli.schedule;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Runs the jobs of a {@link ScheduleConfig} when they are due, one at a time, logging each start
 * and outcome and recording it in the {@link ScheduleState}.
 *
 * <ul>
 *   <li>An interval job is due when it never ran or its last start is an interval ago. When more
 *       than one interval passed since (the scheduler was not running, or a run took long), the
 *       skipped runs are counted and logged as missed; it runs once, not once per missed run.</li>
 *   <li>A daily job is due inside its window if it has not started in this window yet. Each window
 *       that ended without a run since the job was first seen is counted and logged as missed.</li>
 * </ul>
 */
public final class Scheduler {
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** Runs one arca command line; returns its exit code and, when it failed, the last error it printed. */
    public interface Runner {
        Outcome run(List<String> args);
    }

    public record Outcome(int exit, String error) {
    }

    private final ScheduleConfig config;
    private final Path stateFile;
    private final Runner runner;
    private final PrintStream log;
    private final Clock clock;
    private final ZoneId zone;
    private final ScheduleState state;

    public Scheduler(ScheduleConfig config, Path configFile, Path stateFile, Runner runner, PrintStream log, Clock clock)
            throws IOException {
        this.config = config;
        this.stateFile = stateFile;
        this.runner = runner;
        this.log = log;
        this.clock = clock;
        this.zone = clock.getZone();
        this.state = ScheduleState.load(stateFile);
        state.config = configFile.toAbsolutePath().toString();
        for (ScheduleConfig.Job j : config.jobs()) {
            ScheduleState.JobState s = state.job(j.name());
            if (s.since == null) {
                s.since = clock.instant().toString();
            }
        }
        state.save(stateFile);
    }

    /**
     * Runs until {@code limit} has passed (null: for ever) or {@code maxRuns} jobs have run (0: no
     * limit); returns the number of runs.
     */
    public int run(Duration limit, int maxRuns) throws IOException, InterruptedException {
        Instant stopAt = limit == null ? null : clock.instant().plus(limit);
        log("schedule started: " + config.jobs().size() + " job(s); state in " + stateFile);
        int runs = 0;
        while (stopAt == null || clock.instant().isBefore(stopAt)) {
            int ran = tick(maxRuns > 0 ? maxRuns - runs : Integer.MAX_VALUE);
            runs += ran;
            if (maxRuns > 0 && runs >= maxRuns) {
                return runs;
            }
            if (ran == 0) {
                long ms = 1000 - clock.millis() % 1000;
                if (stopAt != null) {
                    ms = Math.min(ms, Math.max(1, Duration.between(clock.instant(), stopAt).toMillis()));
                }
                Thread.sleep(ms);
            }
        }
        log("schedule stopped after " + runs + " run(s)");
        return runs;
    }

    /** One pass: notes missed runs and runs every due job (at most {@code limit}); returns how many ran. */
    public int tick(int limit) throws IOException {
        int ran = 0;
        for (ScheduleConfig.Job j : config.jobs()) {
            Instant now = clock.instant();
            noteMissedWindows(j, now);
            if (ran < limit && due(j, now)) {
                runOne(j, now);
                ran++;
            }
        }
        return ran;
    }

    public ScheduleState state() {
        return state;
    }

    boolean due(ScheduleConfig.Job j, Instant now) {
        ScheduleState.JobState s = state.job(j.name());
        Instant last = s.lastStart == null ? null : Instant.parse(s.lastStart);
        if (!j.daily()) {
            return last == null || !now.isBefore(last.plus(j.every()));
        }
        Instant windowStart = openWindowStart(j, now);
        return windowStart != null && (last == null || last.isBefore(windowStart));
    }

    /** The start of the daily window {@code now} is in, or null. */
    Instant openWindowStart(ScheduleConfig.Job j, Instant now) {
        LocalDateTime t = LocalDateTime.ofInstant(now, zone);
        for (int back = 0; back <= 1; back++) {
            LocalDate day = t.toLocalDate().minusDays(back);
            ZonedDateTime start = day.atTime(j.windowStart()).atZone(zone);
            ZonedDateTime end = (j.windowEnd().isAfter(j.windowStart()) ? day : day.plusDays(1))
                    .atTime(j.windowEnd()).atZone(zone);
            if (!now.isBefore(start.toInstant()) && now.isBefore(end.toInstant())) {
                return start.toInstant();
            }
        }
        return null;
    }

    private void noteMissedWindows(ScheduleConfig.Job j, Instant now) throws IOException {
        if (!j.daily()) {
            return;
        }
        ScheduleState.JobState s = state.job(j.name());
        Instant since = Instant.parse(s.since);
        Instant last = s.lastStart == null ? null : Instant.parse(s.lastStart);
        Instant recorded = s.lastMissedWindow == null ? null : Instant.parse(s.lastMissedWindow);
        LocalDate today = LocalDateTime.ofInstant(now, zone).toLocalDate();
        int count = 0;
        Instant newest = null;
        for (int back = 0; back <= 400; back++) {
            LocalDate day = today.minusDays(back);
            Instant start = day.atTime(j.windowStart()).atZone(zone).toInstant();
            Instant end = (j.windowEnd().isAfter(j.windowStart()) ? day : day.plusDays(1)).atTime(j.windowEnd())
                    .atZone(zone).toInstant();
            if (end.isAfter(now)) {
                continue;
            }
            if (start.isBefore(since) || (recorded != null && !start.isAfter(recorded))) {
                break;
            }
            boolean ranInWindow = last != null && !last.isBefore(start) && last.isBefore(end);
            if (last != null && !last.isBefore(end)) {
                break;
            }
            if (!ranInWindow) {
                count++;
                if (newest == null) {
                    newest = start;
                }
            } else {
                break;
            }
        }
        if (count > 0) {
            s.missed += count;
            s.lastMissedWindow = newest.toString();
            String msg = "missed " + count + " daily window(s) " + j.windowStart() + "-" + j.windowEnd()
                    + " (the scheduler was not running or a run was still going), the latest on "
                    + LocalDateTime.ofInstant(newest, zone).toLocalDate();
            ScheduleState.add(s, new ScheduleState.Event("missed", now.toString(), null, null, msg));
            log("job " + j.name() + ": " + msg);
            state.save(stateFile);
        }
    }

    private void runOne(ScheduleConfig.Job j, Instant now) throws IOException {
        ScheduleState.JobState s = state.job(j.name());
        if (!j.daily() && s.lastStart != null) {
            Instant last = Instant.parse(s.lastStart);
            long intervals = Duration.between(last, now).toMillis() / j.every().toMillis();
            if (intervals >= 2) {
                s.missed += intervals - 1;
                String msg = "missed " + (intervals - 1) + " run(s) every " + dev.arca.cli.commands.Durations.format(j.every())
                        + " since the last at " + local(last);
                ScheduleState.add(s, new ScheduleState.Event("missed", now.toString(), null, null, msg));
                log("job " + j.name() + ": " + msg);
            }
        }
        s.lastStart = now.toString();
        state.save(stateFile);
        log("job " + j.name() + ": started: arca " + redact(String.join(" ", j.command())));
        long t0 = System.nanoTime();
        Outcome o;
        try {
            o = runner.run(j.command());
        } catch (RuntimeException e) {
            o = new Outcome(1, String.valueOf(e.getMessage()));
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        s.lastEnd = clock.instant().toString();
        s.lastExit = o.exit();
        s.runs++;
        if (o.exit() == 0) {
            s.lastError = null;
            log(String.format("job %s: ok in %.1f s", j.name(), secs));
            ScheduleState.add(s, new ScheduleState.Event("run", now.toString(), secs, 0, null));
        } else {
            s.failures++;
            s.lastError = o.error();
            log(String.format("job %s: FAILED (exit %d) in %.1f s: %s", j.name(), o.exit(), secs, o.error()));
            ScheduleState.add(s, new ScheduleState.Event("run", now.toString(), secs, o.exit(), o.error()));
        }
        state.save(stateFile);
    }

    private String local(Instant t) {
        return LocalDateTime.ofInstant(t, zone).format(LOG_TIME);
    }

    private void log(String msg) {
        log.println(local(clock.instant()) + " " + msg);
        log.flush();
    }

    /** Hides passwords in URIs ({@code mysql://user:pw@host} → {@code mysql://user:***@host}). */
    public static String redact(String s) {
        return s.replaceAll("(://[^:@/\\s]*):[^@\\s]*@", "$1:***@");
    }
}
