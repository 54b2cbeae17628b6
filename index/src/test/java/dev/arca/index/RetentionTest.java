package dev.arca.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arca.format.id.FileId;
import dev.arca.format.repo.SnapshotRef;
import dev.arca.format.snapshot.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetentionTest {
    private static final ZoneId UTC = ZoneOffset.UTC;

    private static int counter;

    static SnapshotRef snap(String time, String host, String path, String... tags) {
        Snapshot s = new Snapshot();
        s.time = Instant.parse(time).toString();
        s.host = host;
        s.paths = List.of(path);
        s.tags = List.of(tags);
        s.engine = "files";
        s.tree = "00".repeat(32);
        byte[] id = new byte[32];
        id[0] = (byte) ++counter;
        id[1] = (byte) (counter >> 8);
        return new SnapshotRef(FileId.fromBytes(id), s);
    }

    static SnapshotRef snap(String time) {
        return snap(time, "h", "/p");
    }

    private static List<String> kept(List<Retention.Group> groups) {
        List<String> out = new ArrayList<>();
        for (Retention.Group g : groups) {
            g.keep().forEach(k -> out.add(k.snapshot().snapshot().time));
        }
        return out;
    }

    private static Retention.Group one(List<SnapshotRef> snaps, Retention.Policy p, ZoneId zone) {
        List<Retention.Group> g = Retention.apply(snaps, p, Retention.GroupBy.DEFAULT, zone);
        assertEquals(1, g.size());
        Retention.Group group = g.get(0);
        assertEquals(snaps.size(), group.keep().size() + group.remove().size(), "every snapshot is kept or removed");
        return group;
    }

    @Test
    void keepLastKeepsTheNewestInAnyInputOrder() {
        List<SnapshotRef> s = List.of(snap("2026-01-03T00:00:00Z"), snap("2026-01-01T00:00:00Z"),
                snap("2026-01-05T00:00:00Z"), snap("2026-01-02T00:00:00Z"), snap("2026-01-04T00:00:00Z"));
        Retention.Group g = one(s, Retention.Policy.none().withLast(3), UTC);
        assertEquals(List.of("2026-01-05T00:00:00Z", "2026-01-04T00:00:00Z", "2026-01-03T00:00:00Z"), kept(List.of(g)));
        assertEquals(List.of("last snapshot"), g.keep().get(0).reasons());
        assertEquals(2, g.remove().size());
        assertEquals(5, one(s, Retention.Policy.none().withLast(-1), UTC).keep().size(), "-1 keeps all");
    }

    @Test
    void keepDailyKeepsTheNewestOfEachDayForNDaysThatHaveSnapshots() {
        List<SnapshotRef> s = List.of(
                snap("2026-03-10T08:00:00Z"), snap("2026-03-10T20:00:00Z"),
                snap("2026-03-09T12:00:00Z"),
                // no snapshot on the 8th: the rule counts days with snapshots, as restic does
                snap("2026-03-07T01:00:00Z"), snap("2026-03-07T23:00:00Z"),
                snap("2026-03-06T10:00:00Z"));
        Retention.Group g = one(s, Retention.Policy.none().withDaily(3), UTC);
        assertEquals(List.of("2026-03-10T20:00:00Z", "2026-03-09T12:00:00Z", "2026-03-07T23:00:00Z"), kept(List.of(g)));
        g.keep().forEach(k -> assertEquals(List.of("daily snapshot"), k.reasons()));
    }

    @Test
    void calendarBucketsFollowTheLocalTimeZone() {
        // 23:30 and 00:30 UTC are two days in UTC, one day (08:30 and 09:30) in Tokyo.
        List<SnapshotRef> s = List.of(snap("2026-05-01T23:30:00Z"), snap("2026-05-02T00:30:00Z"));
        assertEquals(2, one(s, Retention.Policy.none().withDaily(10), UTC).keep().size());
        Retention.Group tokyo = one(s, Retention.Policy.none().withDaily(10), ZoneId.of("Asia/Tokyo"));
        assertEquals(List.of("2026-05-02T00:30:00Z"), kept(List.of(tokyo)));
        // and in New York (UTC-4 in May) 19:30 and 20:30 of May 1st: one day as well
        assertEquals(1, one(s, Retention.Policy.none().withDaily(10), ZoneId.of("America/New_York")).keep().size());
    }

    @Test
    void hourlyWeeklyMonthlyYearlyBuckets() {
        List<SnapshotRef> s = List.of(
                snap("2026-01-05T10:10:00Z"), snap("2026-01-05T10:50:00Z"), snap("2026-01-05T11:05:00Z"),
                snap("2026-01-04T09:00:00Z"), // Sunday: ISO week 1 of 2026 (Mon Dec 29 .. Sun Jan 4)
                snap("2025-12-29T09:00:00Z"), // Monday of the same ISO week, another year and month
                snap("2025-11-15T09:00:00Z"), snap("2024-06-01T00:00:00Z"));
        assertEquals(List.of("2026-01-05T11:05:00Z", "2026-01-05T10:50:00Z", "2026-01-04T09:00:00Z"),
                kept(List.of(one(s, Retention.Policy.none().withHourly(3), UTC))));
        assertEquals(List.of("2026-01-05T11:05:00Z", "2026-01-04T09:00:00Z", "2025-11-15T09:00:00Z"),
                kept(List.of(one(s, Retention.Policy.none().withWeekly(3), UTC))),
                "Jan 4 and Dec 29 share ISO week 2026-W01; Jan 5 starts W02");
        assertEquals(List.of("2026-01-05T11:05:00Z", "2025-12-29T09:00:00Z", "2025-11-15T09:00:00Z", "2024-06-01T00:00:00Z"),
                kept(List.of(one(s, Retention.Policy.none().withMonthly(-1), UTC))));
        assertEquals(List.of("2026-01-05T11:05:00Z", "2025-12-29T09:00:00Z"),
                kept(List.of(one(s, Retention.Policy.none().withYearly(2), UTC))));
    }

    @Test
    void rulesCombineAndEveryReasonIsListed() {
        List<SnapshotRef> s = List.of(snap("2026-02-02T12:00:00Z"), snap("2026-02-02T08:00:00Z"),
                snap("2026-02-01T12:00:00Z", "h", "/p", "release"), snap("2026-01-15T12:00:00Z"));
        Retention.Policy p = Retention.Policy.none().withLast(1).withDaily(2).withMonthly(2).withTags(Set.of("release"));
        Retention.Group g = one(s, p, UTC);
        assertEquals(List.of("last snapshot", "daily snapshot", "monthly snapshot"), g.keep().get(0).reasons());
        assertEquals("2026-02-01T12:00:00Z", g.keep().get(1).snapshot().snapshot().time);
        assertEquals(List.of("daily snapshot", "has tags [release]"), g.keep().get(1).reasons());
        assertEquals(List.of("monthly snapshot"), g.keep().get(2).reasons());
        assertEquals(List.of("2026-02-02T08:00:00Z"), g.remove().stream().map(r -> r.snapshot().time).toList());
    }

    @Test
    void keepWithinCountsBackFromTheNewestSnapshotOnTheCalendar() {
        Retention.Within w = Retention.Within.parse("2y5m7d3h");
        assertEquals(Instant.parse("2024-01-25T09:00:00Z"), w.before(Instant.parse("2026-07-01T12:00:00Z"), UTC));
        List<SnapshotRef> s = List.of(snap("2026-07-01T12:00:00Z"), snap("2024-01-25T09:00:00Z"),
                snap("2024-01-25T08:59:59Z"), snap("2020-01-01T00:00:00Z"));
        Retention.Group g = one(s, Retention.Policy.none().withWithin(w), UTC);
        assertEquals(List.of("2026-07-01T12:00:00Z", "2024-01-25T09:00:00Z"), kept(List.of(g)));
        assertEquals(List.of("within 2y5m7d3h"), g.keep().get(0).reasons());
        assertEquals(Instant.parse("2026-06-17T12:00:00Z"),
                Retention.Within.parse("14d").before(Instant.parse("2026-07-01T12:00:00Z"), UTC));
        for (String bad : List.of("", "5", "3h2d", "1w", "-1d", "2y 5m")) {
            assertThrows(IllegalArgumentException.class, () -> Retention.Within.parse(bad), bad);
        }
    }

    @Test
    void groupsAreCountedSeparately() {
        List<SnapshotRef> s = List.of(snap("2026-01-01T00:00:00Z", "a", "/x"), snap("2026-01-02T00:00:00Z", "a", "/x"),
                snap("2026-01-03T00:00:00Z", "b", "/x"), snap("2026-01-04T00:00:00Z", "a", "/y"));
        List<Retention.Group> byHostPath = Retention.apply(s, Retention.Policy.none().withLast(1),
                Retention.GroupBy.DEFAULT, UTC);
        assertEquals(3, byHostPath.size());
        assertEquals(3, kept(byHostPath).size());
        assertEquals(new Retention.Key("a", List.of("/y"), null), byHostPath.get(0).key(), "groups by newest snapshot");
        List<Retention.Group> byHost = Retention.apply(s, Retention.Policy.none().withLast(1),
                Retention.GroupBy.parse("host"), UTC);
        assertEquals(List.of("2026-01-04T00:00:00Z", "2026-01-03T00:00:00Z"), kept(byHost));
        List<Retention.Group> all = Retention.apply(s, Retention.Policy.none().withLast(1), Retention.GroupBy.parse(""), UTC);
        assertEquals(List.of("2026-01-04T00:00:00Z"), kept(all));
        assertEquals(new Retention.Key(null, null, "files"),
                Retention.apply(s, Retention.Policy.none().withLast(1), Retention.GroupBy.parse("engine"), UTC).get(0).key());
        assertThrows(IllegalArgumentException.class, () -> Retention.GroupBy.parse("host,tags"));
    }

    @Test
    void anEmptyPolicyKeepsNothingAndSaysItIsEmpty() {
        assertTrue(Retention.Policy.none().isEmpty());
        Retention.Group g = one(List.of(snap("2026-01-01T00:00:00Z")), Retention.Policy.none(), UTC);
        assertEquals(1, g.remove().size());
    }

    @Test
    void graceDurations() {
        assertEquals(Duration.ofHours(24), Retention.parseDuration("24h"));
        assertEquals(Duration.ZERO, Retention.parseDuration("0s"));
        assertEquals(Duration.ofHours(36).plusMinutes(5), Retention.parseDuration("1d12h5m"));
        assertThrows(IllegalArgumentException.class, () -> Retention.parseDuration("5 minutes"));
    }
}
