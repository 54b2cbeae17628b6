package dev.arca.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdOutputStream;
import dev.arca.format.CorruptObjectException;
import dev.arca.format.UnsupportedVersionException;
import dev.arca.format.crypto.Hkdf;
import dev.arca.format.crypto.SealedFile;
import dev.arca.format.crypto.SegmentedAead;
import dev.arca.format.index.IndexFile;
import dev.arca.format.repo.Config;
import dev.arca.format.snapshot.Snapshot;
import dev.arca.format.backend.MemoryBackend;
import dev.arca.format.crypto.KdfParams;
import dev.arca.format.id.BlobType;
import dev.arca.format.index.MemoryBlobIndex;
import dev.arca.format.pack.PackEntry;
import dev.arca.format.pack.PackWriter;
import dev.arca.format.repo.Repository;
import dev.arca.fuzz.support.FdpGen;
import dev.arca.fuzz.support.FixedRandom;
import dev.arca.fuzz.support.Fixtures;
import dev.arca.fuzz.support.Gen;
import dev.arca.fuzz.support.Guard;
import dev.arca.fuzz.support.RandomGen;
import dev.arca.fuzz.support.Reseal;
import dev.arca.fuzz.support.Tamper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;

/** Sealed files (spec §6): config, index files, snapshots. */
class SealedFileFuzzTest {
    private static final List<Class<? extends Exception>> OPEN_ERRORS =
            List.of(CorruptObjectException.class, UnsupportedVersionException.class);
    private static final List<Class<? extends Exception>> CORRUPT = List.of(CorruptObjectException.class);
    private static final String[] MAGICS = {Config.MAGIC, IndexFile.MAGIC, Snapshot.MAGIC};

    /** The genuine sealed files of the fixtures: the only ones that may open under the fixture key. */
    static final byte[] CONFIG = Fixtures.seal(Config.MAGIC, Fixtures.sampleConfig().encode());
    static final byte[] SNAPSHOT = Fixtures.seal(Snapshot.MAGIC, Fixtures.sampleSnapshot().encode());
    static final byte[] INDEX = Fixtures.seal(IndexFile.MAGIC, Fixtures.sampleIndex(Fixtures.samplePack()).encode());
    /** An index too large for one AEAD segment even compressed. */
    static final byte[] BIG_INDEX = Fixtures.seal(IndexFile.MAGIC, bigIndex());
    private static final List<byte[]> GENUINE = List.of(CONFIG, SNAPSHOT, INDEX, BIG_INDEX);

    /** One pack of 2,500 blobs with random ids: over 80 KB that zstd cannot shrink, so two segments. */
    static byte[] bigIndex() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        List<dev.arca.format.pack.PackEntry> entries = new java.util.ArrayList<>();
        long offset = dev.arca.format.pack.PackFormat.LEAD_LENGTH;
        for (int i = 0; i < 2500; i++) {
            byte[] id = new byte[32];
            random.nextBytes(id);
            entries.add(new dev.arca.format.pack.PackEntry(dev.arca.format.id.BlobType.DATA, 0, offset, 116, 100,
                    dev.arca.format.id.BlobId.fromBytes(id)));
            offset += 116;
        }
        IndexFile.Pack pack = new IndexFile.Pack(dev.arca.format.id.FileId.of(new byte[0]), Fixtures.PACK_SALT,
                offset + 1000, entries);
        return new IndexFile(List.of(), List.of(pack)).encode();
    }

    @Test
    void theBigIndexFixtureSpansTwoSegments() throws Exception {
        assertTrue(BIG_INDEX.length > SealedFile.HEADER_LENGTH + SegmentedAead.SEGMENT + SegmentedAead.TAG);
        assertArrayEquals(bigIndex(), SealedFile.open(Fixtures.ENC_KEY, BIG_INDEX, IndexFile.MAGIC, 1, 1, "index", "i")
                .content());
    }

    @FuzzTest
    void open(byte[] input) {
        openAccepts(input);
    }

    /** Whether the input opened as a sealed file of any of the three magics. */
    static boolean openAccepts(byte[] input) {
        boolean opened = false;
        for (String magic : MAGICS) {
            Guard.Outcome<Integer> v = Guard.parse(input.length, CORRUPT, () -> SealedFile.version(input, magic, "file"));
            if (v.ok()) {
                assertTrue(input.length >= SealedFile.HEADER_LENGTH);
                assertEquals(magic, new String(input, 0, 4, StandardCharsets.ISO_8859_1));
                assertEquals(input[4] & 0xFF, v.value());
            }
            Guard.Outcome<SealedFile.Opened> o = Guard.parse(input.length, OPEN_ERRORS,
                    () -> SealedFile.open(Fixtures.ENC_KEY, input, magic, 1, 1, "file", "file"));
            if (o.ok()) {
                opened = true;
                assertTrue(GENUINE.stream().anyMatch(g -> Arrays.equals(g, input)),
                        "a sealed file opened that the key holder never wrote");
            } else if (o.failure() instanceof UnsupportedVersionException) {
                assertTrue(v.ok() && v.value() != 1, "unsupported version reported for version 1");
            }
        }
        return opened;
    }

    /**
     * The input is a body ({@code u8 flags || content}) sealed with the right key, the way a buggy
     * writer could make it: flags and zstd frames are parsed after authentication and must fail cleanly.
     * Frames that announce more than 4 MiB are skipped: up to {@link SealedFile#MAX_CONTENT} is allowed.
     */
    @FuzzTest
    void authenticatedBody(byte[] body) {
        authenticatedBodyAccepts(body);
    }

    static boolean authenticatedBodyAccepts(byte[] body) {
        if (body.length > 1 && (body[0] & 1) == 1) {
            long announced = Zstd.getFrameContentSize(body, 1, body.length - 1);
            if (announced > 4 << 20) {
                return false;
            }
        }
        byte[] file = sealBody(Snapshot.MAGIC, body);
        Guard.Outcome<SealedFile.Opened> o = Guard.parse(file.length, CORRUPT,
                () -> SealedFile.open(Fixtures.ENC_KEY, file, Snapshot.MAGIC, 1, 1, "snapshot", "snapshot"));
        if (o.ok()) {
            assertEquals(1, o.value().version());
            assertTrue(body.length >= 1 && (body[0] & 0xFF) <= 1, "unknown flags accepted");
            if (body[0] == 0) {
                assertArrayEquals(Arrays.copyOfRange(body, 1, body.length), o.value().content());
            }
        }
        return o.ok();
    }

    /** Seals {@code body} exactly as given, with the fixture key and salt (spec §6). */
    static byte[] sealBody(String magic, byte[] body) {
        byte[] header = new byte[SealedFile.HEADER_LENGTH];
        for (int i = 0; i < 4; i++) {
            header[i] = (byte) magic.charAt(i);
        }
        header[4] = 1;
        System.arraycopy(Fixtures.FILE_SALT, 0, header, 5, 32);
        SecretKey k = Hkdf.aesKey(Fixtures.ENC_KEY, Fixtures.FILE_SALT, Hkdf.FILE_LABEL_PREFIX + magic);
        Reseal.allow();
        byte[] sealed = SegmentedAead.seal(k, SegmentedAead.PURPOSE_FILE, 0, 1, header, body, 0, body.length);
        byte[] out = Arrays.copyOf(header, header.length + sealed.length);
        System.arraycopy(sealed, 0, out, header.length, sealed.length);
        return out;
    }

    /** zstd frames from storage: at most {@code max} bytes come out, and failures are typed. */
    @FuzzTest
    void decompress(byte[] input) {
        decompressAccepts(input);
    }

    static boolean decompressAccepts(byte[] input) {
        int max = 1 << 20;
        Guard.Outcome<byte[]> o = Guard.parse(input.length, CORRUPT,
                () -> SealedFile.decompress(input, 0, input.length, max, "frame"));
        if (o.ok()) {
            assertTrue(o.value().length <= max);
            assertEquals(Zstd.getFrameContentSize(input, 0, input.length), o.value().length);
        }
        return o.ok();
    }

    @Test
    void decompressRefusesFramesWithoutOrBeyondTheirLimit() throws IOException {
        byte[] big = Zstd.compress(new byte[2 << 20], 3);
        assertThrows(CorruptObjectException.class, () -> SealedFile.decompress(big, 0, big.length, 1 << 20, "f"));
        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        try (ZstdOutputStream z = new ZstdOutputStream(streamed)) {
            z.write("no content size in this frame".getBytes(StandardCharsets.UTF_8));
        }
        byte[] s = streamed.toByteArray();
        assertThrows(CorruptObjectException.class, () -> SealedFile.decompress(s, 0, s.length, 1 << 20, "f"));
    }

    /**
     * Found by {@link #decompress}: zstd-jni's getFrameContentSize throws
     * ArrayIndexOutOfBoundsException on an empty range, which escaped from decompress, from
     * SealedFile.open of the body {@code {0x01}} and from Repository.openBlob of a compressed blob with
     * an empty payload (fixed in 04c9c95: frames shorter than the zstd magic are corrupt).
     */
    @Test
    void emptyAndTinyZstdFramesAreCorrupt() throws Exception {
        for (int n = 0; n <= 5; n++) {
            byte[] frame = Arrays.copyOf(new byte[] {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD, 0x20}, n);
            assertThrows(CorruptObjectException.class, () -> SealedFile.decompress(frame, 0, frame.length, 100, "f"));
            byte[] shifted = new byte[n + 1];
            System.arraycopy(frame, 0, shifted, 1, n);
            int len = n;
            assertThrows(CorruptObjectException.class, () -> SealedFile.decompress(shifted, 1, len, 100, "f"));
        }
        byte[] file = sealBody(Snapshot.MAGIC, new byte[] {SealedFile.FLAG_ZSTD});
        assertThrows(CorruptObjectException.class,
                () -> SealedFile.open(Fixtures.ENC_KEY, file, Snapshot.MAGIC, 1, 1, "snapshot", "snapshots/x"));
        Reseal.allow();
        try (Repository repo = Repository.init(new MemoryBackend(), "pw".toCharArray(),
                Repository.InitOptions.defaults("h", "u").withKdf(new KdfParams(1, 8, 1)).withPackSize(1 << 20),
                id -> new MemoryBlobIndex(), new FixedRandom(11))) {
            byte[] salt = Fixtures.pattern(0x55);
            PackWriter w = new PackWriter(repo.keys().encKey(), salt, 1024);
            PackEntry e = w.add(BlobType.DATA, Fixtures.blobId("x"), PackEntry.FLAG_ZSTD, 0, new byte[0], 0, 0);
            PackWriter.Finished pack = w.finish();
            assertThrows(CorruptObjectException.class,
                    () -> repo.openBlob(pack.id(), salt, e, pack.bytes(), (int) e.offset()));
        }
    }

    /** Damage to a genuine sealed file never goes unnoticed: the version is refused or it is corrupt. */
    @FuzzTest
    void tamper(FuzzedDataProvider data) {
        checkTamper(new FdpGen(data));
    }

    @Test
    void tamperOnSeededRandomDamage() {
        for (long seed = 0; seed < 1500; seed++) {
            checkTamper(new RandomGen(seed));
        }
    }

    static void checkTamper(Gen g) {
        int which = g.intIn(0, GENUINE.size() - 1);
        byte[] original = GENUINE.get(which);
        String magic = new String(original, 0, 4, StandardCharsets.ISO_8859_1);
        byte[] t = Tamper.apply(original, g);
        if (Arrays.equals(original, t)) {
            return;
        }
        Guard.Outcome<SealedFile.Opened> o = Guard.parse(t.length, OPEN_ERRORS,
                () -> SealedFile.open(Fixtures.ENC_KEY, t, magic, 1, 1, "file", "file"));
        assertFalse(o.ok(), "a damaged sealed file opened");
        if (o.failure() instanceof UnsupportedVersionException) {
            assertTrue(t.length > 4 && t[4] != 1, "unsupported version reported, but the version byte is intact");
        } else {
            assertInstanceOf(CorruptObjectException.class, o.failure());
        }
    }

    @FuzzTest
    void roundTrip(FuzzedDataProvider data) {
        checkRoundTrip(new FdpGen(data));
    }

    @Test
    void roundTripOnSeededRandomContent() {
        for (long seed = 0; seed < 500; seed++) {
            checkRoundTrip(new RandomGen(seed));
        }
    }

    /** seal → open gives the content back; the lead is the spec's; compression never makes a file larger. */
    static void checkRoundTrip(Gen g) {
        int size = switch (g.intIn(0, 3)) {
            case 0 -> g.pick(0, 1, 63, 64, 65534, 65535, 65536, 65537, 3 * 65536);
            case 1 -> g.intIn(0, 200);
            default -> g.intIn(0, 20_000);
        };
        byte[] content = g.bool() ? g.bytes(size) : new byte[size];
        if (g.bool()) {
            Arrays.fill(content, 0, size / 2, (byte) 'x');
        }
        String magic = g.pick(MAGICS);
        byte[] key = g.bytes(32);
        byte[] salt = g.bytes(32);
        Reseal.allow();
        byte[] file = SealedFile.seal(key, magic, 1, content, salt);
        assertEquals(magic, new String(file, 0, 4, StandardCharsets.ISO_8859_1));
        assertEquals(1, file[4]);
        assertArrayEquals(salt, Arrays.copyOfRange(file, 5, 37));
        assertTrue(file.length <= SealedFile.HEADER_LENGTH + SegmentedAead.sealedLength(1L + size),
                "a sealed file is larger than its content stored raw");
        if (size >= 4096 && isZero(content)) {
            assertTrue(file.length < size / 4, "4 KiB of zeros were not compressed");
        }
        try {
            SealedFile.Opened o = SealedFile.open(key, file, magic, 1, 1, "file", "file");
            assertArrayEquals(content, o.content());
            assertEquals(1, o.version());
            String other = magic.equals(Config.MAGIC) ? Snapshot.MAGIC : Config.MAGIC;
            assertThrows(CorruptObjectException.class, () -> SealedFile.open(key, file, other, 1, 1, "file", "file"));
            assertThrows(UnsupportedVersionException.class, () -> SealedFile.open(key, file, magic, 2, 3, "file", "file"));
            byte[] otherKey = key.clone();
            otherKey[0] ^= 1;
            assertThrows(CorruptObjectException.class, () -> SealedFile.open(otherKey, file, magic, 1, 1, "file", "file"));
        } catch (CorruptObjectException | UnsupportedVersionException e) {
            throw new AssertionError("a sealed file the code wrote does not open: " + e.getMessage(), e);
        }
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
