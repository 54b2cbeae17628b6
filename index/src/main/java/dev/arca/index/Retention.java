package dev.arca.index;

import dev.arca.format.repo.SnapshotRef;
import dev.arca.format.snapshot.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which snapshots a retention policy keeps, as restic's {@code forget} decides it.
 *
 * <p>Snapshots are grouped (by host and paths unless told otherwise); within a group, newest
 * first, each rule keeps a snapshot when it falls into a calendar bucket the rule has not kept
 * yet (the hour, day, ISO week, month or year of its time in {@code zone}), until the rule has
 * kept as many as it may ({@code -1}: no limit). {@code keep-last n} keeps the n newest;
 * {@code keep-within} keeps those not older than the group's newest snapshot minus the duration;
 * {@code keep-tag} those with one of the tags. A snapshot is kept if any rule keeps it, and the
 * result says which rules did.
 */
public final class Retention {
    /** The rules; counts of 0 are off, -1 is unlimited. */
    public record Policy(int last, int hourly, int daily, int weekly, int monthly, int yearly, Within within,
                         Set<String> tags) {
        public Policy {
            tags = Set.copyOf(tags);
        }

        public static Policy none() {
            return new Policy(0, 0, 0, 0, 0, 0, null, Set.of());
        }

        public boolean isEmpty() {
            return last == 0 && hourly == 0 && daily == 0 && weekly == 0 && monthly == 0 && yearly == 0
                    && within == null && tags.isEmpty();
        }

        public Policy withLast(int n) {
            return new Policy(n, hourly, daily, weekly, monthly, yearly, within, tags);
        }

        public Policy withHourly(int n) {
            return new Policy(last, n, daily, weekly, monthly, yearly, within, tags);
        }

        public Policy withDaily(int n) {
            return new Policy(last, hourly, n, weekly, monthly, yearly, within, tags);
        }

        public Policy withWeekly(int n) {
            return new Policy(last, hourly, daily, n, monthly, yearly, within, tags);
        }

        public Policy withMonthly(int n) {
            return new Policy(last, hourly, daily, weekly, n, yearly, within, tags);
        }

        public Policy withYearly(int n) {
            return new Policy(last, hourly, daily, weekly, monthly, n, within, tags);
        }

        public Policy withWithin(Within w) {
            return new Policy(last, hourly, daily, weekly, monthly, yearly, w, tags);
        }

        public Policy withTags(Set<String> t) {
            return new Policy(last, hourly, daily, weekly, monthly, yearly, within, t);
        }
    }

    /** A calendar duration such as {@code 2y5m7d3h}: years, months, days and hours, each optional. */
    public record Within(int years, int months, int days, int hours, String text) {
        private static final Pattern FORMAT = Pattern.compile("(?:(\\d+)y)?(?:(\\d+)m)?(?:(\\d+)d)?(?:(\\d+)h)?");

        public static Within parse(String s) {
            Matcher m = FORMAT.matcher(s);
            if (s.isEmpty() || !m.matches()) {
                throw new IllegalArgumentException("a duration is like 2y5m7d3h (years, months, days, hours; each "
                        + "optional, in this order), got '" + s + "'");
            }
            return new Within(num(m.group(1)), num(m.group(2)), num(m.group(3)), num(m.group(4)), s);
        }

        private static int num(String g) {
            return g == null ? 0 : Integer.parseInt(g);
        }

        /** The earliest time still within the duration before {@code t}, counted on the calendar of {@code zone}. */
        public Instant before(Instant t, ZoneId zone) {
            return t.atZone(zone).minusYears(years).minusMonths(months).minusDays(days).minusHours(hours).toInstant();
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** How snapshots are grouped. */
    public record GroupBy(boolean host, boolean paths, boolean engine) {
        public static final GroupBy DEFAULT = new GroupBy(true, true, false);

        /** Parses {@code host,paths,engine} (any subset, or empty for one group). */
        public static GroupBy parse(String s) {
            boolean h = false;
            boolean p = false;
            boolean e = false;
            for (String part : s.split(",")) {
                switch (part.trim()) {
                    case "host" -> h = true;
                    case "paths", "path" -> p = true;
                    case "engine" -> e = true;
                    case "" -> { }
                    default -> throw new IllegalArgumentException("--group-by takes host, paths and engine, got '"
                            + part + "'");
                }
            }
            return new GroupBy(h, p, e);
        }

        Key key(Snapshot s) {
            return new Key(host ? s.host : null, paths ? List.copyOf(new TreeSet<>(s.paths)) : null,
                    engine ? (s.engine == null ? "files" : s.engine) : null);
        }
    }

    /** A group's key; fields not grouped by are null. */
    public record Key(String host, List<String> paths, String engine) {
    }

    /** A kept snapshot and the rules that kept it. */
    public record Kept(SnapshotRef snapshot, List<String> reasons) {
    }

    /** One group's decision, newest first. */
    public record Group(Key key, List<Kept> keep, List<SnapshotRef> remove) {
    }

    private Retention() {
    }

    /** Applies the policy to every group; groups in order of their newest snapshot. */
    public static List<Group> apply(List<SnapshotRef> snapshots, Policy policy, GroupBy groupBy, ZoneId zone) {
        Map<Key, List<SnapshotRef>> groups = new LinkedHashMap<>();
        List<SnapshotRef> sorted = new ArrayList<>(snapshots);
        sorted.sort(NEWEST_FIRST);
        for (SnapshotRef r : sorted) {
            groups.computeIfAbsent(groupBy.key(r.snapshot()), k -> new ArrayList<>()).add(r);
        }
        List<Group> out = new ArrayList<>();
        for (Map.Entry<Key, List<SnapshotRef>> e : groups.entrySet()) {
            out.add(applyToGroup(e.getKey(), e.getValue(), policy, zone));
        }
        return out;
    }

    static final Comparator<SnapshotRef> NEWEST_FIRST = Comparator
            .comparing((SnapshotRef r) -> r.snapshot().instant()).reversed()
            .thenComparing(SnapshotRef::id);

    private record Rule(String reason, int[] remaining, Function<ZonedDateTime, Long> bucket, long[] last) {
    }

    private static Rule rule(String reason, int count, Function<ZonedDateTime, Long> bucket) {
        return new Rule(reason, new int[] {count}, bucket, new long[] {Long.MIN_VALUE});
    }

    private static Group applyToGroup(Key key, List<SnapshotRef> newestFirst, Policy p, ZoneId zone) {
        long[] counter = {0};
        List<Rule> rules = List.of(
                rule("last snapshot", p.last(), t -> counter[0]++),
                rule("hourly snapshot", p.hourly(), t -> t.getYear() * 1_000_000L + t.getMonthValue() * 10_000L
                        + t.getDayOfMonth() * 100L + t.getHour()),
                rule("daily snapshot", p.daily(), t -> t.getYear() * 10_000L + t.getMonthValue() * 100L + t.getDayOfMonth()),
                rule("weekly snapshot", p.weekly(), t -> t.get(IsoFields.WEEK_BASED_YEAR) * 100L
                        + t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)),
                rule("monthly snapshot", p.monthly(), t -> t.getYear() * 100L + t.getMonthValue()),
                rule("yearly snapshot", p.yearly(), t -> (long) t.getYear()));
        Instant withinLimit = p.within() == null || newestFirst.isEmpty() ? null
                : p.within().before(newestFirst.get(0).snapshot().instant(), zone);
        List<Kept> keep = new ArrayList<>();
        List<SnapshotRef> remove = new ArrayList<>();
        for (SnapshotRef r : newestFirst) {
            Snapshot s = r.snapshot();
            ZonedDateTime t = s.instant().atZone(zone);
            List<String> reasons = new ArrayList<>();
            for (Rule rule : rules) {
                if (rule.remaining()[0] == 0) {
                    continue;
                }
                long b = rule.bucket().apply(t);
                if (b != rule.last()[0]) {
                    rule.last()[0] = b;
                    if (rule.remaining()[0] > 0) {
                        rule.remaining()[0]--;
                    }
                    reasons.add(rule.reason());
                }
            }
            if (withinLimit != null && !s.instant().isBefore(withinLimit)) {
                reasons.add("within " + p.within());
            }
            List<String> hit = s.tags.stream().filter(p.tags()::contains).sorted().toList();
            if (!hit.isEmpty()) {
                reasons.add("has tags " + hit);
            }
            if (reasons.isEmpty()) {
                remove.add(r);
            } else {
                keep.add(new Kept(r, reasons));
            }
        }
        return new Group(key, keep, remove);
    }

    /** Parses a duration for {@code --keep-delete}: {@code 24h}, {@code 30m}, {@code 90s}, {@code 2d}, {@code 0s}. */
    public static Duration parseDuration(String s) {
        Matcher m = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?").matcher(s);
        if (s.isEmpty() || !m.matches()) {
            throw new IllegalArgumentException("a duration is like 24h, 90m, 30s or 1d12h, got '" + s + "'");
        }
        Duration d = Duration.ZERO;
        if (m.group(1) != null) {
            d = d.plusDays(Long.parseLong(m.group(1)));
        }
        if (m.group(2) != null) {
            d = d.plusHours(Long.parseLong(m.group(2)));
        }
        if (m.group(3) != null) {
            d = d.plusMinutes(Long.parseLong(m.group(3)));
        }
        if (m.group(4) != null) {
            d = d.plusSeconds(Long.parseLong(m.group(4)));
        }
        return d;
    }
}
