package dev.arca.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code arca} java.nio provider over a snapshot of a generated tree: {@code Files.walk} sees
 * the same entries with the same types, sizes, times, permissions, link targets and bytes as the
 * source; channels seek; every change is refused.
 */
class NioProviderTest {
    static String sha256(InputStream in) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
            md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Relative path → what a program sees of it: type, permissions, mtime, size and content or link target. */
    static Map<String, String> seen(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String rel = root.relativize(p).toString();
                String common = java.nio.file.attribute.PosixFilePermissions.toString(a.permissions()) + " "
                        + a.lastModifiedTime().toInstant();
                if (a.isSymbolicLink()) {
                    out.put(rel, "link -> " + Files.readSymbolicLink(p));
                } else if (a.isDirectory()) {
                    out.put(rel, "dir " + common + " " + Files.isDirectory(p));
                } else {
                    try (InputStream in = Files.newInputStream(p)) {
                        out.put(rel, "file " + common + " " + a.size() + " " + sha256(in));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void walkAndCompareASnapshotWithItsSource(@TempDir Path work) throws Exception {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        Path src = work.resolve("src");
        TreeGen.generate(src, 9, 400, 1, 12 << 20);
        String id = EndToEndTest.lastJsonLine(cli.expect(0, "--json", "backup", src.toString()).out())
                .get("snapshot_id").asText();

        URI uri = URI.create("arca://" + cli.repo.toUri().getRawPath() + "!/");
        Map<String, Object> env = Map.of("password", cli.env.get("ARCA_PASSWORD"), "cacheDir", work.resolve("cache").toString());
        try (FileSystem fs = FileSystems.newFileSystem(uri, env)) {
            assertTrue(fs.isReadOnly());
            Path inSnapshot = fs.getPath("/snapshots", id.substring(0, 8)).resolve(src.toString().substring(1));
            assertEquals(seen(src), seen(inSnapshot), "Files.walk over the snapshot sees the source");
            Path viaLatest = fs.getPath("/latest", Hosts.hostname(), src.toString());
            assertTrue(Files.isDirectory(viaLatest));
            try (Stream<Path> l = Files.list(viaLatest); Stream<Path> local = Files.list(src)) {
                assertEquals(local.count(), l.count());
            }
            try (Stream<Path> l = Files.list(fs.getPath("/snapshots"))) {
                assertEquals(List.of("/snapshots/" + id), l.map(Path::toString).toList());
            }

            // Following links finds the cycle the tree has (a link "up" to "../..") instead of walking forever.
            List<java.nio.file.FileSystemLoopException> loops = new java.util.ArrayList<>();
            Files.walkFileTree(inSnapshot, java.util.EnumSet.of(java.nio.file.FileVisitOption.FOLLOW_LINKS), 64,
                    new java.nio.file.SimpleFileVisitor<>() {
                        @Override
                        public java.nio.file.FileVisitResult visitFileFailed(Path f, IOException e) {
                            if (e instanceof java.nio.file.FileSystemLoopException l) {
                                loops.add(l);
                            }
                            return java.nio.file.FileVisitResult.CONTINUE;
                        }
                    });
            assertEquals(1, loops.size(), "the one cycle: " + loops);

            // A URI names the same file, and a file's URI opens it again.
            Path big = inSnapshot.resolve("big-0.dat");
            Path byUri = Path.of(big.toUri());
            assertEquals(big, byUri);
            assertEquals(Files.size(src.resolve("big-0.dat")), Files.size(byUri));

            // The channel seeks: random reads match the source file.
            Random r = new Random(3);
            try (SeekableByteChannel ch = Files.newByteChannel(big);
                 RandomAccessFile local = new RandomAccessFile(src.resolve("big-0.dat").toFile(), "r")) {
                assertEquals(local.length(), ch.size());
                for (int i = 0; i < 50; i++) {
                    long pos = (long) (r.nextDouble() * local.length());
                    int len = 1 + r.nextInt(300_000);
                    ByteBuffer got = ByteBuffer.allocate(len);
                    ch.position(pos);
                    while (got.hasRemaining() && ch.read(got) > 0) {
                        // fill
                    }
                    byte[] want = new byte[(int) Math.min(len, local.length() - pos)];
                    local.seek(pos);
                    local.readFully(want);
                    assertArrayEquals(want, java.util.Arrays.copyOf(got.array(), got.position()), "at " + pos);
                }
                ch.position(local.length());
                assertEquals(-1, ch.read(ByteBuffer.allocate(1)));
            }

            BasicFileAttributes a = Files.readAttributes(big, BasicFileAttributes.class);
            assertTrue(a.isRegularFile());
            assertEquals(Files.getLastModifiedTime(src.resolve("big-0.dat")), a.lastModifiedTime());
            assertEquals(Files.getOwner(src.resolve("big-0.dat")).getName(), Files.getOwner(big).getName());
            assertEquals(Files.getAttribute(src.resolve("big-0.dat"), "posix:permissions"),
                    Files.getAttribute(big, "posix:permissions"));

            // Copying out works through the ordinary API.
            Path copied = work.resolve("copied.dat");
            Files.copy(big, copied);
            assertEquals(TreeGen.sha256(src.resolve("big-0.dat")), TreeGen.sha256(copied));

            assertThrows(NoSuchFileException.class, () -> Files.size(inSnapshot.resolve("no such file")));
            assertFalse(Files.exists(fs.getPath("/snapshots/ffffffff")));
            assertEquals(fs.getPath("/snapshots"), fs.getPath("/snapshots/../../../snapshots").normalize());

            assertThrows(ReadOnlyFileSystemException.class, () -> Files.write(big, "x".getBytes(StandardCharsets.UTF_8)));
            assertThrows(ReadOnlyFileSystemException.class, () -> Files.newByteChannel(big, StandardOpenOption.WRITE));
            assertThrows(ReadOnlyFileSystemException.class, () -> Files.delete(big));
            assertThrows(ReadOnlyFileSystemException.class, () -> Files.createDirectory(inSnapshot.resolve("new")));
            assertThrows(ReadOnlyFileSystemException.class, () -> Files.setLastModifiedTime(big,
                    java.nio.file.attribute.FileTime.fromMillis(0)));
            assertThrows(ReadOnlyFileSystemException.class, () -> Files.copy(big, inSnapshot.resolve("copy")));
        }
        // Closed, it can be opened again from a repository directory.
        try (FileSystem fs = FileSystems.newFileSystem(cli.repo, env)) {
            assertTrue(Files.isDirectory(fs.getPath("/snapshots", id)));
        }
    }
}
