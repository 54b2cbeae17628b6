package dev.arca.cli.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler's timetable on a clock the test moves: intervals, daily windows, missed runs, failures. */
class SchedulerTest {
    /** A clock the test sets. */
    static final class TestClock extends Clock {
        Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    private static final String CONFIG = """
            {"jobs": [
              {"name": "full", "command": "mysql backup --uri 'mysql://b:pw@db1:3306'", "daily": "01:00-03:00"},
              {"name": "binlog", "command": ["mysql", "binlog", "--once"], "every": "5m"}
            ]}
            """;

    @Test
    void intervalsWindowsMissedRunsAndFailures(@TempDir Path dir) throws Exception {
        Path cfgFile = dir.resolve("s.json");
        Files.writeString(cfgFile, CONFIG);
        ScheduleConfig cfg = ScheduleConfig.read(cfgFile);
        assertEquals(List.of("mysql", "backup", "--uri", "mysql://b:pw@db1:3306"), cfg.jobs().get(0).command());
        TestClock clock = new TestClock(Instant.parse("2024-03-01T00:00:00Z"));
        List<String> ran = new ArrayList<>();
        boolean[] fail = {false};
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Path state = dir.resolve("state.json");
        Scheduler s = new Scheduler(cfg, cfgFile, state, args -> {
            ran.add(args.get(1) + "@" + clock.instant());
            return fail[0] ? new Scheduler.Outcome(1, "arca: boom") : new Scheduler.Outcome(0, null);
        }, new PrintStream(log, true, StandardCharsets.UTF_8), clock);

        assertEquals(1, s.tick(10), "only the binlog job is due at midnight");
        clock.advance(Duration.ofMinutes(4));
        assertEquals(0, s.tick(10));
        clock.advance(Duration.ofMinutes(1));
        assertEquals(1, s.tick(10));
        clock.advance(Duration.ofMinutes(56)); // 01:01: the window is open
        assertEquals(2, s.tick(10));
        assertEquals(10, s.state().job("binlog").missed, "eleven intervals passed: ten runs were missed");
        clock.advance(Duration.ofMinutes(30));
        fail[0] = true;
        assertEquals(1, s.tick(10), "the daily job ran once in today's window");
        assertEquals(1, s.state().job("binlog").failures);
        assertEquals("arca: boom", s.state().job("binlog").lastError);

        clock.now = Instant.parse("2024-03-03T12:00:00Z"); // the windows of 03-02 and 03-03 passed without a run
        fail[0] = false;
        s.tick(10);
        assertEquals(2, s.state().job("full").missed);
        s.tick(10);
        assertEquals(2, s.state().job("full").missed, "counted once");
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("job full: missed 2 daily window(s) 01:00-03:00"), text);
        assertTrue(text.contains("job binlog: FAILED (exit 1)"), text);
        assertTrue(text.contains("mysql://b:***@db1:3306") && !text.contains(":pw@"), text);

        ScheduleState reloaded = ScheduleState.load(state);
        assertEquals(1, reloaded.job("full").runs);
        assertEquals(2, reloaded.job("full").missed);
        assertEquals(5, reloaded.job("binlog").runs);
    }

    @Test
    void aWindowAcrossMidnight(@TempDir Path dir) throws Exception {
        Path cfgFile = dir.resolve("s.json");
        Files.writeString(cfgFile, "{\"jobs\": [{\"name\": \"n\", \"command\": \"check\", \"daily\": \"23:00-01:00\"}]}");
        TestClock clock = new TestClock(Instant.parse("2024-03-01T00:30:00Z"));
        Scheduler s = new Scheduler(ScheduleConfig.read(cfgFile), cfgFile, dir.resolve("st.json"),
                args -> new Scheduler.Outcome(0, null), new PrintStream(new ByteArrayOutputStream()), clock);
        assertEquals(1, s.tick(10));
        clock.advance(Duration.ofMinutes(20));
        assertEquals(0, s.tick(10));
        clock.now = Instant.parse("2024-03-01T22:59:00Z");
        assertEquals(0, s.tick(10));
        clock.advance(Duration.ofMinutes(2));
        assertEquals(1, s.tick(10));
    }

    @Test
    void badConfigsAreClearErrors(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "{\"jobs\": [{\"name\": \"x\", \"command\": \"check\", \"every\": \"5m\", \"daily\": \"01:00-02:00\"}]}");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ScheduleConfig.read(f)).getMessage()
                .contains("exactly one of"));
        Files.writeString(f, "{\"jobs\": [{\"name\": \"x\", \"command\": \"check\", \"daily\": \"1am\"}]}");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ScheduleConfig.read(f)).getMessage()
                .contains("HH:MM-HH:MM"));
        Files.writeString(f, "{\"jobs\": [{\"name\": \"x\", \"command\": \"check\", \"every\": \"soon\"}]}");
        assertThrows(IllegalArgumentException.class, () -> ScheduleConfig.read(f));
        Files.writeString(f, "{\"jobs\": []}");
        assertThrows(IllegalArgumentException.class, () -> ScheduleConfig.read(f));
    }
}
