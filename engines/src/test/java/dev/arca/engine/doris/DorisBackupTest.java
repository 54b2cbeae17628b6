package dev.arca.engine.doris;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.format.repo.Repository;
import dev.arca.format.testing.TestRepos;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DorisBackupTest {
    static final DorisRepoGenerator.Params SMALL = DorisRepoGenerator.Params.small(7);

    @Test
    void theGeneratorWritesTheLayoutDeterministically(@TempDir Path dir) throws IOException {
        List<DorisRepoGenerator.SnapshotInfo> a = new DorisRepoGenerator(SMALL).generate(dir.resolve("a"), 2);
        new DorisRepoGenerator(SMALL).generate(dir.resolve("b"), 2);
        Map<String, byte[]> ta = DorisTesting.tree(dir.resolve("a"));
        Map<String, byte[]> tb = DorisTesting.tree(dir.resolve("b"));
        assertEquals(ta.keySet(), tb.keySet());
        ta.forEach((k, v) -> assertArrayEquals(v, tb.get(k), k));
        assertEquals(4, a.size(), "two databases, two days");
        int dat = 0;
        int idx = 0;
        for (Map.Entry<String, byte[]> e : ta.entrySet()) {
            String name = Path.of(e.getKey()).getFileName().toString();
            if (e.getKey().endsWith("/") || name.equals(DorisLayout.REPO_INFO)) {
                continue;
            }
            Md5Name n = Md5Name.parse(name);
            assertNotNull(n, e.getKey());
            assertEquals(n.md5(), DorisRepoGenerator.md5Hex(e.getValue()), e.getKey());
            if (n.base().endsWith(".dat")) {
                dat++;
                byte[] v = e.getValue();
                assertEquals("D0R1", new String(v, v.length - 4, 4, StandardCharsets.US_ASCII), e.getKey());
            }
            idx += n.base().endsWith(".idx") ? 1 : 0;
        }
        assertTrue(dat > 50 && idx > 10, dat + " segments, " + idx + " inverted indexes");
        for (DorisRepoGenerator.SnapshotInfo s : a) {
            JobInfo info = JobInfo.parse(Files.readAllBytes(s.directory().resolve(s.infoFileName())), s.infoFileName());
            assertEquals(s.label(), info.label());
            assertEquals(s.backupTimeMillis(), info.backupTimeMillis());
            assertEquals(s.files().size() - 2, info.fileCount(), "the job info lists every tablet file");
        }
    }

    @Test
    void everySnapshotBecomesAnArcaSnapshotWithItsJobInfo(@TempDir Path dir) throws IOException {
        List<DorisRepoGenerator.SnapshotInfo> gen = new DorisRepoGenerator(SMALL).generate(dir, 3);
        try (Repository repo = TestRepos.memory()) {
            DorisBackup.Result r = DorisTesting.backup(repo, dir, null);
            assertEquals("backup_repo", r.repository());
            assertEquals(6, r.outcomes().size());
            assertTrue(r.outcomes().stream().allMatch(o -> o.status() == DorisBackup.Status.SAVED), r.toString());
            List<DorisSnapshot> stored = DorisSnapshot.list(repo, null, e -> { throw new AssertionError(e); });
            assertEquals(6, stored.size());
            for (DorisRepoGenerator.SnapshotInfo g : gen) {
                DorisSnapshot d = stored.stream().filter(s -> s.label().equals(g.label())).findFirst().orElseThrow();
                assertEquals("doris", d.snapshot().engine);
                assertEquals(g.database(), d.database());
                assertEquals(g.backupTimeMillis(), d.backupTimeMillis());
                assertEquals(Instant.ofEpochMilli(g.backupTimeMillis()), d.snapshot().instant());
                assertEquals(g.infoFileName(), d.infoFile());
                assertEquals(g.metaFileName(), d.metaFile());
                assertEquals(g.infoFileName().substring(7, 26), d.timestamp());
                assertEquals(g.files().size(), d.snapshot().engineMetadata.path("files").asLong() - 1,
                        "every file of the snapshot directory, and __repo_info");
                JobInfo info = JobInfo.parse(Files.readAllBytes(g.directory().resolve(g.infoFileName())), "info");
                JsonNode tables = d.tables();
                assertEquals(info.tables().size(), tables.size());
                for (int t = 0; t < tables.size(); t++) {
                    JobInfo.Table want = info.tables().get(t);
                    assertEquals(want.name(), tables.get(t).path("name").asText());
                    assertEquals(want.id(), tables.get(t).path("id").asLong());
                    JsonNode parts = tables.get(t).path("partitions");
                    assertEquals(want.partitions().size(), parts.size());
                    for (int p = 0; p < parts.size(); p++) {
                        JobInfo.Partition wp = want.partitions().get(p);
                        assertEquals(wp.name(), parts.get(p).path("name").asText());
                        assertEquals(wp.version(), parts.get(p).path("version").asLong());
                        JsonNode idx = parts.get(p).path("indexes");
                        assertEquals(wp.indexes().size(), idx.size());
                        List<Long> tablets = new ArrayList<>();
                        idx.get(0).path("tablets").forEach(x -> tablets.add(x.asLong()));
                        assertEquals(List.copyOf(wp.indexes().get(0).tablets().keySet()), tablets);
                        assertEquals(wp.indexes().get(0).schemaHash(), idx.get(0).path("schema_hash").asLong());
                    }
                }
            }
            assertEquals(List.of("v_daily_orders"), List.of(stored.stream().filter(s -> s.database().equals("sales"))
                    .findFirst().orElseThrow().snapshot().engineMetadata.path("views").get(0).asText()));
        }
    }

    @Test
    void runningAgainSkipsWhatIsStoredAndAddsNewSnapshots(@TempDir Path dir) throws IOException {
        DorisRepoGenerator gen = new DorisRepoGenerator(SMALL);
        gen.generate(dir, 2);
        try (Repository repo = TestRepos.memory()) {
            DorisTesting.backup(repo, dir, null);
            int before = repo.snapshotIds().size();
            DorisBackup.Result again = DorisTesting.backup(repo, dir, null);
            assertTrue(again.outcomes().stream().allMatch(o -> o.status() == DorisBackup.Status.SKIPPED), again.toString());
            assertEquals(before, repo.snapshotIds().size());
            List<DorisRepoGenerator.SnapshotInfo> day3 = gen.nextDay(dir);
            DorisBackup.Result third = DorisTesting.backup(repo, dir, null);
            assertEquals(2, third.outcomes().stream().filter(o -> o.status() == DorisBackup.Status.SAVED).count());
            assertEquals(day3.stream().map(DorisRepoGenerator.SnapshotInfo::label).sorted().toList(),
                    third.outcomes().stream().filter(o -> o.status() == DorisBackup.Status.SAVED)
                            .map(DorisBackup.Outcome::label).sorted().toList());
            assertEquals(before + 2, repo.snapshotIds().size());
            DorisBackup.Result one = DorisTesting.backup(repo, dir, day3.get(0).label());
            assertEquals(1, one.outcomes().size());
            assertEquals(DorisBackup.Status.SKIPPED, one.outcomes().get(0).status());
        }
    }

    @Test
    void oneLabelOnly(@TempDir Path dir) throws IOException {
        List<DorisRepoGenerator.SnapshotInfo> gen = new DorisRepoGenerator(SMALL).generate(dir, 2);
        try (Repository repo = TestRepos.memory()) {
            DorisBackup.Result r = DorisTesting.backup(repo, dir.resolve("__palo_repository_backup_repo"),
                    gen.get(2).label());
            assertEquals(1, r.outcomes().size());
            assertEquals(List.of(gen.get(2).label()), DorisSnapshot.list(repo, null, e -> { }).stream()
                    .map(DorisSnapshot::label).toList());
            DorisFormatException e = assertThrows(DorisFormatException.class,
                    () -> DorisTesting.backup(repo, dir, "no_such_label"));
            assertTrue(e.getMessage().contains("no_such_label"), e.getMessage());
        }
    }

    @Test
    void unchangedTabletFilesAreStoredOnce(@TempDir Path dir) throws IOException {
        DorisRepoGenerator.Params p = new DorisRepoGenerator.Params(3, "r", 1, 2, 3, 8, 2, 16 << 10, 0.02);
        List<DorisRepoGenerator.SnapshotInfo> gen = new DorisRepoGenerator(p).generate(dir, 4);
        try (Repository repo = TestRepos.memory()) {
            DorisBackup.Result r = DorisTesting.backup(repo, dir, null);
            long first = r.outcomes().get(0).snapshot().summary.dataAdded;
            assertTrue(first >= gen.get(0).bytes(), "the first backup stores everything: " + first);
            for (int i = 1; i < 4; i++) {
                long added = r.outcomes().get(i).snapshot().summary.dataAdded;
                long changed = gen.get(i).newBytes();
                assertTrue(added <= changed + (32 << 10),
                        "day " + i + ": added " + added + " bytes for " + changed + " bytes of new files ("
                                + gen.get(i).bytes() + " in the full backup)");
                assertTrue(added >= changed, "day " + i + ": the new files are stored: " + added + " < " + changed);
                assertTrue(r.outcomes().get(i).snapshot().summary.filesUnmodified > gen.get(i).files().size() * 8 / 10);
            }
        }
    }

    // ------------------------------------------------------------------ bad input

    /** Generates one day, breaks it with {@code damage}, backs up: that snapshot fails, naming {@code expect}. */
    private static void rejected(Path dir, Damage damage, String... expect) throws IOException {
        List<DorisRepoGenerator.SnapshotInfo> gen = new DorisRepoGenerator(SMALL).generate(dir, 1);
        DorisRepoGenerator.SnapshotInfo broken = gen.get(0);
        String named = damage.apply(broken);
        try (Repository repo = TestRepos.memory()) {
            DorisBackup.Result r = DorisTesting.backup(repo, dir, null);
            DorisBackup.Outcome o = r.outcomes().stream().filter(x -> x.label().equals(broken.label())).findFirst()
                    .orElseThrow();
            assertEquals(DorisBackup.Status.FAILED, o.status());
            assertNull(o.snapshotId());
            assertTrue(r.failed());
            assertTrue(o.error().contains(named), "the error names " + named + ": " + o.error());
            for (String s : expect) {
                assertTrue(o.error().contains(s), "the error says '" + s + "': " + o.error());
            }
            List<String> labels = DorisSnapshot.list(repo, null, e -> { }).stream().map(DorisSnapshot::label).toList();
            assertEquals(List.of(gen.get(1).label()), labels, "only the intact snapshot is recorded");
        }
    }

    @FunctionalInterface
    private interface Damage {
        /** Breaks the snapshot; returns the path the error must name. */
        String apply(DorisRepoGenerator.SnapshotInfo s) throws IOException;
    }

    private static Path someFile(DorisRepoGenerator.SnapshotInfo s, String suffix) {
        String rel = s.files().keySet().stream().filter(k -> k.contains(suffix)).sorted().findFirst().orElseThrow();
        return s.directory().resolve(rel);
    }

    @Test
    void aWrongMd5IsAnErrorNamingTheFile(@TempDir Path dir) throws IOException {
        rejected(dir, s -> {
            Path f = someFile(s, ".dat.");
            byte[] b = Files.readAllBytes(f);
            b[b.length / 2] ^= 1;
            Files.write(f, b);
            return f.toString();
        }, "md5 mismatch");
    }

    @Test
    void aWrongMd5OfTheMetaFile(@TempDir Path dir) throws IOException {
        rejected(dir, s -> {
            Path f = s.directory().resolve(s.metaFileName());
            Files.write(f, new byte[] {0, 0, 0, 0}, java.nio.file.StandardOpenOption.APPEND);
            return f.toString();
        }, "md5 mismatch");
    }

    @Test
    void aMissingInfoFile(@TempDir Path dir) throws IOException {
        rejected(dir, s -> {
            Files.delete(s.directory().resolve(s.infoFileName()));
            return s.directory().toString();
        }, "no job info file");
    }

    @Test
    void aTruncatedJobInfo(@TempDir Path dir) throws IOException {
        rejected(dir, s -> {
            Path f = s.directory().resolve(s.infoFileName());
            byte[] b = Files.readAllBytes(f);
            byte[] cut = Arrays.copyOf(b, b.length / 2);
            Files.delete(f);
            Path renamed = s.directory().resolve(s.infoFileName().substring(0, 26) + "." + DorisRepoGenerator.md5Hex(cut));
            Files.write(renamed, cut);
            return renamed.toString();
        }, "not valid job info JSON");
    }

    @Test
    void aTruncatedJobInfoWithItsOldName(@TempDir Path dir) throws IOException {
        rejected(dir, s -> {
            Path f = s.directory().resolve(s.infoFileName());
            byte[] b = Files.readAllBytes(f);
            Files.write(f, Arrays.copyOf(b, b.length - 10));
            return f.toString();
        }, "md5 mismatch");
    }

    @Test
    void aFileOutsideTheLayoutInATabletDirectory(@TempDir Path dir) throws IOException {
        rejected(dir, s -> {
            Path f = someFile(s, ".hdr.").resolveSibling("notes.txt");
            Files.writeString(f, "left behind");
            return f.toString();
        }, "outside the Doris snapshot layout");
    }

    @Test
    void anUnfinishedUploadIsOutsideTheLayout(@TempDir Path dir) throws IOException {
        rejected(dir, s -> {
            Path hdr = someFile(s, ".hdr.");
            Path f = hdr.resolveSibling(hdr.getFileName() + ".part");
            Files.copy(hdr, f);
            return f.toString();
        }, "outside the Doris snapshot layout");
    }

    @Test
    void aDirectoryOfAnUnknownTable(@TempDir Path dir) throws IOException {
        rejected(dir, s -> {
            Path db = someFile(s, ".hdr.").getParent().getParent().getParent().getParent().getParent();
            Path f = db.resolve("__tbl_99999");
            Files.createDirectories(f);
            return f.toString();
        }, "no table of the job info has this id");
    }

    @Test
    void aFileBesideTheInfoFile(@TempDir Path dir) throws IOException {
        rejected(dir, s -> {
            Path f = s.directory().resolve("README");
            Files.writeString(f, "x");
            return f.toString();
        }, "outside the Doris snapshot layout");
    }

    @Test
    void aTabletFileTheJobInfoListsIsMissing(@TempDir Path dir) throws IOException {
        rejected(dir, s -> {
            Path f = someFile(s, ".dat.");
            Files.delete(f);
            return f.getFileName().toString();
        }, "missing");
    }

    @Test
    void aWholeTabletIsMissing(@TempDir Path dir) throws IOException {
        rejected(dir, s -> {
            Path tablet = someFile(s, ".hdr.").getParent();
            try (Stream<Path> files = Files.list(tablet)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(tablet);
            return tablet.toString();
        }, "missing");
    }

    @Test
    void theRepositoryItselfBreakingTheLayoutIsAnError(@TempDir Path dir) throws IOException {
        DorisRepoGenerator gen = new DorisRepoGenerator(SMALL);
        gen.generate(dir, 1);
        Path repoDir = gen.repositoryDir(dir);
        try (Repository repo = TestRepos.memory()) {
            Files.writeString(repoDir.resolve("stray.txt"), "x");
            DorisFormatException e = assertThrows(DorisFormatException.class, () -> DorisTesting.backup(repo, dir, null));
            assertTrue(e.getMessage().contains(repoDir.resolve("stray.txt").toString()), e.getMessage());
            Files.delete(repoDir.resolve("stray.txt"));
            Files.delete(repoDir.resolve("__repo_info"));
            e = assertThrows(DorisFormatException.class, () -> DorisTesting.backup(repo, dir, null));
            assertTrue(e.getMessage().contains("__repo_info"), e.getMessage());
            Files.writeString(repoDir.resolve("__repo_info"), "{\"name\":\"backup_re");
            e = assertThrows(DorisFormatException.class, () -> DorisTesting.backup(repo, dir, null));
            assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
            assertEquals(0, repo.snapshotIds().size());
            Path empty = Files.createDirectories(dir.resolve("empty"));
            e = assertThrows(DorisFormatException.class, () -> DorisTesting.backup(repo, empty, null));
            assertTrue(e.getMessage().contains("not a Doris repository"), e.getMessage());
        }
    }

    @Test
    void aMetadataOnlySnapshotHasNoContentDirectory(@TempDir Path dir) throws IOException {
        List<DorisRepoGenerator.SnapshotInfo> gen = new DorisRepoGenerator(SMALL).generate(dir, 1);
        DorisRepoGenerator.SnapshotInfo g = gen.get(0);
        Path info = g.directory().resolve(g.infoFileName());
        com.fasterxml.jackson.databind.node.ObjectNode job = (com.fasterxml.jackson.databind.node.ObjectNode)
                dev.arca.format.io.Json.MAPPER.readTree(Files.readAllBytes(info));
        job.put("content", "METADATA_ONLY");
        job.findParents("tablets").forEach(idx -> ((com.fasterxml.jackson.databind.node.ObjectNode) idx.get("tablets"))
                .fieldNames().forEachRemaining(t -> ((com.fasterxml.jackson.databind.node.ObjectNode) idx.get("tablets"))
                        .putArray(t)));
        byte[] bytes = dev.arca.format.io.Json.MAPPER.writeValueAsBytes(job);
        Files.delete(info);
        String infoName = g.infoFileName().substring(0, 26) + "." + DorisRepoGenerator.md5Hex(bytes);
        Files.write(g.directory().resolve(infoName), bytes);
        try (Stream<Path> walk = Files.walk(g.directory().resolve("__ss_content"))) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        try (Repository repo = TestRepos.memory()) {
            DorisBackup.Result r = DorisTesting.backup(repo, dir, g.label());
            assertEquals(DorisBackup.Status.SAVED, r.outcomes().get(0).status(), r.toString());
            DorisSnapshot s = DorisSnapshot.resolve(repo, g.label(), null);
            assertEquals("METADATA_ONLY", s.snapshot().engineMetadata.path("content").asText());
            assertEquals(3, s.snapshot().engineMetadata.path("files").asLong(), "repo info, job info, meta");
            Path out = dir.resolve("out");
            new DorisRestore(repo, s, new DorisRestore.Options(out, null, List.of()), new DorisRestore.Progress()).run();
            Map<String, byte[]> want = DorisTesting.tree(g.directory());
            Map<String, byte[]> got = DorisTesting.tree(out.resolve("__palo_repository_backup_repo/__ss_" + g.label()));
            assertEquals(want.keySet(), got.keySet());
        }
    }

    @Test
    void theOlderLayoutWithASchemaHashLevelBelowTheTablet(@TempDir Path dir) throws IOException {
        List<DorisRepoGenerator.SnapshotInfo> gen = new DorisRepoGenerator(SMALL).generate(dir, 1);
        DorisRepoGenerator.SnapshotInfo g = gen.get(0);
        JobInfo info = JobInfo.parse(Files.readAllBytes(g.directory().resolve(g.infoFileName())), "info");
        Path tablet = someFile(g, ".hdr.").getParent();
        long tabletId = DorisLayout.idAfter("__", tablet.getFileName().toString());
        long schemaHash = info.tables().stream().flatMap(t -> t.partitions().stream())
                .flatMap(p -> p.indexes().stream()).filter(i -> i.tablets().containsKey(tabletId))
                .findFirst().orElseThrow().schemaHash();
        Path level = Files.createDirectory(tablet.resolve("__" + schemaHash));
        try (Stream<Path> files = Files.list(tablet)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.move(f, level.resolve(f.getFileName()));
            }
        }
        try (Repository repo = TestRepos.memory()) {
            DorisBackup.Result r = DorisTesting.backup(repo, dir, g.label());
            assertEquals(DorisBackup.Status.SAVED, r.outcomes().get(0).status(), r.toString());
            Path out = dir.resolve("out");
            new DorisRestore(repo, DorisSnapshot.resolve(repo, g.label(), null), new DorisRestore.Options(out, null,
                    List.of()), new DorisRestore.Progress()).run();
            Map<String, byte[]> want = DorisTesting.tree(g.directory());
            Map<String, byte[]> got = DorisTesting.tree(out.resolve("__palo_repository_backup_repo/__ss_" + g.label()));
            assertEquals(want.keySet(), got.keySet());
            want.forEach((k, v) -> assertArrayEquals(v, got.get(k), k));
        }
        Files.createDirectory(tablet.resolve("__123"));
        try (Repository repo = TestRepos.memory()) {
            DorisBackup.Result r = DorisTesting.backup(repo, dir, g.label());
            assertEquals(DorisBackup.Status.FAILED, r.outcomes().get(0).status());
            assertTrue(r.outcomes().get(0).error().contains(tablet.resolve("__123").toString()), r.toString());
        }
    }
}
