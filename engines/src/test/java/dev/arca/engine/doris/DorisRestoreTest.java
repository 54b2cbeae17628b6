package dev.arca.engine.doris;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.engine.files.BackupSession;
import dev.arca.engine.files.BackupStats;
import dev.arca.format.CorruptObjectException;
import dev.arca.format.id.BlobId;
import dev.arca.format.id.FileId;
import dev.arca.format.io.Json;
import dev.arca.format.repo.Repository;
import dev.arca.format.snapshot.Snapshot;
import dev.arca.format.testing.TestRepos;
import dev.arca.format.tree.Node;
import dev.arca.format.tree.NodeKind;
import dev.arca.format.tree.Tree;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DorisRestoreTest {
    static final DorisRepoGenerator.Params SMALL = DorisRepoGenerator.Params.small(11);

    static DorisRestore.Result restore(Repository repo, DorisSnapshot s, Path location, String table, String... parts)
            throws IOException {
        return new DorisRestore(repo, s, new DorisRestore.Options(location, table, List.of(parts)),
                new DorisRestore.Progress()).run();
    }

    static DorisSnapshot byLabel(Repository repo, String label) throws IOException {
        return DorisSnapshot.resolve(repo, label, null);
    }

    static void assertSameTree(Map<String, byte[]> want, Map<String, byte[]> got) {
        assertEquals(want.keySet(), got.keySet());
        want.forEach((k, v) -> assertArrayEquals(v, got.get(k), k));
    }

    @Test
    void aRepositoryWithSeveralSnapshotsRoundTripsByteForByte(@TempDir Path dir) throws IOException {
        Path src = dir.resolve("src");
        List<DorisRepoGenerator.SnapshotInfo> gen = new DorisRepoGenerator(SMALL).generate(src, 3);
        try (Repository repo = TestRepos.memory()) {
            DorisTesting.backup(repo, src, null);
            Path out = dir.resolve("out");
            long written = 0;
            for (DorisRepoGenerator.SnapshotInfo g : gen) {
                DorisRestore.Result r = restore(repo, byLabel(repo, g.label()), out, null);
                assertEquals(out.resolve("__palo_repository_backup_repo"), r.repositoryDir());
                written += r.filesWritten();
                assertEquals(g.files().size() + (written == r.filesWritten() ? 1 : 0), r.filesWritten(),
                        "the snapshot's files, and __repo_info the first time");
            }
            assertSameTree(DorisTesting.tree(src), DorisTesting.tree(out));
        }
    }

    @Test
    void restoringBesideOtherSnapshotsLeavesThemAlone(@TempDir Path dir) throws IOException {
        Path src = dir.resolve("src");
        List<DorisRepoGenerator.SnapshotInfo> gen = new DorisRepoGenerator(SMALL).generate(src, 2);
        try (Repository repo = TestRepos.memory()) {
            DorisTesting.backup(repo, src, null);
            Path out = dir.resolve("out");
            restore(repo, byLabel(repo, gen.get(0).label()), out, null);
            Path first = out.resolve("__palo_repository_backup_repo/__ss_" + gen.get(0).label());
            Map<String, byte[]> before = DorisTesting.tree(first);
            FileTime old = FileTime.from(Instant.parse("2001-01-01T00:00:00Z"));
            Path info = first.resolve(gen.get(0).infoFileName());
            Files.setLastModifiedTime(info, old);

            restore(repo, byLabel(repo, gen.get(1).label()), out.resolve("__palo_repository_backup_repo"), null);
            assertSameTree(before, DorisTesting.tree(first));
            assertEquals(old, Files.getLastModifiedTime(info), "files of other snapshots are not rewritten");
            assertTrue(Files.isDirectory(out.resolve("__palo_repository_backup_repo/__ss_" + gen.get(1).label())));

            DorisRestore.Result again = restore(repo, byLabel(repo, gen.get(0).label()), out, null);
            assertEquals(0, again.filesWritten());
            assertEquals(gen.get(0).files().size() + 1, again.filesAlreadyThere());
            assertEquals(old, Files.getLastModifiedTime(info));
        }
    }

    @Test
    void aFileWithOtherContentIsNeverOverwritten(@TempDir Path dir) throws IOException {
        Path src = dir.resolve("src");
        List<DorisRepoGenerator.SnapshotInfo> gen = new DorisRepoGenerator(SMALL).generate(src, 1);
        DorisRepoGenerator.SnapshotInfo g = gen.get(0);
        try (Repository repo = TestRepos.memory()) {
            DorisTesting.backup(repo, src, null);
            Path out = dir.resolve("out");
            restore(repo, byLabel(repo, g.label()), out, null);
            Path ss = out.resolve("__palo_repository_backup_repo/__ss_" + g.label());
            List<String> rels = new ArrayList<>(g.files().keySet());
            Path changed = ss.resolve(rels.get(3));
            Files.writeString(changed, "someone else's data");
            Path removed = ss.resolve(rels.get(5));
            Files.delete(removed);

            DorisRestore.ConflictException e = assertThrows(DorisRestore.ConflictException.class,
                    () -> restore(repo, byLabel(repo, g.label()), out, null));
            assertEquals(List.of(changed.toString()), e.files());
            assertEquals("someone else's data", Files.readString(changed));
            assertFalse(Files.exists(removed), "nothing is written when a file is in the way");

            Path repoInfo = out.resolve("__palo_repository_backup_repo/__repo_info");
            Files.writeString(changed, "x");
            Files.delete(changed);
            String created = "{\"name\":\"backup_repo\",\"create_time\":\"2020-01-01 00:00:00\"}";
            Files.writeString(repoInfo, created);
            restore(repo, byLabel(repo, g.label()), out, null);
            assertEquals(created, Files.readString(repoInfo), "a repository info of the same name, as CREATE "
                    + "REPOSITORY writes it, is kept");
            Files.writeString(repoInfo, "{\"name\":\"other_repo\",\"create_time\":\"2020-01-01 00:00:00\"}");
            Files.delete(ss.resolve(rels.get(0)));
            e = assertThrows(DorisRestore.ConflictException.class, () -> restore(repo, byLabel(repo, g.label()), out, null));
            assertEquals(List.of(repoInfo.toString()), e.files());
            assertFalse(Files.exists(ss.resolve(rels.get(0))));
        }
    }

    @Test
    void aSymlinkInTheWayIsAConflict(@TempDir Path dir) throws IOException {
        Path src = dir.resolve("src");
        List<DorisRepoGenerator.SnapshotInfo> gen = new DorisRepoGenerator(SMALL).generate(src, 1);
        try (Repository repo = TestRepos.memory()) {
            DorisTesting.backup(repo, src, null);
            Path out = dir.resolve("out");
            Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
            Files.createDirectories(out.resolve("__palo_repository_backup_repo"));
            Files.createSymbolicLink(out.resolve("__palo_repository_backup_repo/__ss_" + gen.get(0).label()), elsewhere);
            assertThrows(DorisRestore.ConflictException.class,
                    () -> restore(repo, byLabel(repo, gen.get(0).label()), out, null));
            try (var s = Files.list(elsewhere)) {
                assertEquals(0, s.count());
            }
        }
    }

    @Test
    void aPartitionRestoreGivesExactlyTheFilesDorisReads(@TempDir Path dir) throws IOException {
        Path src = dir.resolve("src");
        List<DorisRepoGenerator.SnapshotInfo> gen = new DorisRepoGenerator(SMALL).generate(src, 2);
        DorisRepoGenerator.SnapshotInfo g = gen.get(2);
        JobInfo info = JobInfo.parse(Files.readAllBytes(g.directory().resolve(g.infoFileName())), "info");
        JobInfo.Table table = info.tables().get(0);
        assertTrue(table.partitions().get(0).indexes().size() > 1, "the table has a rollup index too");
        JobInfo.Partition p1 = table.partitions().get(1);
        JobInfo.Partition p2 = table.partitions().get(2);
        try (Repository repo = TestRepos.memory()) {
            DorisTesting.backup(repo, src, null);
            Path out = dir.resolve("out");
            restore(repo, byLabel(repo, g.label()), out, table.name(), p1.name(), p2.name());

            Map<String, byte[]> all = DorisTesting.tree(src);
            String ss = "__palo_repository_backup_repo/__ss_" + g.label() + "/";
            String tbl = ss + "__ss_content/__db_" + info.databaseId() + "/__tbl_" + table.id() + "/";
            List<String> want = DorisTesting.filesUnder(all, List.of("__palo_repository_backup_repo/__repo_info",
                    ss + g.infoFileName(), ss + g.metaFileName(), tbl + "__part_" + p1.id() + "/",
                    tbl + "__part_" + p2.id() + "/"));
            Map<String, byte[]> got = DorisTesting.tree(out);
            List<String> gotFiles = got.keySet().stream().filter(k -> !k.endsWith("/")).toList();
            assertEquals(want, gotFiles);
            for (String k : want) {
                assertArrayEquals(all.get(k), got.get(k), k);
            }
            long tablets = 0;
            for (JobInfo.Partition p : List.of(p1, p2)) {
                for (JobInfo.Index i : p.indexes()) {
                    tablets += i.tablets().size();
                    for (Map.Entry<Long, List<String>> t : i.tablets().entrySet()) {
                        for (String f : t.getValue()) {
                            assertTrue(got.containsKey(tbl + "__part_" + p.id() + "/__idx_" + i.id() + "/__" + t.getKey()
                                    + "/" + f), "every file the job info lists for the partition: " + f);
                        }
                    }
                }
            }
            assertEquals(tablets, got.keySet().stream().filter(k -> k.endsWith("/") && k.matches(".*/__\\d+/")).count());

            Path whole = dir.resolve("table");
            restore(repo, byLabel(repo, g.label()), whole, table.name());
            assertEquals(DorisTesting.filesUnder(all, List.of("__palo_repository_backup_repo/__repo_info",
                    ss + g.infoFileName(), ss + g.metaFileName(), tbl)),
                    DorisTesting.tree(whole).keySet().stream().filter(k -> !k.endsWith("/")).toList());

            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> restore(repo, byLabel(repo, g.label()), dir.resolve("x"), table.name(), "p_none"));
            assertTrue(e.getMessage().contains(p1.name()), "lists the partitions: " + e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> restore(repo, byLabel(repo, g.label()), dir.resolve("x"), "no_table"));
            assertTrue(e.getMessage().contains(table.name()), "lists the tables: " + e.getMessage());
            assertFalse(Files.exists(dir.resolve("x")));
        }
    }

    /** Stores a tree given as (path → bytes) and a Doris snapshot over it, bypassing the backup's checks. */
    private static DorisSnapshot forge(Repository repo, Map<String, byte[]> files, String label) throws IOException {
        try (BackupSession session = new BackupSession(repo, new BackupStats())) {
            BlobId root = storeDir(session, files, "");
            Snapshot s = new Snapshot();
            s.time = Instant.now().toString();
            s.tree = root.hex();
            s.engine = "doris";
            ObjectNode m = Json.MAPPER.createObjectNode();
            m.put("repository", "r").put("label", label).put("info_file", "__info_2024-01-01-00-00-00."
                    + DorisRepoGenerator.md5Hex("{}".getBytes(StandardCharsets.UTF_8)))
                    .put("meta_file", "__meta." + DorisRepoGenerator.md5Hex(new byte[4])).putArray("tables");
            s.engineMetadata = m;
            FileId id = session.commit(s);
            return DorisSnapshot.of(id, repo.loadSnapshot(id));
        }
    }

    private static BlobId storeDir(BackupSession session, Map<String, byte[]> files, String prefix) throws IOException {
        Map<String, Map<String, byte[]>> sub = new TreeMap<>();
        List<Node> nodes = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                continue;
            }
            String rest = e.getKey().substring(prefix.length());
            int slash = rest.indexOf('/');
            if (slash < 0) {
                BackupSession.Content c = session.saveContent(new ByteArrayInputStream(e.getValue()));
                nodes.add(session.withContent(Node.builder(rest, NodeKind.FILE).mode(0644).size(c.length()),
                        c.ids().join()));
            } else {
                sub.computeIfAbsent(rest.substring(0, slash), k -> new HashMap<>());
            }
        }
        for (String d : sub.keySet()) {
            nodes.add(Node.builder(d, NodeKind.DIR).mode(0755).subtree(storeDir(session, files, prefix + d + "/")).build());
        }
        return session.saveTree(Tree.of(nodes));
    }

    @Test
    void theMd5IsCheckedOnTheWayOut(@TempDir Path dir) throws IOException {
        try (Repository repo = TestRepos.memory()) {
            byte[] data = "segment".getBytes(StandardCharsets.UTF_8);
            String good = "__palo_repository_r/__ss_l/__ss_content/__db_1/__tbl_2/__part_3/__idx_4/__5/5.hdr."
                    + DorisRepoGenerator.md5Hex(data);
            String bad = "__palo_repository_r/__ss_l/__ss_content/__db_1/__tbl_2/__part_3/__idx_4/__5/x_0.dat."
                    + DorisRepoGenerator.md5Hex("other".getBytes(StandardCharsets.UTF_8));
            Map<String, byte[]> files = new TreeMap<>(Map.of("__palo_repository_r/__repo_info", "{}".getBytes(), good, data,
                    bad, data));
            DorisSnapshot s = forge(repo, files, "l");
            Path out = dir.resolve("out");
            CorruptObjectException e = assertThrows(CorruptObjectException.class, () -> restore(repo, s, out, null));
            Path badPath = out.resolve(bad);
            assertTrue(e.getMessage().contains(badPath.toString()) && e.getMessage().contains("md5"), e.getMessage());
            assertFalse(Files.exists(badPath), "a file whose md5 does not match is not left behind");
            try (var list = Files.list(badPath.getParent())) {
                assertEquals(List.of(out.resolve(good)), list.toList(), "no temporary file is left either");
            }
        }
    }
}
