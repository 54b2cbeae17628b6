package dev.arca.engine.redis.aof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.engine.files.BackupStats;
import dev.arca.format.repo.Repository;
import dev.arca.format.snapshot.Snapshot;
import dev.arca.format.testing.TestRepos;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backup and restore of AOF directories built from the fixtures, against an in-memory repository. */
class AofEngineTest {
    static final String MANIFEST = "appendonly.aof.manifest";
    static final String INCR1 = "appendonly.aof.1.incr.aof";
    static final String INCR2 = "appendonly.aof.2.incr.aof";
    /** ctime of the RDB preamble in rdb-preamble.aof. */
    static final long PREAMBLE_CTIME = 0x61cb10d6L;

    /** Writes an AOF directory: the base (named as Redis names an upgraded single-file AOF) and incr files. */
    static Path aofDir(Path dir, byte[] base, byte[]... incrs) throws IOException {
        Files.createDirectories(dir);
        StringBuilder m = new StringBuilder("file appendonly.aof seq 1 type b\n");
        Files.write(dir.resolve("appendonly.aof"), base);
        for (int i = 0; i < incrs.length; i++) {
            String name = "appendonly.aof." + (i + 1) + ".incr.aof";
            Files.write(dir.resolve(name), incrs[i]);
            m.append("file ").append(name).append(" seq ").append(i + 1).append(" type i\n");
        }
        Files.writeString(dir.resolve(MANIFEST), m.toString());
        return dir;
    }

    static AofBackup.Result backup(Repository repo, Path dir, AofBackup.Result parent) throws IOException {
        return new AofBackup(repo, new AofBackup.Options("host", "user", List.of(),
                parent == null ? null : parent.snapshotId()), new BackupStats()).run(dir);
    }

    static byte[] preamble() {
        return AofFixtures.load(AofFixtures.PREAMBLE);
    }

    static byte[] withTs() {
        return AofFixtures.load(AofFixtures.WITH_TS);
    }

    static void assertSameDirectory(Path expected, Path actual) throws IOException {
        List<String> a;
        List<String> b;
        try (Stream<Path> s = Files.list(expected); Stream<Path> t = Files.list(actual)) {
            a = s.map(p -> p.getFileName().toString()).sorted().toList();
            b = t.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(a, b);
        for (String n : a) {
            assertArrayEquals(Files.readAllBytes(expected.resolve(n)), Files.readAllBytes(actual.resolve(n)), n);
        }
    }

    @Test
    void backsUpTheFixturesAndRestoresThemByteForByte(@TempDir Path tmp) throws IOException {
        Path dir = aofDir(tmp.resolve("aof"), preamble(), withTs());
        try (Repository repo = TestRepos.memory()) {
            AofBackup.Result r = backup(repo, dir, null);
            Snapshot s = r.snapshot();
            assertEquals("redis", s.engine);
            JsonNode m = s.engineMetadata;
            assertEquals("aof", m.path("source").asText());
            assertEquals(Files.readString(dir.resolve(MANIFEST)), m.path("manifest").asText());
            JsonNode base = m.path("files").get(0);
            assertEquals("b", base.path("type").asText());
            assertEquals(10, base.path("rdb_version").asInt());
            assertEquals(PREAMBLE_CTIME, base.path("rdb_ctime").asLong());
            JsonNode incr = m.path("files").get(1);
            assertEquals(INCR1, incr.path("name").asText());
            assertEquals(54, incr.path("annotations").asLong());
            assertEquals(1643689035L, incr.path("first_ts").asLong());
            assertEquals(1643691449L, incr.path("last_ts").asLong());
            assertEquals(withTs().length, incr.path("last_complete_offset").asLong());
            assertFalse(incr.path("truncated").asBoolean());
            assertTrue(r.warnings().isEmpty());

            Path out = tmp.resolve("out");
            new AofRestore(repo).restore(repo.loadSnapshot(r.snapshotId()), out, null);
            assertSameDirectory(dir, out);
            assertEquals(new AofRestore.Range(PREAMBLE_CTIME, 1643691449L), AofRestore.range(s));
        }
    }

    @Test
    void cutAtAMomentKeepsCommandsUpToTheFirstLaterAnnotation(@TempDir Path tmp) throws IOException {
        byte[] incr = withTs();
        Path dir = aofDir(tmp.resolve("aof"), preamble(), incr);
        try (Repository repo = TestRepos.memory()) {
            Snapshot s = backup(repo, dir, null).snapshot();
            AofRestore restore = new AofRestore(repo);

            // the 27th annotation is 1643689844, the 28th 1643689883: a moment between keeps up to the 28th
            Path mid = tmp.resolve("mid");
            AofRestore.Result r = restore.restore(s, mid, 1643689850L);
            int cut = AofFixtures.indexOf(incr, "#TS:1643689883\r\n");
            assertEquals(INCR1, r.cutFile());
            assertEquals(cut, r.cutOffset());
            assertArrayEquals(Arrays.copyOf(incr, cut), Files.readAllBytes(mid.resolve(INCR1)));
            assertArrayEquals(preamble(), Files.readAllBytes(mid.resolve("appendonly.aof")));
            assertEquals(Files.readString(dir.resolve(MANIFEST)), Files.readString(mid.resolve(MANIFEST)));

            // exactly at an annotation: that second's commands are in
            Path at = tmp.resolve("at");
            restore.restore(s, at, 1643689883L);
            int next = AofFixtures.indexOf(incr, "#TS:1643689896\r\n");   // the annotation after 1643689883
            assertTrue(next > cut);
            assertEquals(next, Files.size(at.resolve(INCR1)));

            // the last annotation: everything
            Path last = tmp.resolve("last");
            r = restore.restore(s, last, 1643691449L);
            assertNull(r.cutFile());
            assertSameDirectory(dir, last);

            // after the base but before the first annotation: the base and the commands before that annotation
            Path early = tmp.resolve("early");
            r = restore.restore(s, early, 1643689000L);
            assertEquals(List.of(), r.dropped());
            assertEquals(AofFixtures.indexOf(incr, "#TS:"), Files.size(early.resolve(INCR1)));

            // outside the range
            AofRestore.OutOfRangeException e = assertThrows(AofRestore.OutOfRangeException.class,
                    () -> restore.restore(s, tmp.resolve("late"), 1643691450L));
            assertEquals(new AofRestore.Range(PREAMBLE_CTIME, 1643691449L), e.range());
            assertThrows(AofRestore.OutOfRangeException.class,
                    () -> restore.restore(s, tmp.resolve("before"), PREAMBLE_CTIME - 1));
            assertFalse(Files.exists(tmp.resolve("late")));
        }
    }

    @Test
    void laterIncrFilesAreLeftOutOfTheDirectoryAndTheManifest(@TempDir Path tmp) throws IOException {
        byte[] incr = withTs();
        int split = AofFixtures.indexOf(incr, "#TS:1643689883\r\n");
        Path dir = aofDir(tmp.resolve("aof"), preamble(), Arrays.copyOf(incr, split),
                Arrays.copyOfRange(incr, split, incr.length));
        try (Repository repo = TestRepos.memory()) {
            Snapshot s = backup(repo, dir, null).snapshot();
            AofRestore restore = new AofRestore(repo);
            Path out = tmp.resolve("out");
            AofRestore.Result r = restore.restore(s, out, 1643689850L);
            assertEquals(List.of(INCR2), r.dropped());
            assertEquals(List.of("appendonly.aof", INCR1), r.files());
            assertArrayEquals(Arrays.copyOf(incr, split), Files.readAllBytes(out.resolve(INCR1)));
            assertEquals("file appendonly.aof seq 1 type b\nfile " + INCR1 + " seq 1 type i\n",
                    Files.readString(out.resolve(MANIFEST)));
            assertFalse(Files.exists(out.resolve(INCR2)));

            Path later = tmp.resolve("later");
            r = restore.restore(s, later, 1643689900L);
            assertEquals(INCR2, r.cutFile());
            assertEquals(Files.readString(dir.resolve(MANIFEST)), Files.readString(later.resolve(MANIFEST)));
        }
    }

    @Test
    void withoutAnnotationsThereIsNoMomentToCutAt(@TempDir Path tmp) throws IOException {
        Path dir = aofDir(tmp.resolve("aof"), AofFixtures.load("redis-replicator/appendonly1.aof"),
                AofFixtures.load("redis-replicator/appendonly5.aof"));
        try (Repository repo = TestRepos.memory()) {
            Snapshot s = backup(repo, dir, null).snapshot();
            AofFormatException e = assertThrows(AofFormatException.class,
                    () -> new AofRestore(repo).restore(s, tmp.resolve("out"), 1643689850L));
            assertTrue(e.getMessage().contains("aof-timestamp-enabled yes"), e.getMessage());
            new AofRestore(repo).restore(s, tmp.resolve("whole"), null);
            assertSameDirectory(dir, tmp.resolve("whole"));
        }
    }

    @Test
    void badDirectoriesAreErrorsAndMakeNoSnapshot(@TempDir Path tmp) throws IOException {
        try (Repository repo = TestRepos.memory()) {
            Path empty = Files.createDirectories(tmp.resolve("empty"));
            AofFormatException e = assertThrows(AofFormatException.class, () -> backup(repo, empty, null));
            assertTrue(e.getMessage().contains("no manifest"), e.getMessage());

            Path missing = aofDir(tmp.resolve("missing"), preamble(), withTs());
            Files.delete(missing.resolve(INCR1));
            e = assertThrows(AofFormatException.class, () -> backup(repo, missing, null));
            assertTrue(e.getMessage().contains(MANIFEST) && e.getMessage().contains("'" + INCR1 + "', which is not in"),
                    e.getMessage());

            byte[] bad = withTs();
            int at = AofFixtures.indexOf(bad, "#TS:1643689883");
            bad[at] = '!';
            Path garbage = aofDir(tmp.resolve("garbage"), preamble(), bad);
            e = assertThrows(AofFormatException.class, () -> backup(repo, garbage, null));
            assertEquals(garbage.resolve(INCR1).toString(), e.file());
            assertEquals(at, e.offset());

            byte[] base = preamble();
            base[20] ^= 1;   // inside the preamble: its CRC64 no longer matches, so its end is never found
            Path badBase = aofDir(tmp.resolve("badbase"), base, withTs());
            Files.move(badBase.resolve("appendonly.aof"), badBase.resolve("appendonly.aof.1.base.rdb"));
            byte[] rdb = Arrays.copyOf(base, AofFixtures.indexOf(base, "*2\r\n$6\r\nSELECT"));
            Files.write(badBase.resolve("appendonly.aof.1.base.rdb"), rdb);
            Files.writeString(badBase.resolve(MANIFEST), "file appendonly.aof.1.base.rdb seq 1 type b\nfile "
                    + INCR1 + " seq 1 type i\n");
            e = assertThrows(AofFormatException.class, () -> backup(repo, badBase, null));
            assertTrue(e.getMessage().contains("RDB CRC64 mismatch"), e.getMessage());

            assertTrue(repo.snapshotIds().isEmpty());
        }
    }

    @Test
    void aTornTailIsStoredAndReportedAndCutAwayAtAMoment(@TempDir Path tmp) throws IOException {
        byte[] incr = withTs();
        int lastAnnotation = AofFixtures.indexOf(incr, "#TS:1643691449");
        int torn = incr.length - 7;
        Path dir = aofDir(tmp.resolve("aof"), preamble(), Arrays.copyOf(incr, torn));
        try (Repository repo = TestRepos.memory()) {
            AofBackup.Result r = backup(repo, dir, null);
            assertEquals(1, r.warnings().size());
            assertTrue(r.warnings().get(0).contains("torn tail"), r.warnings().get(0));
            JsonNode f = r.snapshot().engineMetadata.path("files").get(1);
            assertTrue(f.path("truncated").asBoolean());
            long complete = f.path("last_complete_offset").asLong();
            assertTrue(complete > lastAnnotation && complete < torn, "last complete offset " + complete);

            new AofRestore(repo).restore(r.snapshot(), tmp.resolve("whole"), null);
            assertSameDirectory(dir, tmp.resolve("whole"));
            new AofRestore(repo).restore(r.snapshot(), tmp.resolve("cut"), 1643691449L);
            assertEquals(complete, Files.size(tmp.resolve("cut").resolve(INCR1)));
        }
    }

    @Test
    void aLaterBackupStoresWhatWasAppendedAndSkipsUnchangedFiles(@TempDir Path tmp) throws IOException {
        Random rnd = new Random(7);
        ByteArrayOutputStream incr = new ByteArrayOutputStream();
        long ts = 1700000000L;
        while (incr.size() < 4 << 20) {
            appendCommands(incr, rnd, ts++, 50);
        }
        Path dir = aofDir(tmp.resolve("aof"), preamble(), incr.toByteArray());
        try (Repository repo = TestRepos.memory()) {
            AofBackup.Result first = backup(repo, dir, null);
            assertTrue(first.snapshot().summary.dataAdded > 4 << 20);

            ByteArrayOutputStream more = new ByteArrayOutputStream();
            appendCommands(more, rnd, ts, 300);
            Files.write(dir.resolve(INCR1), more.toByteArray(), StandardOpenOption.APPEND);
            long size = Files.size(dir.resolve(INCR1));
            AofBackup.Result second = backup(repo, dir, first);
            Snapshot.Summary sum = second.snapshot().summary;
            // the appended bytes, the old last chunk (at most 128 KiB) and the manifest; not the 4 MiB before
            assertTrue(sum.dataAdded < more.size() + (128 << 10) + 1000,
                    "added " + sum.dataAdded + " bytes for " + more.size() + " appended to " + size);
            assertEquals(1, sum.filesChanged);
            assertEquals(2, sum.filesUnmodified);   // the base (not read again) and the manifest
            assertEquals(ts, second.snapshot().engineMetadata.path("last_ts").asLong());
            assertEquals(PREAMBLE_CTIME, second.snapshot().engineMetadata.path("files").get(0).path("rdb_ctime").asLong());

            Path out = tmp.resolve("out");
            new AofRestore(repo).restore(second.snapshot(), out, null);
            assertSameDirectory(dir, out);
        }
    }

    /** One {@code #TS:} annotation and {@code n} SET commands with random values. */
    static void appendCommands(ByteArrayOutputStream out, Random rnd, long ts, int n) {
        out.writeBytes(("#TS:" + ts + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < n; i++) {
            byte[] v = new byte[20 + rnd.nextInt(200)];
            rnd.nextBytes(v);
            String key = "key:" + rnd.nextInt(1_000_000);
            out.writeBytes(("*3\r\n$3\r\nset\r\n$" + key.length() + "\r\n" + key + "\r\n$" + v.length + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(v);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void aNonEmptyTargetIsRefusedAndAnEmptyOneIsFilled(@TempDir Path tmp) throws IOException {
        Path dir = aofDir(tmp.resolve("aof"), preamble(), withTs());
        try (Repository repo = TestRepos.memory()) {
            Snapshot s = backup(repo, dir, null).snapshot();
            Path full = Files.createDirectories(tmp.resolve("full"));
            Files.writeString(full.resolve("keep.txt"), "mine");
            assertThrows(DirectoryNotEmptyException.class, () -> new AofRestore(repo).restore(s, full, null));
            assertEquals("mine", Files.readString(full.resolve("keep.txt")));
            try (Stream<Path> l = Files.list(tmp)) {
                assertTrue(l.noneMatch(p -> p.getFileName().toString().contains("arca-tmp")));
            }
            Path empty = Files.createDirectories(tmp.resolve("empty"));
            new AofRestore(repo).restore(s, empty, null);
            assertSameDirectory(dir, empty);
        }
    }
}
