package dev.arca.cli.commands;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them: {@code 30s}, {@code 5m}, {@code 1h30m}, {@code 7d}. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+)([smhd])");

    private Durations() {
    }

    public static Duration parse(String text) {
        String t = text.strip().toLowerCase(java.util.Locale.ROOT);
        Matcher m = PART.matcher(t);
        Duration d = Duration.ZERO;
        int at = 0;
        while (m.find() && m.start() == at) {
            long n = Long.parseLong(m.group(1));
            d = d.plus(switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
            at = m.end();
        }
        if (t.isEmpty() || at != t.length() || d.isZero()) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (write e.g. 30s, 5m, 1h30m, 7d)");
        }
        return d;
    }

    /** 90 s → {@code 1m30s}. */
    public static String format(Duration d) {
        long s = d.toSeconds();
        StringBuilder b = new StringBuilder();
        if (s >= 86400) {
            b.append(s / 86400).append('d');
            s %= 86400;
        }
        if (s >= 3600) {
            b.append(s / 3600).append('h');
            s %= 3600;
        }
        if (s >= 60) {
            b.append(s / 60).append('m');
            s %= 60;
        }
        if (s > 0 || b.length() == 0) {
            b.append(s).append('s');
        }
        return b.toString();
    }
}
