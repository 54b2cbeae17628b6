package dev.arca.format.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The contract of {@link Backend}, checked against any implementation: every storage backend's
 * test extends this class and supplies {@link #newBackend()} (the model is kopia's
 * {@code blobtesting/verify.go} and Lucene's {@code BaseDirectoryTestCase}).
 *
 * <p>Nothing here assumes a file system: a backend is observed only through its own methods, so
 * object stores can run the same suite. Implementation-specific checks belong in the subclass.
 *
 * <p>The config file type has one legal name ({@link Handle#CONFIG}); tests that need several
 * files of one type use one file for {@link FileType#CONFIG}.
 */
public abstract class BackendConformanceTest {
    /** A payload big enough to cross any buffer size a backend may use, but odd-sized. */
    protected static final int LARGE = (3 << 20) + 12_345;

    /** Threads for the concurrency tests; enough to interleave on two cores. */
    protected static final int THREADS = 6;

    protected Backend backend;

    /**
     * A new, empty backend at a location of its own. Called once per test; the suite closes it.
     */
    protected abstract Backend newBackend() throws IOException;

    @BeforeEach
    protected final void openBackend() throws IOException {
        backend = newBackend();
    }

    @AfterEach
    protected final void closeBackend() throws IOException {
        if (backend != null) {
            backend.close();
        }
    }

    // ---------------------------------------------------------------- helpers

    /** A name for a file of this type: the config's fixed name, else 64 random hex digits. */
    protected static Handle handle(FileType type, Random random) {
        if (type == FileType.CONFIG) {
            return Handle.CONFIG;
        }
        byte[] b = new byte[32];
        random.nextBytes(b);
        return new Handle(type, HexFormat.of().formatHex(b));
    }

    /** Reproducible content that differs per seed, with every byte value. */
    protected static byte[] content(long seed, int length) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A payload whose stream hands out at most {@code chunk} bytes per read call. */
    protected static Payload trickle(byte[] data, int chunk) {
        return new Payload() {
            @Override
            public long length() {
                return data.length;
            }

            @Override
            public InputStream open() {
                return new InputStream() {
                    private int pos;

                    @Override
                    public int read() {
                        return pos < data.length ? data[pos++] & 0xff : -1;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) {
                        if (len == 0) {
                            return 0;
                        }
                        if (pos >= data.length) {
                            return -1;
                        }
                        int n = Math.min(Math.min(len, chunk), data.length - pos);
                        System.arraycopy(data, pos, b, off, n);
                        pos += n;
                        return n;
                    }
                };
            }
        };
    }

    /** A payload that announces {@code announced} bytes but whose stream yields {@code data}. */
    protected static Payload lying(byte[] data, long announced) {
        return new Payload() {
            @Override
            public long length() {
                return announced;
            }

            @Override
            public InputStream open() throws IOException {
                return Payload.of(data).open();
            }
        };
    }

    /** A payload whose stream fails with an IOException after {@code failAfter} bytes. */
    protected static Payload failing(byte[] data, int failAfter) {
        return new Payload() {
            @Override
            public long length() {
                return data.length;
            }

            @Override
            public InputStream open() {
                return new InputStream() {
                    private int pos;

                    @Override
                    public int read() throws IOException {
                        if (pos >= failAfter) {
                            throw new IOException("injected read failure at byte " + pos);
                        }
                        return data[pos++] & 0xff;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        if (len == 0) {
                            return 0;
                        }
                        if (pos >= failAfter) {
                            throw new IOException("injected read failure at byte " + pos);
                        }
                        int n = Math.min(len, failAfter - pos);
                        System.arraycopy(data, pos, b, off, n);
                        pos += n;
                        return n;
                    }
                };
            }
        };
    }

    protected final void save(Handle h, byte[] data) throws IOException {
        backend.save(h, Payload.of(data));
    }

    protected final Map<Handle, Long> listed(FileType type) throws IOException {
        Map<Handle, Long> out = new HashMap<>();
        backend.list(type, info -> {
            assertEquals(type, info.handle().type(), "listing " + type + " reported " + info.handle());
            Long before = out.put(info.handle(), info.size());
            assertEquals(null, before, "listed twice: " + info.handle());
        });
        return out;
    }

    protected final byte[] readRangeStream(Handle h, long offset, long length) throws IOException {
        try (InputStream in = backend.openRange(h, offset, length)) {
            return in.readAllBytes();
        }
    }

    /** Asserts that every way of reading the file reports it missing. */
    protected final void assertMissing(Handle h) throws IOException {
        assertFalse(backend.exists(h), h + " exists");
        assertThrows(NoSuchFileException.class, () -> backend.size(h), "size of " + h);
        // A backend may find out at open or at the first read; either way the type is fixed.
        assertThrows(NoSuchFileException.class, () -> readRangeStream(h, 0, -1), "openRange of " + h);
        assertThrows(NoSuchFileException.class, () -> readRangeStream(h, 0, 1), "openRange(0, 1) of " + h);
        assertThrows(NoSuchFileException.class, () -> backend.readRange(h, 0, 1), "readRange of " + h);
        assertThrows(NoSuchFileException.class, () -> backend.readRange(h, 0, 0), "empty readRange of " + h);
        assertThrows(NoSuchFileException.class, () -> backend.readAll(h), "readAll of " + h);
        assertFalse(listed(h.type()).containsKey(h), h + " is listed");
    }

    protected final void assertStored(Handle h, byte[] expected) throws IOException {
        assertTrue(backend.exists(h), h + " does not exist");
        assertEquals(expected.length, backend.size(h), "size of " + h);
        assertArrayEquals(expected, backend.readAll(h), "content of " + h);
        assertEquals(Long.valueOf(expected.length), listed(h.type()).get(h), "listed size of " + h);
    }

    // ---------------------------------------------------------------- an empty backend

    @Test
    public void newBackendIsEmpty() throws IOException {
        assertTrue(backend.isEmpty());
        for (FileType t : FileType.values()) {
            assertEquals(Map.of(), listed(t), "listing " + t);
        }
        assertMissing(Handle.CONFIG);
        assertNotNull(backend.location());
        assertFalse(backend.location().isBlank());
    }

    // ---------------------------------------------------------------- save and read back

    @ParameterizedTest
    @EnumSource(FileType.class)
    public void savedFileReadsBack(FileType type) throws IOException {
        Handle h = handle(type, new Random(1));
        byte[] data = content(2, 1000);
        assertMissing(h);
        save(h, data);
        assertStored(h, data);
        assertFalse(backend.isEmpty(), "isEmpty after saving " + h);
        assertEquals(Map.of(h, 1000L), listed(type));
    }

    @ParameterizedTest
    @EnumSource(FileType.class)
    public void everyByteValueSurvives(FileType type) throws IOException {
        byte[] data = new byte[512];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        Handle h = handle(type, new Random(3));
        save(h, data);
        assertStored(h, data);
    }

    @ParameterizedTest
    @EnumSource(FileType.class)
    public void emptyPayload(FileType type) throws IOException {
        Handle h = handle(type, new Random(4));
        save(h, new byte[0]);
        assertStored(h, new byte[0]);
        assertArrayEquals(new byte[0], readRangeStream(h, 0, -1));
        assertArrayEquals(new byte[0], readRangeStream(h, 0, 10));
        assertArrayEquals(new byte[0], backend.readRange(h, 0, 0));
        assertThrows(EOFException.class, () -> backend.readRange(h, 0, 1));
        assertFalse(backend.isEmpty(), "an empty file is still a file");
    }

    @ParameterizedTest
    @EnumSource(FileType.class)
    public void largePayload(FileType type) throws IOException {
        Handle h = handle(type, new Random(5));
        byte[] data = content(6, LARGE);
        backend.save(h, trickle(data, 65_537));
        assertStored(h, data);
        assertArrayEquals(Arrays.copyOfRange(data, LARGE - 100_000, LARGE),
                readRangeStream(h, LARGE - 100_000, -1));
        assertArrayEquals(Arrays.copyOfRange(data, 1 << 20, (2 << 20) + 1),
                backend.readRange(h, 1 << 20, (1 << 20) + 1));
    }

    @Test
    public void payloadThatTricklesOneByteAtATime() throws IOException {
        Handle h = handle(FileType.PACK, new Random(7));
        byte[] data = content(8, 5000);
        backend.save(h, trickle(data, 1));
        assertStored(h, data);
    }

    @Test
    public void savedBytesDoNotAliasTheCallersArray() throws IOException {
        Handle h = handle(FileType.INDEX, new Random(9));
        byte[] data = content(10, 300);
        byte[] copy = data.clone();
        save(h, data);
        Arrays.fill(data, (byte) 0x55);
        assertArrayEquals(copy, backend.readAll(h));
        byte[] read = backend.readAll(h);
        Arrays.fill(read, (byte) 0x66);
        assertArrayEquals(copy, backend.readAll(h), "changing a returned array changed the stored file");
    }

    @Test
    public void payloadSliceIsStoredExactly() throws IOException {
        Handle h = handle(FileType.SNAPSHOT, new Random(11));
        byte[] data = content(12, 1000);
        backend.save(h, Payload.of(data, 100, 333));
        assertStored(h, Arrays.copyOfRange(data, 100, 433));
    }

    @Test
    public void nonHexNamesAreStoredAsGiven() throws IOException {
        List<Handle> handles = new ArrayList<>();
        for (FileType t : FileType.values()) {
            if (t != FileType.CONFIG) {
                handles.add(new Handle(t, "zz-" + t.name().toLowerCase() + ".v1_x"));
                handles.add(new Handle(t, "zz-" + t.name().toLowerCase()));
            }
        }
        for (int i = 0; i < handles.size(); i++) {
            save(handles.get(i), content(100 + i, 10 + i));
        }
        for (int i = 0; i < handles.size(); i++) {
            assertStored(handles.get(i), content(100 + i, 10 + i));
        }
    }

    // ---------------------------------------------------------------- replace

    @ParameterizedTest
    @EnumSource(FileType.class)
    public void saveOverAnExistingNameReplacesIt(FileType type) throws IOException {
        Handle h = handle(type, new Random(13));
        save(h, content(14, 2000));
        byte[] second = content(15, 700);
        save(h, second);
        assertStored(h, second);
        assertEquals(1, listed(type).size());
        save(h, second);
        assertStored(h, second);
        assertEquals(1, listed(type).size());
    }

    // ---------------------------------------------------------------- failed saves

    @ParameterizedTest
    @EnumSource(FileType.class)
    public void payloadShorterThanAnnouncedFails(FileType type) throws IOException {
        Handle h = handle(type, new Random(16));
        byte[] data = content(17, 4000);
        assertThrows(IOException.class, () -> backend.save(h, lying(data, data.length + 1L)));
        assertMissing(h);
        assertThrows(IOException.class, () -> backend.save(h, lying(new byte[0], 1)));
        assertMissing(h);
        for (FileType t : FileType.values()) {
            assertEquals(Map.of(), listed(t), "after failed saves, listing " + t);
        }
    }

    @Test
    public void largePayloadShorterThanAnnouncedFails() throws IOException {
        Handle h = handle(FileType.PACK, new Random(18));
        byte[] data = content(19, LARGE);
        assertThrows(IOException.class, () -> backend.save(h, lying(data, LARGE + 4096L)));
        assertMissing(h);
    }

    @ParameterizedTest
    @EnumSource(FileType.class)
    public void payloadStreamThatFailsMidwayFails(FileType type) throws IOException {
        Handle h = handle(type, new Random(20));
        byte[] data = content(21, 200_000);
        assertThrows(IOException.class, () -> backend.save(h, failing(data, 100_000)));
        assertMissing(h);
    }

    @Test
    public void payloadThatCannotBeOpenedFails() throws IOException {
        Handle h = handle(FileType.KEY, new Random(22));
        Payload broken = new Payload() {
            @Override
            public long length() {
                return 10;
            }

            @Override
            public InputStream open() throws IOException {
                throw new IOException("injected open failure");
            }
        };
        assertThrows(IOException.class, () -> backend.save(h, broken));
        assertMissing(h);
    }

    @ParameterizedTest
    @EnumSource(FileType.class)
    public void failedSaveOverAnExistingFileKeepsTheOldOne(FileType type) throws IOException {
        Handle h = handle(type, new Random(23));
        byte[] old = content(24, 5000);
        save(h, old);
        assertThrows(IOException.class, () -> backend.save(h, lying(content(25, 3000), 3001)));
        assertStored(h, old);
        assertThrows(IOException.class, () -> backend.save(h, failing(content(26, 9000), 4000)));
        assertStored(h, old);
    }

    // ---------------------------------------------------------------- missing files and delete

    @ParameterizedTest
    @EnumSource(FileType.class)
    public void missingFileAmongOthers(FileType type) throws IOException {
        Random r = new Random(27);
        for (FileType t : FileType.values()) {
            save(handle(t, r), content(28, 10));
        }
        Handle missing = type == FileType.CONFIG ? Handle.CONFIG : handle(type, r);
        if (type == FileType.CONFIG) {
            backend.delete(Handle.CONFIG);
        }
        assertMissing(missing);
    }

    @Test
    public void missingPackBesideOneWithTheSamePrefix() throws IOException {
        Handle present = new Handle(FileType.PACK, "ab" + "0".repeat(62));
        Handle missing = new Handle(FileType.PACK, "ab" + "1".repeat(62));
        save(present, content(29, 10));
        assertMissing(missing);
        assertStored(present, content(29, 10));
    }

    @ParameterizedTest
    @EnumSource(FileType.class)
    public void deleteRemovesOnlyThatFile(FileType type) throws IOException {
        Random r = new Random(30);
        Map<Handle, byte[]> others = new HashMap<>();
        for (FileType t : FileType.values()) {
            if (t != type) {
                Handle o = handle(t, r);
                others.put(o, content(31 + t.ordinal(), 50));
                save(o, others.get(o));
            }
        }
        Handle h = handle(type, r);
        Handle sibling = type == FileType.CONFIG ? null : handle(type, r);
        save(h, content(40, 60));
        if (sibling != null) {
            save(sibling, content(41, 70));
        }
        backend.delete(h);
        assertMissing(h);
        if (sibling != null) {
            assertStored(sibling, content(41, 70));
        }
        for (Map.Entry<Handle, byte[]> e : others.entrySet()) {
            assertStored(e.getKey(), e.getValue());
        }
    }

    @ParameterizedTest
    @EnumSource(FileType.class)
    public void deletingAMissingFileIsNotAnError(FileType type) throws IOException {
        Handle h = handle(type, new Random(42));
        backend.delete(h);
        save(h, content(43, 10));
        backend.delete(h);
        backend.delete(h);
        assertMissing(h);
    }

    @ParameterizedTest
    @EnumSource(FileType.class)
    public void aDeletedNameCanBeSavedAgain(FileType type) throws IOException {
        Handle h = handle(type, new Random(44));
        save(h, content(45, 100));
        backend.delete(h);
        save(h, content(46, 200));
        assertStored(h, content(46, 200));
    }

    // ---------------------------------------------------------------- ranges

    @ParameterizedTest
    @EnumSource(FileType.class)
    public void ranges(FileType type) throws IOException {
        Handle h = handle(type, new Random(47));
        int n = 10_000;
        byte[] data = content(48, n);
        save(h, data);
        long[][] cases = {
                {0, -1}, {0, n}, {0, 0}, {0, 1}, {1, 1}, {n - 1, 1}, {n - 1, -1}, {123, 4567}, {5000, -1},
                {5000, -7}, {n, -1}, {n, 0}, {n, 10}, {n + 1, 5}, {n + 1000, -1}, {n - 10, 100}, {0, n + 1},
                {17, n},
        };
        for (long[] c : cases) {
            long off = c[0];
            long len = c[1];
            int from = (int) Math.min(off, n);
            int to = len < 0 ? n : (int) Math.min(n, off + len);
            byte[] expected = Arrays.copyOfRange(data, from, Math.max(from, to));
            assertArrayEquals(expected, readRangeStream(h, off, len), "openRange(" + off + ", " + len + ")");
        }
    }

    @Test
    public void rangeWithHugeLengthReadsToTheEnd() throws IOException {
        Handle h = handle(FileType.PACK, new Random(49));
        byte[] data = content(50, 1000);
        save(h, data);
        assertArrayEquals(Arrays.copyOfRange(data, 10, 1000), readRangeStream(h, 10, Long.MAX_VALUE));
        assertArrayEquals(data, readRangeStream(h, 0, Long.MAX_VALUE));
    }

    @Test
    public void rangeStreamStopsAtItsLengthByteByByte() throws IOException {
        Handle h = handle(FileType.PACK, new Random(51));
        byte[] data = content(52, 1000);
        save(h, data);
        try (InputStream in = backend.openRange(h, 100, 5)) {
            for (int i = 0; i < 5; i++) {
                assertEquals(data[100 + i] & 0xff, in.read(), "byte " + i);
            }
            assertEquals(-1, in.read());
            assertEquals(-1, in.read(new byte[10], 0, 10));
        }
        try (InputStream in = backend.openRange(h, 200, 50)) {
            byte[] buf = new byte[7];
            assertEquals(7, in.readNBytes(buf, 0, 7));
            assertArrayEquals(Arrays.copyOfRange(data, 200, 207), buf);
            assertEquals(43, in.readAllBytes().length);
        }
    }

    @Test
    public void rangeStreamSkipsWithinTheRange() throws IOException {
        Handle h = handle(FileType.PACK, new Random(53));
        byte[] data = content(54, 1000);
        save(h, data);
        try (InputStream in = backend.openRange(h, 100, 50)) {
            in.skipNBytes(20);
            assertArrayEquals(Arrays.copyOfRange(data, 120, 150), in.readAllBytes());
        }
        try (InputStream in = backend.openRange(h, 100, 50)) {
            long skipped = 0;
            for (int i = 0; i < 100 && skipped < 80; i++) {
                long s = in.skip(80 - skipped);
                if (s <= 0) {
                    break;
                }
                skipped += s;
            }
            assertTrue(skipped <= 50, "skipped " + skipped + " bytes of a 50-byte range");
            assertEquals(-1, in.read(), "a range must end after its length, even after skipping past it");
        }
    }

    @ParameterizedTest
    @EnumSource(FileType.class)
    public void readRange(FileType type) throws IOException {
        Handle h = handle(type, new Random(55));
        byte[] data = content(56, 4096);
        save(h, data);
        assertArrayEquals(Arrays.copyOfRange(data, 0, 4096), backend.readRange(h, 0, 4096));
        assertArrayEquals(Arrays.copyOfRange(data, 4000, 4096), backend.readRange(h, 4000, 96));
        assertArrayEquals(Arrays.copyOfRange(data, 1, 2), backend.readRange(h, 1, 1));
        assertArrayEquals(new byte[0], backend.readRange(h, 4096, 0));
        assertThrows(EOFException.class, () -> backend.readRange(h, 4000, 97));
        assertThrows(EOFException.class, () -> backend.readRange(h, 0, 4097));
        assertThrows(EOFException.class, () -> backend.readRange(h, 4096, 1));
        assertThrows(EOFException.class, () -> backend.readRange(h, 10_000, 1));
    }

    @Test
    public void openRangeStreamsCanBeReadInterleaved() throws IOException {
        Handle h = handle(FileType.PACK, new Random(57));
        byte[] data = content(58, 3000);
        save(h, data);
        try (InputStream a = backend.openRange(h, 0, 1000); InputStream b = backend.openRange(h, 2000, -1)) {
            byte[] ra = new byte[1000];
            byte[] rb = new byte[1000];
            for (int i = 0; i < 1000; i += 100) {
                assertEquals(100, a.readNBytes(ra, i, 100));
                assertEquals(100, b.readNBytes(rb, i, 100));
            }
            assertArrayEquals(Arrays.copyOfRange(data, 0, 1000), ra);
            assertArrayEquals(Arrays.copyOfRange(data, 2000, 3000), rb);
        }
    }

    // ---------------------------------------------------------------- listing

    @Test
    public void listReportsEachFileOfItsTypeOnce() throws IOException {
        Random r = new Random(59);
        Map<FileType, Map<Handle, Long>> expected = new EnumMap<>(FileType.class);
        for (FileType t : FileType.values()) {
            expected.put(t, new HashMap<>());
            int count = t == FileType.CONFIG ? 1 : 25;
            for (int i = 0; i < count; i++) {
                Handle h = handle(t, r);
                int size = r.nextInt(300);
                save(h, content(r.nextLong(), size));
                expected.get(t).put(h, (long) size);
            }
        }
        for (FileType t : FileType.values()) {
            assertEquals(expected.get(t), listed(t), "listing " + t);
        }
    }

    @Test
    public void packsWithSharedAndDistinctPrefixesAreAllListed() throws IOException {
        Map<Handle, Long> expected = new HashMap<>();
        String[] names = {"ab" + "0".repeat(62), "ab" + "f".repeat(62), "abc", "ab", "cd" + "1".repeat(62),
                "00" + "2".repeat(62), "ff" + "3".repeat(62)};
        for (int i = 0; i < names.length; i++) {
            Handle h = new Handle(FileType.PACK, names[i]);
            save(h, content(60 + i, i + 1));
            expected.put(h, (long) i + 1);
        }
        assertEquals(expected, listed(FileType.PACK));
        for (int i = 0; i < names.length; i++) {
            assertStored(new Handle(FileType.PACK, names[i]), content(60 + i, i + 1));
        }
    }

    @Test
    public void theSameNameUnderDifferentTypesIsDifferentFiles() throws IOException {
        String name = "ab" + "9".repeat(62);
        Map<FileType, byte[]> data = new EnumMap<>(FileType.class);
        for (FileType t : FileType.values()) {
            if (t != FileType.CONFIG) {
                data.put(t, content(70 + t.ordinal(), 10 + t.ordinal()));
                save(new Handle(t, name), data.get(t));
            }
        }
        backend.delete(new Handle(FileType.INDEX, name));
        for (Map.Entry<FileType, byte[]> e : data.entrySet()) {
            Handle h = new Handle(e.getKey(), name);
            if (e.getKey() == FileType.INDEX) {
                assertMissing(h);
            } else {
                assertStored(h, e.getValue());
                assertEquals(Set.of(h), listed(e.getKey()).keySet());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(FileType.class)
    public void isEmptyIsFalseWhileAnyFileIsStored(FileType type) throws IOException {
        assertTrue(backend.isEmpty());
        save(handle(type, new Random(80)), new byte[] {1});
        assertFalse(backend.isEmpty());
    }

    // ---------------------------------------------------------------- concurrency

    @Test
    public void concurrentSavesOfDifferentNames() throws Exception {
        int perThread = 30;
        Map<Handle, byte[]> all = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                long seed = 1000 + t;
                futures.add(pool.submit(() -> {
                    Random r = new Random(seed);
                    for (int i = 0; i < perThread; i++) {
                        FileType type = FileType.values()[1 + r.nextInt(FileType.values().length - 1)];
                        Handle h = handle(type, r);
                        byte[] data = content(r.nextLong(), r.nextInt(i % 10 == 0 ? 300_000 : 3000));
                        backend.save(h, Payload.of(data));
                        all.put(h, data);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(THREADS * perThread, all.size());
        Map<Handle, Long> listedAll = new HashMap<>();
        for (FileType t : FileType.values()) {
            listedAll.putAll(listed(t));
        }
        Map<Handle, Long> expected = new HashMap<>();
        all.forEach((h, d) -> expected.put(h, (long) d.length));
        assertEquals(expected, listedAll);
        for (Map.Entry<Handle, byte[]> e : all.entrySet()) {
            assertArrayEquals(e.getValue(), backend.readAll(e.getKey()), "content of " + e.getKey());
        }
    }

    @Test
    public void concurrentSavesOfTheSameName() throws Exception {
        Handle h = handle(FileType.PACK, new Random(81));
        byte[] data = content(82, 200_000);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 5; i++) {
                        backend.save(h, Payload.of(data));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertStored(h, data);
        assertEquals(Map.of(h, (long) data.length), listed(FileType.PACK));
    }

    /**
     * While files are being saved, every listing reports only complete files (their final size,
     * their final content), never a temporary one, each once; when the saves are done every
     * file is listed.
     */
    @Test
    public void listingWhileSaving() throws Exception {
        int files = 120;
        List<Handle> handles = new ArrayList<>();
        Map<Handle, byte[]> data = new HashMap<>();
        Random r = new Random(83);
        for (int i = 0; i < files; i++) {
            FileType type = i % 2 == 0 ? FileType.PACK : FileType.INDEX;
            Handle h = handle(type, r);
            handles.add(h);
            data.put(h, content(r.nextLong(), 1 + r.nextInt(i % 8 == 0 ? 400_000 : 20_000)));
        }
        Set<Handle> saved = ConcurrentHashMap.newKeySet();
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> savers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int first = t;
                savers.add(pool.submit(() -> {
                    for (int i = first; i < files; i += 2) {
                        Handle h = handles.get(i);
                        backend.save(h, trickle(data.get(h), 8192));
                        saved.add(h);
                    }
                    return null;
                }));
            }
            int listings = 0;
            while (!done.get()) {
                done.set(savers.stream().allMatch(Future::isDone));
                Set<Handle> before = new HashSet<>(saved);
                Map<Handle, Long> now = new HashMap<>();
                for (FileType t : List.of(FileType.PACK, FileType.INDEX)) {
                    now.putAll(listed(t));
                }
                assertTrue(now.keySet().containsAll(before), "a file saved before the listing began is not listed");
                for (Map.Entry<Handle, Long> e : now.entrySet()) {
                    byte[] expected = data.get(e.getKey());
                    if (expected == null) {
                        fail("listed a file nobody saved: " + e.getKey());
                    }
                    assertEquals(expected.length, e.getValue().longValue(), "listed size of " + e.getKey());
                }
                if (listings++ % 10 == 0 && !now.isEmpty()) {
                    Handle any = now.keySet().iterator().next();
                    assertArrayEquals(data.get(any), backend.readAll(any), "a listed file is not complete");
                }
            }
            for (Future<?> f : savers) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        Map<Handle, Long> expected = new HashMap<>();
        data.forEach((h, d) -> expected.put(h, (long) d.length));
        Map<Handle, Long> now = new HashMap<>(listed(FileType.PACK));
        now.putAll(listed(FileType.INDEX));
        assertEquals(expected, now);
    }

    /** Readers of a file being replaced see one whole version or the other, never a mix. */
    @Test
    public void readersDuringReplaceSeeAWholeVersion() throws Exception {
        Handle h = handle(FileType.INDEX, new Random(84));
        byte[] a = content(85, 100_000);
        byte[] b = content(86, 150_000);
        save(h, a);
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<?> writer = pool.submit(() -> {
                try {
                    for (int n = 0; n < 60; n++) {
                        backend.save(h, Payload.of(n % 2 == 0 ? b : a));
                    }
                } finally {
                    stop.set(true);
                }
                return null;
            });
            List<Future<Integer>> readers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                readers.add(pool.submit(() -> {
                    int reads = 0;
                    do {
                        byte[] got = backend.readAll(h);
                        if (!Arrays.equals(got, a) && !Arrays.equals(got, b)) {
                            fail("read " + got.length + " bytes that are neither version");
                        }
                        reads++;
                    } while (!stop.get());
                    return reads;
                }));
            }
            writer.get(60, TimeUnit.SECONDS);
            for (Future<Integer> f : readers) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertStored(h, a);
    }

    // ---------------------------------------------------------------- saveFile and staging

    /** A local file to store: in the backend's staging directory when it has one, else a temp file. */
    private java.nio.file.Path localFile(byte[] content) throws IOException {
        java.nio.file.Path dir = backend.stagingDirectory();
        java.nio.file.Path f = dir != null
                ? java.nio.file.Files.createTempFile(dir, "conformance-", ".tmp")
                : java.nio.file.Files.createTempFile("arca-conformance-", ".tmp");
        java.nio.file.Files.write(f, content);
        return f;
    }

    @Test
    public void saveFileStoresTheContentAndRemovesTheLocalFile() throws IOException {
        Random r = new Random(41);
        byte[] content = new byte[LARGE];
        r.nextBytes(content);
        Handle h = handle(FileType.PACK, r);
        java.nio.file.Path f = localFile(content);
        backend.saveFile(h, f);
        assertFalse(java.nio.file.Files.exists(f), "the local file is consumed");
        assertArrayEquals(content, backend.readAll(h));
        assertEquals(content.length, backend.size(h));
        List<Handle> listed = new ArrayList<>();
        backend.list(FileType.PACK, fi -> listed.add(fi.handle()));
        assertEquals(List.of(h), listed, "a staged file is listed once it is saved, and never before");
    }

    @Test
    public void stagedFilesAreNotListed() throws IOException {
        java.nio.file.Path dir = backend.stagingDirectory();
        if (dir == null) {
            return;
        }
        java.nio.file.Files.write(dir.resolve("pack-0123456789ab.tmp"), new byte[100]);
        for (FileType t : FileType.values()) {
            List<Handle> listed = new ArrayList<>();
            backend.list(t, fi -> listed.add(fi.handle()));
            assertEquals(List.of(), listed, t.toString());
        }
    }
}
