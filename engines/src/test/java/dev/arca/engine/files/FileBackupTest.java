package dev.arca.engine.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arca.chunker.ChunkerParams;
import dev.arca.format.backend.MemoryBackend;
import dev.arca.format.index.MemoryBlobIndex;
import dev.arca.format.repo.Repository;
import dev.arca.format.testing.DeterministicRandom;
import dev.arca.format.testing.TestRepos;
import dev.arca.format.tree.Node;
import dev.arca.format.tree.Tree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBackupTest {
    static FileBackup.Result backup(Repository repo, Path src, dev.arca.format.id.FileId parent, BackupStats stats)
            throws IOException {
        return new FileBackup(repo, new FileBackup.Options(List.of(src), "h", "u", List.of(), Excluder.NONE, parent, false),
                stats, e -> { }).run();
    }

    static Restorer.Result restore(Repository repo, FileBackup.Result r, Path target, PathFilter filter) throws IOException {
        return new Restorer(repo, new Restorer.Options(target, filter, false), new Restorer.Progress(), e -> { })
                .restore(r.snapshot().treeId());
    }

    static Path under(Path target, Path src) {
        return target.resolve(Path.of("/").relativize(src).toString());
    }

    @Test
    void aFileWithMoreChunksThanATreeNodeHoldsUsesContentLists(@TempDir Path dir) throws IOException {
        Repository.InitOptions tiny = TestRepos.options().withChunker(new ChunkerParams(64, 128, 512));
        try (Repository repo = Repository.init(new MemoryBackend(), TestRepos.PASSWORD, tiny, id -> new MemoryBlobIndex(),
                new SecureRandom())) {
            Path src = dir.resolve("src");
            Files.createDirectories(src);
            byte[] data = DeterministicRandom.bytes(3 << 20);
            Files.write(src.resolve("many-chunks.bin"), data);
            FileBackup.Result r = backup(repo, src, null, new BackupStats());
            Node n = new SnapshotWalker(repo).resolve(r.snapshot().treeId(), src.resolve("many-chunks.bin").toString());
            assertTrue(n.contentIsIndirect(), "more than " + Tree.MAX_INLINE_CONTENT + " chunks go to content lists");
            assertTrue(repo.contentOf(n).size() > Tree.MAX_INLINE_CONTENT);
            Path target = dir.resolve("out");
            restore(repo, r, target, PathFilter.ALL);
            assertArrayEquals(data, Files.readAllBytes(under(target, src).resolve("many-chunks.bin")));
            try (var in = new ContentStream(repo, n)) {
                assertArrayEquals(data, in.readAllBytes());
            }
        }
    }

    @Test
    void unchangedFilesAreReusedAndChangedOnesRead(@TempDir Path dir) throws IOException {
        try (Repository repo = TestRepos.memory()) {
            Path src = dir.resolve("src");
            Files.createDirectories(src.resolve("sub"));
            for (int i = 0; i < 20; i++) {
                Files.write(src.resolve("sub/f" + i), DeterministicRandom.bytes(1000 + i));
            }
            FileBackup.Result first = backup(repo, src, null, new BackupStats());
            assertEquals(20, first.snapshot().summary.filesNew);
            Files.write(src.resolve("sub/f3"), "changed".getBytes());
            BackupStats stats = new BackupStats();
            FileBackup.Result second = backup(repo, src, first.snapshotId(), stats);
            assertEquals(19, second.snapshot().summary.filesUnmodified);
            assertEquals(1, second.snapshot().summary.filesChanged);
            assertEquals(1, second.snapshot().summary.dataBlobs, "only the changed file's content is new");
            assertTrue(second.snapshot().summary.dataAdded < 7 + 4096, "its 7 bytes and the changed trees");
            assertEquals(first.snapshotId().hex(), second.snapshot().parent);
            // A touch with the same content is read again but adds nothing.
            Files.setLastModifiedTime(src.resolve("sub/f4"), FileTime.fromMillis(1000));
            FileBackup.Result third = backup(repo, src, second.snapshotId(), new BackupStats());
            assertEquals(1, third.snapshot().summary.filesChanged);
            assertEquals(0, third.snapshot().summary.dataBlobs);
        }
    }

    @Test
    void hardLinksComeBackAsHardLinksAndIncludeFilters(@TempDir Path dir) throws IOException {
        try (Repository repo = TestRepos.memory()) {
            Path src = dir.resolve("src");
            Files.createDirectories(src.resolve("a"));
            Files.createDirectories(src.resolve("b/c"));
            Files.writeString(src.resolve("a/one.txt"), "one");
            Files.createLink(src.resolve("a/two.txt"), src.resolve("a/one.txt"));
            Files.writeString(src.resolve("b/c/deep.txt"), "deep");
            Files.writeString(src.resolve("b/other.log"), "log");
            FileBackup.Result r = backup(repo, src, null, new BackupStats());
            Path all = dir.resolve("all");
            restore(repo, r, all, PathFilter.ALL);
            Object ino1 = Files.getAttribute(under(all, src).resolve("a/one.txt"), "unix:ino");
            Object ino2 = Files.getAttribute(under(all, src).resolve("a/two.txt"), "unix:ino");
            assertEquals(ino1, ino2, "hard links are restored as hard links");

            Path some = dir.resolve("some");
            restore(repo, r, some, new PathFilter(List.of(src.resolve("b/c").toString())));
            assertEquals("deep", Files.readString(under(some, src).resolve("b/c/deep.txt")));
            assertFalse(Files.exists(under(some, src).resolve("b/other.log")));
            assertFalse(Files.exists(under(some, src).resolve("a")));
            Path logs = dir.resolve("logs");
            restore(repo, r, logs, new PathFilter(List.of("*.log")));
            assertTrue(Files.exists(under(logs, src).resolve("b/other.log")));
            assertFalse(Files.exists(under(logs, src).resolve("b/c/deep.txt")));
        }
    }

    @Test
    void fifosAreRecordedAndRestored(@TempDir Path dir) throws Exception {
        try (Repository repo = TestRepos.memory()) {
            Path src = dir.resolve("src");
            Files.createDirectories(src);
            Process p = new ProcessBuilder("mkfifo", src.resolve("pipe").toString()).start();
            assertEquals(0, p.waitFor());
            Files.writeString(src.resolve("file"), "x");
            FileBackup.Result r = backup(repo, src, null, new BackupStats());
            Node fifo = new SnapshotWalker(repo).resolve(r.snapshot().treeId(), src.resolve("pipe").toString());
            assertEquals(dev.arca.format.tree.NodeKind.FIFO, fifo.kind());
            List<String> errors = new ArrayList<>();
            Path out = dir.resolve("out");
            new Restorer(repo, new Restorer.Options(out, PathFilter.ALL, false), new Restorer.Progress(), errors::add)
                    .restore(r.snapshot().treeId());
            assertEquals("x", Files.readString(under(out, src).resolve("file")));
            Path pipe = under(out, src).resolve("pipe");
            int mode = (Integer) Files.getAttribute(pipe, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            assertEquals(0010000, mode & 0170000, "restored as a FIFO");
            assertEquals(Files.getLastModifiedTime(src.resolve("pipe"), LinkOption.NOFOLLOW_LINKS),
                    Files.getLastModifiedTime(pipe, LinkOption.NOFOLLOW_LINKS));
            assertEquals(Files.getAttribute(src.resolve("pipe"), "unix:mode", LinkOption.NOFOLLOW_LINKS), mode);
            assertEquals(List.of(), errors);
        }
    }

    @Test
    void severalPathsShareOneRootTree(@TempDir Path dir) throws IOException {
        try (Repository repo = TestRepos.memory()) {
            Path a = dir.resolve("x/a");
            Path b = dir.resolve("y");
            Files.createDirectories(a);
            Files.createDirectories(b);
            Files.writeString(a.resolve("f"), "fa");
            Files.writeString(b.resolve("g"), "gb");
            FileBackup.Result r = new FileBackup(repo, new FileBackup.Options(List.of(b, a, a.resolve("f")), "h", "u",
                    List.of(), Excluder.NONE, null, false), new BackupStats(), e -> { }).run();
            SnapshotWalker w = new SnapshotWalker(repo);
            assertEquals(List.of(a.toString(), a.resolve("f").toString(), b.toString()), r.snapshot().paths);
            assertTrue(w.resolve(r.snapshot().treeId(), a.resolve("f").toString()).isFile());
            assertTrue(w.resolve(r.snapshot().treeId(), b.resolve("g").toString()).isFile());
            assertNull(w.resolve(r.snapshot().treeId(), dir.resolve("x/other").toString()));
            List<String> top = new ArrayList<>();
            w.walk(r.snapshot().treeId(), "", (p, n) -> {
                top.add(p);
                return true;
            });
            assertEquals(top.stream().distinct().count(), top.size(), "each entry once");
        }
    }

    @Test
    void restoringOverAnEarlierRestoreSetsModesTimesAndContentAgain(@TempDir Path dir) throws IOException {
        try (Repository repo = TestRepos.memory()) {
            Path src = dir.resolve("src");
            Files.createDirectories(src.resolve("d"));
            Files.writeString(src.resolve("d/f.txt"), "original content");
            Files.setPosixFilePermissions(src.resolve("d/f.txt"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            Files.setLastModifiedTime(src.resolve("d/f.txt"), FileTime.fromMillis(1_500_000_000_000L));
            FileBackup.Result r = backup(repo, src, null, new BackupStats());
            Path out = dir.resolve("out");
            restore(repo, r, out, PathFilter.ALL);
            Path f = under(out, src).resolve("d/f.txt");
            Files.writeString(f, "changed after the restore, and longer than before");
            Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            Files.setPosixFilePermissions(under(out, src).resolve("d"),
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            restore(repo, r, out, PathFilter.ALL);
            assertEquals("original content", Files.readString(f));
            assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
            assertEquals(FileTime.fromMillis(1_500_000_000_000L), Files.getLastModifiedTime(f));
            assertEquals(Files.getPosixFilePermissions(src.resolve("d")), Files.getPosixFilePermissions(under(out, src).resolve("d")));
            assertEquals(Files.getLastModifiedTime(src.resolve("d")), Files.getLastModifiedTime(under(out, src).resolve("d")));
        }
    }
}
