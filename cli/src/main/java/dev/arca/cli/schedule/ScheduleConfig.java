package dev.arca.cli.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arca.cli.commands.Durations;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A schedule file:
 *
 * <pre>
 * {
 *   "jobs": [
 *     {"name": "full",   "command": "mysql backup --uri mysql://backup@db1:3306", "daily": "01:00-03:00"},
 *     {"name": "binlog", "command": "mysql binlog --once --uri mysql://backup@db1:3306", "every": "5m"},
 *     {"name": "retain", "command": ["forget", "--keep-within", "7d", "--prune"], "daily": "04:00-05:00"}
 *   ]
 * }
 * </pre>
 *
 * A command is an arca command line without the leading {@code arca}: a string (split at spaces,
 * with single or double quotes grouping) or an array of arguments. A job has {@code every} (an
 * interval: 30s, 5m, 1h) or {@code daily} (a window {@code HH:MM-HH:MM} in local time, run once a
 * day as soon as the window opens; a window may pass midnight, like 23:00-01:00).
 */
public record ScheduleConfig(List<Job> jobs) {
    public record Job(String name, List<String> command, Duration every, LocalTime windowStart, LocalTime windowEnd) {
        public boolean daily() {
            return every == null;
        }

        public String when() {
            return daily() ? "daily " + windowStart + "-" + windowEnd : "every " + Durations.format(every);
        }
    }

    public static ScheduleConfig read(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.path("jobs").isArray() || root.path("jobs").isEmpty()) {
            throw new IllegalArgumentException(file + ": expected {\"jobs\": [ … ]} with at least one job");
        }
        List<Job> jobs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int i = 0;
        for (JsonNode j : root.path("jobs")) {
            i++;
            String name = j.path("name").asText("job" + i);
            String where = file + ": job " + name;
            if (!names.add(name)) {
                throw new IllegalArgumentException(where + ": the name is used twice");
            }
            List<String> command = new ArrayList<>();
            JsonNode c = j.path("command");
            if (c.isArray()) {
                c.forEach(a -> command.add(a.asText()));
            } else if (c.isTextual()) {
                command.addAll(split(c.asText()));
            }
            if (command.isEmpty()) {
                throw new IllegalArgumentException(where + ": \"command\" is missing or empty");
            }
            if (command.get(0).equals("arca")) {
                command.remove(0);
            }
            if (command.get(0).equals("schedule")) {
                throw new IllegalArgumentException(where + ": a job cannot run 'schedule'");
            }
            boolean hasEvery = j.hasNonNull("every");
            boolean hasDaily = j.hasNonNull("daily");
            if (hasEvery == hasDaily) {
                throw new IllegalArgumentException(where + ": give exactly one of \"every\" (e.g. \"5m\") and "
                        + "\"daily\" (e.g. \"01:00-03:00\")");
            }
            if (hasEvery) {
                jobs.add(new Job(name, List.copyOf(command), Durations.parse(j.path("every").asText()), null, null));
            } else {
                String w = j.path("daily").asText();
                String[] parts = w.split("-");
                try {
                    if (parts.length != 2) {
                        throw new DateTimeParseException("", w, 0);
                    }
                    jobs.add(new Job(name, List.copyOf(command), null, LocalTime.parse(parts[0].strip()),
                            LocalTime.parse(parts[1].strip())));
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException(where + ": \"daily\" wants a window HH:MM-HH:MM, got \"" + w + "\"");
                }
            }
        }
        return new ScheduleConfig(List.copyOf(jobs));
    }

    /** Splits at whitespace; single or double quotes group, a backslash escapes the next character. */
    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean any = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                } else if (ch == '\\' && quote == '"' && i + 1 < line.length()) {
                    cur.append(line.charAt(++i));
                } else {
                    cur.append(ch);
                }
            } else if (ch == '\'' || ch == '"') {
                quote = ch;
                any = true;
            } else if (ch == '\\' && i + 1 < line.length()) {
                cur.append(line.charAt(++i));
                any = true;
            } else if (Character.isWhitespace(ch)) {
                if (any || cur.length() > 0) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    any = false;
                }
            } else {
                cur.append(ch);
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unclosed quote in: " + line);
        }
        if (any || cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }
}
