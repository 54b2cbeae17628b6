package dev.arca.cli.commands;

import dev.arca.format.snapshot.Snapshot;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.Option;

/** {@code --engine/--type/--from/--to}: snapshots by engine, engine type (metadata "type") and time. */
public final class EngineTimeFilter {
    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @Option(names = "--engine", paramLabel = "ENGINE", description = "Only snapshots of this engine, e.g. --engine mysql.")
    String engine;

    @Option(names = "--type", paramLabel = "TYPE",
            description = "Only snapshots of this type in their engine metadata, e.g. --type full or --type binlog.")
    String type;

    @Option(names = "--from", paramLabel = "TIME",
            description = "Only snapshots at or after TIME (local), \"YYYY-MM-DD\" or \"YYYY-MM-DD HH:MM:SS\".")
    String from;

    @Option(names = "--to", paramLabel = "TIME",
            description = "Only snapshots before the end of TIME (local): a day includes all of it, a second all of it.")
    String to;

    public boolean test(Snapshot s) {
        if (engine != null && !engine.equals(s.engine)) {
            return false;
        }
        if (type != null && (s.engineMetadata == null || !type.equals(s.engineMetadata.path("type").asText()))) {
            return false;
        }
        Instant t = s.instant();
        if (from != null && t.isBefore(parse(from, false))) {
            return false;
        }
        return to == null || t.isBefore(parse(to, true));
    }

    /** The start of TIME, or with {@code end} the start of the next day/second. */
    static Instant parse(String text, boolean end) {
        ZoneId zone = ZoneId.systemDefault();
        String t = text.strip();
        try {
            if (t.length() == 10) {
                LocalDate d = LocalDate.parse(t);
                return (end ? d.plusDays(1) : d).atStartOfDay(zone).toInstant();
            }
            LocalDateTime dt = LocalDateTime.parse(t.replace('T', ' '), SECOND);
            return (end ? dt.plusSeconds(1) : dt).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a time: '" + text + "' (write YYYY-MM-DD or \"YYYY-MM-DD HH:MM:SS\")");
        }
    }
}
