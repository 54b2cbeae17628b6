package dev.arca.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arca.format.WrongPasswordException;
import dev.arca.format.backend.Backend;
import dev.arca.format.backend.FileType;
import dev.arca.format.backend.MemoryBackend;
import dev.arca.format.crypto.KdfParams;
import dev.arca.format.id.BlobId;
import dev.arca.format.id.BlobType;
import dev.arca.format.id.FileId;
import dev.arca.format.index.MemoryBlobIndex;
import dev.arca.format.repo.BlobWriter;
import dev.arca.format.repo.Repository;
import dev.arca.fuzz.support.FdpGen;
import dev.arca.fuzz.support.FixedRandom;
import dev.arca.fuzz.support.Gen;
import dev.arca.fuzz.support.RandomGen;
import dev.arca.fuzz.support.Reseal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * A whole repository in memory: blobs saved through a BlobWriter come back byte for byte, from the
 * same session and after reopening with the password; duplicates are stored once.
 */
class RepositoryFuzzTest {
    private static final Repository.InitOptions OPTIONS = Repository.InitOptions.defaults("h", "u")
            .withKdf(new KdfParams(1, 8, 1)).withPackSize(1 << 20);

    /** Half of the fuzzed runs store blobs uncompressed, so both payload kinds are covered. */
    @FuzzTest(maxDuration = "2m")
    void roundTrip(FuzzedDataProvider data) {
        check(new FdpGen(data), 8);
    }

    @Test
    void roundTripOnSeededRandomBlobs() {
        for (long seed = 0; seed < 10; seed++) {
            check(new RandomGen(seed), 40);
        }
    }

    static void check(Gen g, int maxBlobs) {
        try {
            run(g, maxBlobs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(Gen g, int maxBlobs) throws IOException {
        Reseal.allow();
        MemoryBackend backend = new MemoryBackend();
        char[] password = ("pw " + g.text(6)).toCharArray();
        Map<BlobId, byte[]> saved = new LinkedHashMap<>();
        List<byte[]> written = new ArrayList<>();
        try (Repository repo = Repository.init(backend, password, OPTIONS, id -> new MemoryBlobIndex(),
                new FixedRandom(g.longIn(0, Long.MAX_VALUE)))) {
            if (g instanceof FdpGen && g.bool()) {
                repo.setCompressionLevel(0);
            }
            try (BlobWriter w = repo.newWriter()) {
                int n = g.intIn(1, maxBlobs);
                for (int i = 0; i < n; i++) {
                    byte[] data = !written.isEmpty() && g.intIn(0, 4) == 0
                            ? written.get(g.intIn(0, written.size() - 1)).clone()
                            : blob(g);
                    BlobType type = g.intIn(0, 3) == 0 ? BlobType.TREE : BlobType.DATA;
                    BlobWriter.Saved s = w.save(type, data);
                    assertEquals(repo.hasher().id(data), s.id());
                    boolean duplicate = saved.containsKey(s.id());
                    assertEquals(!duplicate, s.added(), duplicate ? "a duplicate was stored again" : "a new blob was not stored");
                    if (s.added()) {
                        assertTrue(s.storedLength() > 0);
                    }
                    saved.putIfAbsent(s.id(), data);
                    written.add(data);
                    if (g.intIn(0, 7) == 0) {
                        w.flush();
                    }
                }
                w.flush();
                assertEquals(saved.size(), w.blobsAdded());
            }
            for (Map.Entry<BlobId, byte[]> e : saved.entrySet()) {
                assertArrayEquals(e.getValue(), repo.loadBlob(e.getKey()));
            }
            // A later session finds everything already stored.
            try (BlobWriter w = repo.newWriter()) {
                for (byte[] data : saved.values()) {
                    assertFalse(w.save(BlobType.DATA, data).added(), "a blob stored by an earlier session was stored again");
                }
                w.flush();
                assertEquals(0, w.blobsAdded());
            }
        }
        // Every stored file is named by the SHA-256 of its bytes.
        for (FileType type : new FileType[] {FileType.PACK, FileType.INDEX, FileType.KEY}) {
            List<Backend.FileInfo> files = new ArrayList<>();
            backend.list(type, files::add);
            assertFalse(files.isEmpty(), "no " + type + " files");
            for (Backend.FileInfo f : files) {
                assertEquals(f.handle().name(), FileId.of(backend.readAll(f.handle())).hex());
            }
        }
        // Reopened with the password and an empty local index, which is rebuilt from the index files.
        try (Repository again = Repository.open(backend, password, id -> new MemoryBlobIndex(), new FixedRandom(1))) {
            assertEquals(saved.size(), again.index().blobCount());
            for (Map.Entry<BlobId, byte[]> e : saved.entrySet()) {
                assertArrayEquals(e.getValue(), again.loadBlob(e.getKey()));
            }
        }
        char[] wrong = (new String(password) + "!").toCharArray();
        assertThrows(WrongPasswordException.class,
                () -> Repository.open(backend, wrong, id -> new MemoryBlobIndex(), new FixedRandom(2)));
    }

    /**
     * Found by fuzzing {@link #roundTrip} (RSS grew to 6 GB in two minutes with a 3 GB heap):
     * BlobWriter makes a zstd-jni ZstdCompressCtx per writer and thread (a ThreadLocal) and never
     * closes it; zstd-jni frees native contexts only in close() (no cleaner or finalizer), so each
     * writer that compressed a blob leaks about 0.55 MB of native memory, which no GC reclaims. A
     * process that opens many writers (a server, a test suite, a fuzzer) grows without bound.
     */
    @Test
    @EnabledOnOs(OS.LINUX)
    void blobWriterReleasesItsNativeZstdContexts() throws Exception {
        byte[] data = new byte[200_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i % 37);
        }
        for (int i = 0; i < 100; i++) {
            writeOnce(data, i, 3); // warm up: heap and malloc arenas reach their working size
        }
        System.gc();
        long before = rssKib();
        for (int i = 0; i < 1000; i++) {
            writeOnce(data, i, 3);
        }
        System.gc();
        long grown = rssKib() - before;
        assertTrue(grown < 150 * 1024, "1000 writers grew the resident set by " + grown / 1024 + " MiB");
    }

    /** A fresh in-memory repository that stores one compressible blob through one writer. */
    static void writeOnce(byte[] data, int i, int compressionLevel) throws IOException {
        Reseal.allow();
        try (Repository repo = Repository.init(new MemoryBackend(), "pw".toCharArray(), OPTIONS,
                id -> new MemoryBlobIndex(), new FixedRandom(i))) {
            repo.setCompressionLevel(compressionLevel);
            try (BlobWriter w = repo.newWriter()) {
                assertTrue(w.save(BlobType.DATA, data).added());
                w.flush();
            }
        }
    }

    private static long rssKib() throws IOException {
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IOException("no VmRSS in /proc/self/status");
    }

    /** Empty, tiny, compressible and incompressible blobs, some larger than an AEAD segment. */
    private static byte[] blob(Gen g) {
        return switch (g.intIn(0, 5)) {
            case 0 -> new byte[0];
            case 1 -> g.bytes(g.intIn(1, 100));
            case 2 -> g.bytes(g.intIn(60_000, 300_000));
            case 3 -> {
                byte[] b = new byte[g.intIn(100, 200_000)];
                byte[] unit = g.bytes(g.intIn(1, 50));
                for (int i = 0; i < b.length; i++) {
                    b[i] = unit[i % unit.length];
                }
                yield b;
            }
            default -> g.bytes(g.intIn(0, 20_000));
        };
    }
}
