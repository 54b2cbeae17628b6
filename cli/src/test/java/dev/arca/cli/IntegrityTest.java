package dev.arca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arca.format.backend.FileType;
import dev.arca.format.backend.Handle;
import dev.arca.format.backend.LocalBackend;
import dev.arca.format.id.BlobId;
import dev.arca.format.id.BlobType;
import dev.arca.format.io.ByteWriter;
import dev.arca.format.repo.BlobWriter;
import dev.arca.format.repo.Repository;
import dev.arca.format.snapshot.Snapshot;
import dev.arca.format.tree.NodeKind;
import dev.arca.format.tree.Tree;
import dev.arca.index.LmdbBlobIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Corruption is found and named; a malicious repository cannot write outside the target. */
class IntegrityTest {
    static List<Path> files(Path repo, String dir) throws IOException {
        try (Stream<Path> s = Files.walk(repo.resolve(dir))) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    static void flip(Path f, long at) throws IOException {
        byte[] b = Files.readAllBytes(f);
        int i = (int) Math.floorMod(at, (long) b.length);
        b[i] ^= 0x10;
        Files.write(f, b);
    }

    @Test
    void aFlippedByteInAnyPackIndexOrSnapshotIsFoundAndNamed(@TempDir Path work) throws IOException {
        Cli base = new Cli(work.resolve("base"));
        base.expect(0, "init");
        Path src = work.resolve("src");
        TreeGen.generate(src, 11, 200, 1, 6 << 20);
        base.expect(0, "backup", src.toString());
        base.expect(0, "check", "--read-data");
        Random r = new Random(5);
        List<String> kinds = List.of("data", "index", "snapshots");
        int round = 0;
        for (String kind : kinds) {
            for (Path victim : files(base.repo, kind)) {
                Path w = work.resolve("copy" + round++);
                copyTree(base.repo, w.resolve("repo"));
                Path copy = w.resolve("repo").resolve(base.repo.relativize(victim).toString());
                flip(copy, r.nextLong());
                Cli cli = new Cli(w);
                Cli.Run check = cli.run("check", "--read-data");
                assertEquals(20, check.exit(), "check must fail for a flipped byte in " + victim + "\n" + check);
                String name = copy.getFileName().toString();
                assertTrue(check.err().contains(name), "check must name " + name + ":\n" + check.err());
                if (kind.equals("snapshots")) {
                    Cli.Run latest = cli.run("ls", "latest");
                    assertEquals(20, latest.exit(), "'latest' cannot be resolved past a damaged snapshot\n" + latest);
                }
                if (kind.equals("data")) {
                    Cli.Run restore = cli.run("restore", "latest", "--target", w.resolve("out").toString());
                    assertEquals(20, restore.exit(), "restore meeting damaged data must fail with 20\n" + restore);
                    assertTrue(restore.err().contains(name), restore.err());
                }
            }
        }
        assertTrue(round >= 4, "packs, index and snapshot were all tried: " + round);
    }

    @Test
    void aPlantedHugePackIsReportedAndTheOthersAreStillChecked(@TempDir Path work) throws IOException {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        Path src = work.resolve("src");
        TreeGen.generate(src, 12, 20, 1, 3 << 20);
        cli.expect(0, "backup", src.toString());
        String name = "ab" + "c".repeat(62);
        Path planted = cli.repo.resolve("data/ab/" + name);
        Files.createDirectories(planted.getParent());
        try (var f = new java.io.RandomAccessFile(planted.toFile(), "rw")) {
            f.setLength(2500L << 20);
        }
        Cli.Run r = cli.run("check", "--read-data");
        assertEquals(20, r.exit(), r.toString());
        assertTrue(r.err().contains(name), r.err());
        assertTrue(r.out().contains("verified"), r.out());
        assertFalse(r.err().contains("OutOfMemory"), r.err());
    }

    /** Opens the test repository through the format API, to craft what a malicious repository could hold. */
    static Repository open(Cli cli) throws IOException {
        return Repository.open(new LocalBackend(cli.repo), cli.env.get("ARCA_PASSWORD").toCharArray(),
                id -> LmdbBlobIndex.open(Path.of(cli.env.get("ARCA_CACHE_DIR")).resolve(id).resolve("index")),
                new SecureRandom());
    }

    /** A tree blob with raw names, bypassing the writer's checks. */
    static byte[] craftedTree(String name, NodeKind kind, BlobId subtreeOrContent, String link) {
        ByteWriter w = new ByteWriter();
        w.u8(Tree.VERSION).uvarint(1);
        w.string(name).u8(kind.code()).uvarint(0644).uvarint(0).uvarint(0).string("").string("")
                .svarint(0).uvarint(0).svarint(0).uvarint(0).uvarint(0).uvarint(0).uvarint(1);
        switch (kind) {
            case FILE -> w.uvarint(5).u8(0).uvarint(1).id(subtreeOrContent);
            case DIR -> w.uvarint(0).id(subtreeOrContent);
            case SYMLINK -> w.uvarint(0).string(link);
            default -> throw new IllegalArgumentException();
        }
        return w.uvarint(0).toByteArray();
    }

    static String snapshotOf(Repository repo, byte[] rootTree, List<byte[]> more) throws IOException {
        try (BlobWriter w = repo.newWriter()) {
            for (byte[] t : more) {
                w.save(BlobType.TREE, t);
            }
            BlobId root = w.save(BlobType.TREE, rootTree).id();
            w.flush();
            Snapshot s = new Snapshot();
            s.time = Instant.now().toString();
            s.tree = root.hex();
            s.engine = "files";
            return repo.saveSnapshot(s).hex();
        }
    }

    @Test
    void craftedNamesCannotLeaveTheTarget(@TempDir Path work) throws IOException {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        Path outside = work.resolve("outside");
        Files.createDirectories(outside);
        List<String> snaps = new ArrayList<>();
        try (Repository repo = open(cli); BlobWriter w = repo.newWriter()) {
            BlobId content = w.save(BlobType.DATA, "pwned".getBytes()).id();
            w.flush();
            for (String evil : List.of("..", "../outside", "/" + outside.resolve("abs"), "a/../../outside/x", ".")) {
                snaps.add(snapshotOf(repo, craftedTree(evil, NodeKind.FILE, content, null), List.of()));
                byte[] inner = craftedTree("f", NodeKind.FILE, content, null);
                BlobId innerId = repo.hasher().id(inner);
                snaps.add(snapshotOf(repo, craftedTree(evil, NodeKind.DIR, innerId, null), List.of(inner)));
            }
        }
        Path target = work.resolve("target");
        for (String id : snaps) {
            Cli.Run r = cli.run("restore", id, "--target", target.toString());
            assertEquals(20, r.exit(), "a tree with a forbidden name is an integrity error\n" + r);
        }
        try (Stream<Path> s = Files.walk(work)) {
            List<String> pwned = s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> !p.startsWith(cli.repo) && !p.startsWith(work.resolve("cache")))
                    .filter(p -> {
                        try {
                            return Files.readString(p).equals("pwned");
                        } catch (IOException e) {
                            return false;
                        }
                    }).map(Path::toString).toList();
            assertEquals(List.of(), pwned, "nothing may be written anywhere");
        }
    }

    @Test
    void symlinksNeverCarryWritesOutsideTheTarget(@TempDir Path work) throws IOException {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        Path outside = work.resolve("outside");
        Files.createDirectories(outside);
        String id;
        try (Repository repo = open(cli); BlobWriter w = repo.newWriter()) {
            BlobId content = w.save(BlobType.DATA, "pwned".getBytes()).id();
            w.flush();
            // A snapshot with a directory "evil" holding a file: the target already has "evil" -> outside.
            byte[] inner = craftedTree("f", NodeKind.FILE, content, null);
            id = snapshotOf(repo, craftedTree("evil", NodeKind.DIR, repo.hasher().id(inner), null), List.of(inner));
        }
        Path target = work.resolve("target");
        Files.createDirectories(target);
        Files.createSymbolicLink(target.resolve("evil"), outside);
        Cli.Run r = cli.run("restore", id, "--target", target.toString());
        assertEquals(3, r.exit(), "the entry in the way is reported\n" + r);
        assertTrue(r.err().contains("evil"), r.err());
        assertFalse(Files.exists(outside.resolve("f")), "nothing is written through a symlink");

        // A snapshot whose symlink points outside is restored as a link, and nothing follows it.
        String id2;
        try (Repository repo = open(cli); BlobWriter w = repo.newWriter()) {
            id2 = snapshotOf(repo, craftedTree("link", NodeKind.SYMLINK, null, outside.toString()), List.of());
        }
        Path target2 = work.resolve("target2");
        cli.expect(0, "restore", id2, "--target", target2.toString());
        assertTrue(Files.isSymbolicLink(target2.resolve("link")));
        assertEquals(List.of(), Files.list(outside).toList());
    }

    @Test
    void aSymlinkAboveTheRestoredPathIsNotFollowed(@TempDir Path work) throws IOException {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        Path src = work.resolve("src");
        Files.createDirectories(src);
        Files.writeString(src.resolve("evil"), "pwned");
        cli.expect(0, "backup", src.toString());
        // The target's first level, which the snapshot passes through, is a symlink to elsewhere.
        Path target = work.resolve("target");
        Files.createDirectories(target);
        Path outside = work.resolve("outside");
        Path first = Path.of("/").relativize(work).getName(0);
        Files.createDirectories(outside.resolve(Path.of("/").relativize(src).toString()));
        Files.createSymbolicLink(target.resolve(first.toString()), outside.resolve(first.toString()));
        Files.createDirectories(outside.resolve(first.toString()));
        for (String include : List.of("evil", src.toString())) {
            Cli.Run r = cli.run("restore", "latest", "--target", target.toString(), "--include", include);
            assertEquals(3, r.exit(), r.toString());
            assertTrue(r.err().contains("not a directory is in the way"), r.err());
        }
        Cli.Run all = cli.run("restore", "latest", "--target", target.toString());
        assertEquals(3, all.exit(), all.toString());
        try (Stream<Path> s = Files.walk(outside)) {
            assertEquals(List.of(), s.filter(Files::isRegularFile).toList(), "nothing written through the symlink");
        }
    }

    @Test
    void anUnreadableFileIsListedAndTheBackupStillCompletes(@TempDir Path work) throws Exception {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        Path src = work.resolve("u");
        Files.createDirectories(src);
        Files.writeString(src.resolve("readable.txt"), "fine");
        Files.writeString(src.resolve("secret.txt"), "no");
        Files.setPosixFilePermissions(src.resolve("secret.txt"), java.util.Set.of());
        Subprocess.Result r = Subprocess.arcaWithoutPrivileges(cli, "backup", src.toString());
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.err().contains("secret.txt") && r.err().contains("permission denied"), r.err());
        String ls = cli.expect(0, "ls", "latest").out();
        assertTrue(ls.contains("readable.txt"), ls);
        assertFalse(ls.contains("secret.txt"), ls);
    }
}
