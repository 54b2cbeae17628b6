package dev.arca.engine.aerospike;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arca.engine.files.BackupStats;
import dev.arca.engine.files.FileBackup;
import dev.arca.engine.files.Excluder;
import dev.arca.format.repo.Repository;
import dev.arca.format.testing.TestRepos;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AerospikeEngineTest {
    static final AerospikeBackup.Options OPTS = new AerospikeBackup.Options("h", "u", List.of(), null);

    static FileBackup.Result backupDir(Repository repo, Path dir) throws IOException {
        return new AerospikeBackup(repo, OPTS, new BackupStats()).directory(dir);
    }

    static Path fixtures(Path dir) throws IOException {
        Path d = dir.resolve("fixtures");
        Files.createDirectories(d);
        for (String n : List.of("test_backup_file.asb", "readme_sample_v3.1.asb")) {
            Files.write(d.resolve(n), AsbParserTest.fixture(n));
        }
        return d;
    }

    static void assertSameFiles(Path want, Path got) throws IOException {
        List<String> names;
        try (Stream<Path> s = Files.list(want)) {
            names = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".asb")).sorted().toList();
        }
        List<String> gotNames;
        try (Stream<Path> s = Files.list(got)) {
            gotNames = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(names, gotNames);
        for (String n : names) {
            assertEquals(-1L, Files.mismatch(want.resolve(n), got.resolve(n)), n + " differs");
        }
    }

    static List<AsbItem.Record> records(byte[] stream) throws IOException {
        List<AsbItem.Record> out = new ArrayList<>();
        for (AsbItem it : AsbParserTest.parse(stream, "out.asb")) {
            if (it instanceof AsbItem.Record r) {
                out.add(r);
            }
        }
        return out;
    }

    @Test
    void fixturesRoundTripAsDirectoryAndAsStream(@TempDir Path dir) throws IOException {
        Path src = fixtures(dir);
        try (Repository repo = TestRepos.memory()) {
            FileBackup.Result r = backupDir(repo, src);
            assertEquals("aerospike", r.snapshot().engine);
            var m = r.snapshot().engineMetadata;
            assertEquals("test", m.get("namespace").asText());
            assertEquals("3.1", m.get("format_version").asText());
            assertEquals(2, m.get("records").asLong());
            assertEquals(2, m.get("secondary_indexes").asLong());
            assertEquals(1, m.get("udfs").asLong());
            assertEquals(2, m.get("files").size());

            AerospikeRestore restore = new AerospikeRestore(repo);
            restore.toDirectory(r.snapshot(), dir.resolve("out"));
            assertSameFiles(src, dir.resolve("out"));

            ByteArrayOutputStream one = new ByteArrayOutputStream();
            restore.toStream(r.snapshot(), AerospikeRestore.Filter.NONE, one);
            List<AsbItem> items = AsbParserTest.parse(one.toByteArray(), "stream");
            assertEquals(2, items.stream().filter(i -> i instanceof AsbItem.Record).count());
            assertEquals(2, items.stream().filter(i -> i instanceof AsbItem.SecondaryIndex).count());
            String text = one.toString(StandardCharsets.ISO_8859_1);
            assertTrue(text.startsWith("Version 3.1\n# namespace test\n# first-file\n* i "), text);

            byte[] single = AsbParserTest.fixture("readme_sample_v3.1.asb");
            FileBackup.Result s = new AerospikeBackup(repo, OPTS, new BackupStats())
                    .stream(new ByteArrayInputStream(single), null, "-");
            assertEquals(List.of("/test.asb"), s.snapshot().paths);
            ByteArrayOutputStream back = new ByteArrayOutputStream();
            restore.toStream(s.snapshot(), AerospikeRestore.Filter.NONE, back);
            assertArrayEquals(single, back.toByteArray());
        }
    }

    @Test
    void aBadFileRecordsNothing(@TempDir Path dir) throws IOException {
        Path src = fixtures(dir);
        Files.write(src.resolve("zz_bad.asb"), AsbParserTest.fixture("test_bad_backup_file.asb"));
        try (Repository repo = TestRepos.memory()) {
            AsbFormatException e = assertThrows(AsbFormatException.class, () -> backupDir(repo, src));
            assertTrue(e.getMessage().endsWith("zz_bad.asb:13:3: invalid bin type 'x'"), e.getMessage());
            assertTrue(repo.snapshots(x -> { }).isEmpty());
            assertThrows(AsbFormatException.class, () -> new AerospikeBackup(repo, OPTS, new BackupStats())
                    .stream(new ByteArrayInputStream(new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 1, 2}), null, "-"));
            assertThrows(IOException.class, () -> new AerospikeBackup(repo,
                    new AerospikeBackup.Options("h", "u", List.of(), "other"), new BackupStats()).directory(fixtures(dir.resolve("x"))));
            assertTrue(repo.snapshots(x -> { }).isEmpty());
        }
    }

    @Test
    void damagedFilesAreFormatErrorsAndNeverASnapshot(@TempDir Path dir) throws IOException {
        java.util.SplittableRandom r = new java.util.SplittableRandom(11);
        byte[] good = AsbParserTest.fixture("readme_sample_v3.1.asb");
        try (Repository repo = TestRepos.memory()) {
            int snapshots = 0;
            for (int i = 0; i < 300; i++) {
                byte[] m = good.clone();
                for (int k = 1 + r.nextInt(3); k > 0; k--) {
                    m[r.nextInt(m.length)] = (byte) r.nextInt(256);
                }
                if (i % 3 == 0) {
                    m = java.util.Arrays.copyOf(m, r.nextInt(m.length));
                }
                boolean parses;
                try {
                    // a file without its '# namespace' line parses, but is not a backup
                    parses = AsbParserTest.parse(m, "m.asb").stream().anyMatch(x -> x instanceof AsbItem.Namespace);
                } catch (AsbFormatException e) {
                    parses = false;
                }
                try {
                    new AerospikeBackup(repo, OPTS, new BackupStats()).stream(new ByteArrayInputStream(m), "m.asb", "m.asb");
                    assertTrue(parses, "a file the parser refuses was backed up");
                    snapshots++;
                } catch (AsbFormatException e) {
                    assertFalse(parses);
                    assertTrue(e.getMessage().startsWith("m.asb"), e.getMessage());
                }
                assertEquals(snapshots, repo.snapshots(x -> { }).size());
            }
            assertTrue(snapshots < 100, snapshots + " of 300 damaged files still parsed");
        }
    }

    @Test
    void renameAndFiltersGiveExactlyTheExpectedRecords(@TempDir Path dir) throws IOException {
        Path src = dir.resolve("src");
        AsbCorpus.write(src, 3, 400, 1, 0);
        try (Repository repo = TestRepos.memory()) {
            FileBackup.Result r = backupDir(repo, src);
            AerospikeRestore restore = new AerospikeRestore(repo);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            AerospikeRestore.Filter f = new AerospikeRestore.Filter("test", "prod", Set.of("users", "events"),
                    Set.of("age", "name"));
            restore.toStream(r.snapshot(), f, out);
            List<AsbItem> items = AsbParserTest.parse(out.toByteArray(), "out");
            assertEquals("prod", AsbItem.text(((AsbItem.Namespace) items.get(0)).name()));
            List<AsbItem.Record> got = records(out.toByteArray());
            List<AsbItem.Record> want = new ArrayList<>();
            for (long i = 0; i < 1200; i++) {
                AsbItem.Record x = AsbCorpus.record(i, 1);
                if (x.set() != null && Set.of("users", "events").contains(x.setText())) {
                    want.add(x);
                }
            }
            assertEquals(want.size(), got.size());
            for (int i = 0; i < want.size(); i++) {
                assertArrayEquals(want.get(i).digest(), got.get(i).digest());
                assertEquals("prod", AsbItem.text(got.get(i).namespace()));
                assertEquals(List.of("age", "name"), got.get(i).bins().stream().map(AsbItem.Bin::nameText).toList());
                assertArrayEquals(want.get(i).bins().get(1).value(), got.get(i).bins().get(1).value());
            }
            for (AsbItem it : items) {
                if (it instanceof AsbItem.SecondaryIndex s) {
                    assertEquals("prod", AsbItem.text(s.namespace()));
                }
            }
            assertThrows(IOException.class, () -> restore.toStream(r.snapshot(),
                    new AerospikeRestore.Filter("nope", "x", null, null), new ByteArrayOutputStream()));
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            restore.toStream(r.snapshot(), AerospikeRestore.Filter.NONE, all);
            assertEquals(1200, records(all.toByteArray()).size());
        }
    }

    @Test
    void mergeAppliesAsrestoresDefaultWritePolicy(@TempDir Path dir) throws IOException {
        byte[] ns = AsbCorpus.NS;
        byte[] d1 = new byte[20];
        byte[] d2 = new byte[20];
        byte[] d3 = new byte[20];
        byte[] d4 = new byte[20];
        d1[0] = 1;
        d2[0] = 2;
        d3[0] = 3;
        d4[0] = 4;
        long now = Instant.now().getEpochSecond() - AerospikeRestore.CITRUSLEAF_EPOCH;
        AsbItem.Bin a1 = new AsbItem.Bin((byte) 'I', false, AsbCorpus.b("a"), AsbCorpus.b("1"));
        AsbItem.Bin b1 = new AsbItem.Bin((byte) 'I', false, AsbCorpus.b("b"), AsbCorpus.b("1"));
        AsbItem.Bin a2 = new AsbItem.Bin((byte) 'I', false, AsbCorpus.b("a"), AsbCorpus.b("2"));
        AsbItem.Bin c2 = new AsbItem.Bin((byte) 'I', false, AsbCorpus.b("c"), AsbCorpus.b("2"));
        List<AsbItem.Record> older = List.of(
                new AsbItem.Record(null, ns, d1, null, 3, 0, List.of(a1, b1)),          // updated by newer gen 4
                new AsbItem.Record(null, ns, d2, null, 5, 0, List.of(a1)),              // newer has gen 2: stays
                new AsbItem.Record(null, ns, d3, null, 1, now - 10, List.of(a1)));      // expired
        List<AsbItem.Record> newer = List.of(
                new AsbItem.Record(null, ns, d1, null, 4, 0, List.of(a2, c2)),
                new AsbItem.Record(null, ns, d2, null, 2, 0, List.of(a2)),
                new AsbItem.Record(null, ns, d4, null, 1, now + 1000, List.of(c2)));
        Path v1 = dir.resolve("v1");
        Path v2 = dir.resolve("v2");
        Files.createDirectories(v1);
        Files.createDirectories(v2);
        Files.write(v1.resolve("test_00000.asb"), AsbGen.file(ns, false, List.of(), older));
        Files.write(v2.resolve("test_00000.asb"), AsbGen.file(ns, false, List.of(), newer));
        try (Repository repo = TestRepos.memory()) {
            var s1 = backupDir(repo, v1).snapshot();
            var s2 = backupDir(repo, v2).snapshot();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            AerospikeRestore.Result res = new AerospikeRestore(repo).merge(List.of(s1, s2), AerospikeRestore.Filter.NONE,
                    out, Instant.now());
            Map<Integer, AsbItem.Record> got = new HashMap<>();
            for (AsbItem.Record r : records(out.toByteArray())) {
                got.put((int) r.digest()[0], r);
            }
            assertEquals(Set.of(1, 2, 4), got.keySet());
            assertEquals(4, got.get(1).generation());
            assertEquals(Map.of("a", "2", "c", "2", "b", "1"), bins(got.get(1)));
            assertEquals(5, got.get(2).generation());
            assertEquals(Map.of("a", "1"), bins(got.get(2)));
            assertEquals(1, res.expired);
            assertEquals(1, res.olderGeneration);
        }
    }

    static Map<String, String> bins(AsbItem.Record r) {
        Map<String, String> m = new HashMap<>();
        for (AsbItem.Bin b : r.bins()) {
            m.put(b.nameText(), AsbItem.text(b.value()));
        }
        return m;
    }

    /**
     * 3% of the records (a few hundred bytes each, spread evenly) changed: the record-aligned
     * chunking stores a small part of the second backup; the same two versions stored as plain
     * files (FastCDC, 1 MiB average like restic and borg) store nearly all of it.
     */
    @Test
    void aBackupWithThreePercentOfRecordsChangedStoresLittle(@TempDir Path dir) throws IOException {
        Path v1 = dir.resolve("v1");
        Path v2 = dir.resolve("v2");
        long size1 = AsbCorpus.write(v1, 4, 12_000, 1, 0);
        long size2 = AsbCorpus.write(v2, 4, 12_000, 2, 30);
        long asb;
        long plain;
        try (Repository repo = TestRepos.memory()) {
            backupDir(repo, v1);
            FileBackup.Result r2 = backupDir(repo, v2);
            asb = r2.snapshot().summary.dataAdded;
            AerospikeRestore restore = new AerospikeRestore(repo);
            restore.toDirectory(r2.snapshot(), dir.resolve("out2"));
            assertSameFiles(v2, dir.resolve("out2"));
        }
        try (Repository repo = TestRepos.memory()) {
            new FileBackup(repo, new FileBackup.Options(List.of(v1), "h", "u", List.of(), Excluder.NONE, null, true),
                    new BackupStats(), e -> { }).run();
            Files.move(v1, dir.resolve("v1-moved"));
            Files.move(v2, v1);
            FileBackup.Result r2 = new FileBackup(repo, new FileBackup.Options(List.of(v1), "h", "u", List.of(),
                    Excluder.NONE, null, true), new BackupStats(), e -> { }).run();
            plain = r2.snapshot().summary.dataAdded;
        }
        System.out.printf("aerospike dedup: v1 %d bytes, v2 %d bytes; v2 adds %d bytes (%.1f%%) record-aligned, "
                + "%d bytes (%.1f%%) with the files engine's 1 MiB chunks%n", size1, size2, asb, 100.0 * asb / size2,
                plain, 100.0 * plain / size2);
        assertTrue(asb <= size2 / 4, "record-aligned: " + asb + " of " + size2);
        assertTrue(plain > size2 / 2, "files engine: " + plain + " of " + size2);
    }
}
