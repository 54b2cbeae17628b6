package dev.arca.cli.schedule;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the scheduler remembers about each job, in a JSON file under the cache directory
 * ({@code schedule/<config hash>.json}): the last runs, counts of runs, failures and missed runs,
 * and the last few events. Rewritten whole (write, then rename) after every change.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class ScheduleState {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final int HISTORY = 20;

    @JsonProperty("config") public String config;
    @JsonProperty("jobs") public Map<String, JobState> jobs = new LinkedHashMap<>();

    /** One job's record; times are ISO-8601 instants. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static final class JobState {
        @JsonProperty("since") public String since;
        @JsonProperty("last_start") public String lastStart;
        @JsonProperty("last_end") public String lastEnd;
        @JsonProperty("last_exit") public Integer lastExit;
        @JsonProperty("last_error") public String lastError;
        @JsonProperty("runs") public long runs;
        @JsonProperty("failures") public long failures;
        @JsonProperty("missed") public long missed;
        @JsonProperty("last_missed_window") public String lastMissedWindow;
        @JsonProperty("history") public List<Event> history = new ArrayList<>();
    }

    /** A run (exit code, error) or a missed run (kind "missed"). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static final class Event {
        @JsonProperty("kind") public String kind;
        @JsonProperty("time") public String time;
        @JsonProperty("seconds") public Double seconds;
        @JsonProperty("exit") public Integer exit;
        @JsonProperty("message") public String message;

        public Event() {
        }

        Event(String kind, String time, Double seconds, Integer exit, String message) {
            this.kind = kind;
            this.time = time;
            this.seconds = seconds;
            this.exit = exit;
            this.message = message;
        }
    }

    public JobState job(String name) {
        return jobs.computeIfAbsent(name, n -> new JobState());
    }

    static void add(JobState j, Event e) {
        j.history.add(e);
        while (j.history.size() > HISTORY) {
            j.history.remove(0);
        }
    }

    public static ScheduleState load(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new ScheduleState();
        }
        return JSON.readValue(file.toFile(), ScheduleState.class);
    }

    public void save(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), this);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The state file of a config: one per config file, by its absolute path. */
    public static Path fileFor(Path cacheDir, Path config) {
        String abs = config.toAbsolutePath().normalize().toString();
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(abs.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return cacheDir.resolve("schedule").resolve(java.util.HexFormat.of().formatHex(h, 0, 8) + ".json");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
