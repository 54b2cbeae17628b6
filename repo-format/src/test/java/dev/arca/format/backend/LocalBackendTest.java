package dev.arca.format.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The conformance suite on a directory, plus what only a file system can show. */
class LocalBackendTest extends BackendConformanceTest {
    @TempDir
    Path tmp;

    private Path root;

    @Override
    protected Backend newBackend() {
        // A root that does not exist yet: the backend must create what it needs.
        root = tmp.resolve("repo");
        return new LocalBackend(root);
    }

    /** Where spec §2 puts the file, spelled out independently of {@link Handle#path()}. */
    private Path expectedPath(Handle h) {
        String n = h.name();
        return switch (h.type()) {
            case CONFIG -> root.resolve("config");
            case KEY -> root.resolve("keys").resolve(n);
            case PACK -> root.resolve("data").resolve(n.substring(0, 2)).resolve(n);
            case INDEX -> root.resolve("index").resolve(n);
            case SNAPSHOT -> root.resolve("snapshots").resolve(n);
            case LOCK -> root.resolve("locks").resolve(n);
            case MARK -> root.resolve("marks").resolve(n);
        };
    }

    private List<Path> tmpFiles() throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).collect(Collectors.toList());
        }
    }

    @ParameterizedTest
    @EnumSource(FileType.class)
    void filesLandWhereTheSpecSays(FileType type) throws IOException {
        Handle h = handle(type, new Random(200));
        byte[] data = content(201, 777);
        save(h, data);
        Path p = expectedPath(h);
        assertTrue(Files.isRegularFile(p), p + " is not a file");
        assertArrayEquals(data, Files.readAllBytes(p));
        try (Stream<Path> s = Files.walk(root)) {
            assertEquals(List.of(p), s.filter(Files::isRegularFile).collect(Collectors.toList()));
        }
    }

    @Test
    void packsLandUnderTheirFirstTwoCharacters() throws IOException {
        Handle h = new Handle(FileType.PACK, "ab12" + "0".repeat(60));
        save(h, new byte[] {7});
        assertTrue(Files.isRegularFile(root.resolve("data/ab/ab12" + "0".repeat(60))));
    }

    @Test
    void noTemporaryFileRemainsAfterASuccessfulSave() throws IOException {
        Random r = new Random(202);
        for (FileType t : FileType.values()) {
            save(handle(t, r), content(203, 5000));
        }
        backend.save(handle(FileType.PACK, r), trickle(content(204, LARGE), 100_000));
        assertEquals(List.of(), tmpFiles());
    }

    @ParameterizedTest
    @EnumSource(FileType.class)
    void noTemporaryFileRemainsAfterAFailedSave(FileType type) throws IOException {
        Random r = new Random(205);
        byte[] data = content(206, 100_000);
        assertThrows(IOException.class, () -> backend.save(handle(type, r), lying(data, data.length + 1L)));
        assertThrows(IOException.class, () -> backend.save(handle(type, r), failing(data, 50_000)));
        assertThrows(IOException.class, () -> backend.save(handle(type, r), new Payload() {
            @Override
            public long length() {
                return 1;
            }

            @Override
            public InputStream open() throws IOException {
                throw new IOException("injected");
            }
        }));
        assertEquals(List.of(), tmpFiles());
        try (Stream<Path> s = Files.walk(root)) {
            assertEquals(List.of(), s.filter(Files::isRegularFile).collect(Collectors.toList()));
        }
    }

    @Test
    void strayTemporaryFilesAndDirectoriesAreNotListed() throws IOException {
        Random r = new Random(207);
        Handle pack = new Handle(FileType.PACK, "ab" + "1".repeat(62));
        Handle index = handle(FileType.INDEX, r);
        Handle key = handle(FileType.KEY, r);
        Handle snapshot = handle(FileType.SNAPSHOT, r);
        Handle lock = handle(FileType.LOCK, r);
        for (Handle h : List.of(pack, index, key, snapshot, lock, Handle.CONFIG)) {
            save(h, content(208, 40));
        }
        // Temporary files as a crashed writer leaves them.
        Files.write(root.resolve("data/ab/ab" + "2".repeat(62) + ".0123456789abcdef.tmp"), new byte[10]);
        Files.write(root.resolve("index/" + "3".repeat(64) + ".tmp"), new byte[10]);
        Files.write(root.resolve("keys/" + "4".repeat(64) + ".1.tmp"), new byte[10]);
        Files.write(root.resolve("snapshots/x.tmp"), new byte[10]);
        Files.write(root.resolve("locks/" + "5".repeat(64) + ".tmp"), new byte[10]);
        Files.write(root.resolve("config.0123.tmp"), new byte[10]);
        // Directories where files are expected, and files where directories are expected.
        Files.createDirectories(root.resolve("index/" + "6".repeat(64)).resolve("inner"));
        Files.write(root.resolve("index/" + "6".repeat(64)).resolve("inner/file"), new byte[3]);
        Files.createDirectories(root.resolve("keys/" + "7".repeat(64)));
        Files.createDirectories(root.resolve("snapshots/sub"));
        Files.write(root.resolve("snapshots/sub/" + "8".repeat(64)), new byte[3]);
        Files.createDirectories(root.resolve("data/ab/ab" + "9".repeat(62)));
        Files.createDirectories(root.resolve("data/abc"));
        Files.write(root.resolve("data/abc/abc" + "0".repeat(61)), new byte[3]);
        Files.write(root.resolve("data/" + "cd".repeat(32)), new byte[3]);
        Files.createDirectories(root.resolve("data/ef"));
        Files.write(root.resolve("data/ef/" + "01".repeat(32)), new byte[3]);
        Files.createDirectories(root.resolve("locks/dir"));

        assertEquals(Map.of(pack, 40L), listed(FileType.PACK));
        assertEquals(Map.of(index, 40L), listed(FileType.INDEX));
        assertEquals(Map.of(key, 40L), listed(FileType.KEY));
        assertEquals(Map.of(snapshot, 40L), listed(FileType.SNAPSHOT));
        assertEquals(Map.of(lock, 40L), listed(FileType.LOCK));
        assertEquals(Map.of(Handle.CONFIG, 40L), listed(FileType.CONFIG));
    }

    @Test
    void aDirectoryWhereTheConfigShouldBeIsNotAConfig() throws IOException {
        Files.createDirectories(root.resolve("config"));
        assertEquals(Map.of(), listed(FileType.CONFIG));
        assertFalse(backend.exists(Handle.CONFIG));
        assertThrows(NoSuchFileException.class, () -> backend.size(Handle.CONFIG));
    }

    @ParameterizedTest
    @EnumSource(FileType.class)
    void aDirectoryAtAFilesPathIsNotAFile(FileType type) throws IOException {
        Handle h = handle(type, new Random(209));
        Files.createDirectories(expectedPath(h));
        assertFalse(backend.exists(h));
        assertThrows(NoSuchFileException.class, () -> backend.size(h));
        assertEquals(Map.of(), listed(type));
    }

    /**
     * A directory at a file's path, or a file where one of its parent directories should be, is
     * a missing file: {@code size} says so for the first, and every read must say the same
     * ({@link NoSuchFileException}), not fail with a bare IOException ("Is a directory", "Not a
     * directory") that callers such as {@code Repository.loadBlob} take for an I/O error
     * instead of a missing object.
     */
    @ParameterizedTest
    @EnumSource(FileType.class)
    void aDirectoryAtAFilesPathOrAFileAtItsParentReadsAsMissing(FileType type) throws IOException {
        Handle h = handle(type, new Random(209));
        Files.createDirectories(expectedPath(h));
        assertMissing(h);
        if (type != FileType.CONFIG) {
            Files.delete(expectedPath(h));
            Path parent = expectedPath(h).getParent();
            Files.delete(parent);
            Files.write(parent, new byte[1]);
            assertMissing(h);
        }
    }

    @Test
    void anEmptyExistingDirectoryIsEmpty() throws IOException {
        Files.createDirectories(root);
        assertTrue(backend.isEmpty());
        Files.write(root.resolve("unrelated.txt"), new byte[1]);
        assertFalse(backend.isEmpty(), "a directory holding any file is not a place for a new repository");
    }

    @Test
    void aMissingRootIsEmptyAndListsNothing() throws IOException {
        assertFalse(Files.exists(root));
        assertTrue(backend.isEmpty());
        for (FileType t : FileType.values()) {
            assertEquals(Map.of(), listed(t));
        }
        backend.delete(handle(FileType.PACK, new Random(210)));
        assertFalse(Files.exists(root), "delete of a missing file created the root");
    }

    /**
     * Replacing a file renames a new one over it: a reader that opened the old file keeps
     * reading the old bytes whole, and never sees the new file half-written.
     */
    @Test
    void aReplacedFileStaysWholeForReadersThatOpenedIt() throws IOException {
        Handle h = handle(FileType.PACK, new Random(211));
        byte[] old = content(212, 300_000);
        byte[] replacement = content(213, 200_000);
        save(h, old);
        try (InputStream in = backend.openRange(h, 0, -1)) {
            byte[] head = in.readNBytes(1000);
            save(h, replacement);
            byte[] rest = in.readAllBytes();
            byte[] got = new byte[head.length + rest.length];
            System.arraycopy(head, 0, got, 0, head.length);
            System.arraycopy(rest, 0, got, head.length, rest.length);
            assertArrayEquals(old, got);
        }
        assertStored(h, replacement);
        assertEquals(List.of(), tmpFiles());
    }

    @Test
    void aSaveThatCannotCreateItsDirectoryFailsAndLeavesNothing() throws IOException {
        Files.createDirectories(root);
        Files.write(root.resolve("index"), new byte[1]);
        Handle h = handle(FileType.INDEX, new Random(214));
        assertThrows(IOException.class, () -> save(h, new byte[10]));
        assertEquals(Map.of(), listed(FileType.INDEX));
        assertEquals(List.of(), tmpFiles());
    }

    @Test
    void locationIsTheRoot() {
        assertEquals(root.toAbsolutePath().normalize().toString(), backend.location());
    }
}
