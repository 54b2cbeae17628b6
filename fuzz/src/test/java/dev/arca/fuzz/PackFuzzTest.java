package dev.arca.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arca.format.CorruptObjectException;
import dev.arca.format.UnsupportedVersionException;
import dev.arca.format.crypto.SegmentedAead;
import dev.arca.format.id.BlobId;
import dev.arca.format.id.BlobType;
import dev.arca.format.id.FileId;
import dev.arca.format.io.ByteReader;
import dev.arca.format.pack.PackEntry;
import dev.arca.format.pack.PackFormat;
import dev.arca.format.pack.PackWriter;
import dev.arca.fuzz.support.FdpGen;
import dev.arca.fuzz.support.Fixtures;
import dev.arca.fuzz.support.Gen;
import dev.arca.fuzz.support.Guard;
import dev.arca.fuzz.support.RandomGen;
import dev.arca.fuzz.support.Reseal;
import dev.arca.fuzz.support.Samples;
import dev.arca.fuzz.support.Tamper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;

/** Packs (spec §8): lead, header and blob parsers on arbitrary bytes; tampering; write/read round trips. */
class PackFuzzTest {
    private static final List<Class<? extends Exception>> CORRUPT = List.of(CorruptObjectException.class);
    private static final List<Class<? extends Exception>> LEAD_ERRORS =
            List.of(CorruptObjectException.class, UnsupportedVersionException.class);
    private static final SecretKey KEY = PackFormat.packKey(Fixtures.ENC_KEY, Fixtures.PACK_SALT);
    private static final List<Fixtures.Blob> TAMPER_BLOBS = Fixtures.sampleBlobs(true);
    private static final PackWriter.Finished TAMPER_PACK = Fixtures.pack(Fixtures.PACK_SALT, TAMPER_BLOBS);
    private static final PackWriter.Finished SAMPLE_PACK = Fixtures.samplePack();
    private static final List<Fixtures.Blob> SAMPLE_BLOBS = Fixtures.sampleBlobs(false);

    @FuzzTest
    void parseLead(byte[] input) {
        parseLeadAccepts(input);
    }

    static boolean parseLeadAccepts(byte[] input) {
        Guard.Outcome<byte[]> o = Guard.parse(input.length, LEAD_ERRORS, () -> PackFormat.parseLead(input, "pack"));
        if (o.ok()) {
            assertTrue(input.length >= PackFormat.LEAD_LENGTH);
            assertArrayEquals(Arrays.copyOfRange(input, 0, PackFormat.LEAD_LENGTH), PackFormat.lead(o.value()),
                    "a lead that parses is the lead of its salt");
        }
        return o.ok();
    }

    /**
     * The input is a whole pack file read the way a reader does: lead, salt, key, header from the
     * tail, then every blob. Only typed failures; what opens covers the pack exactly.
     */
    @FuzzTest
    void openHeader(byte[] input) {
        openHeaderAccepts(input);
    }

    /** Whether the header and every blob opened. */
    static boolean openHeaderAccepts(byte[] input) {
        byte[] lead = Arrays.copyOf(input, Math.min(input.length, PackFormat.LEAD_LENGTH));
        Guard.Outcome<byte[]> salt = Guard.parse(input.length, LEAD_ERRORS, () -> PackFormat.parseLead(lead, "pack"));
        SecretKey key = salt.ok() ? PackFormat.packKey(Fixtures.ENC_KEY, salt.value()) : KEY;
        Guard.Outcome<List<PackEntry>> header = Guard.parse(input.length, CORRUPT,
                () -> PackFormat.openHeader(key, lead, input, input.length, "pack"));
        if (!header.ok()) {
            return false;
        }
        long headerStart = checkCoverage(header.value(), input.length, input);
        byte[] tail = Arrays.copyOfRange(input, (int) headerStart, input.length);
        Guard.Outcome<List<PackEntry>> again = Guard.parse(tail.length, CORRUPT,
                () -> PackFormat.openHeader(key, lead, tail, input.length, "pack"));
        assertEquals(header.value(), again.value(), "the header read from a minimal tail differs");
        boolean all = true;
        for (PackEntry e : header.value()) {
            all &= Guard.parse(e.storedLength(), CORRUPT,
                    () -> PackFormat.openBlob(key, e, input, (int) e.offset(), "pack")).ok();
        }
        return all;
    }

    /** Entries are contiguous from the lead to the header; returns where the header starts. */
    private static long checkCoverage(List<PackEntry> entries, long packLength, byte[] pack) {
        long offset = PackFormat.LEAD_LENGTH;
        for (PackEntry e : entries) {
            assertEquals(offset, e.offset());
            assertTrue(SegmentedAead.plainLength(e.storedLength()) >= 0);
            offset = e.end();
        }
        long headerLength = new ByteReaderView(pack).u32At(pack.length - 4);
        assertEquals(packLength - PackFormat.TRAILER_LENGTH - headerLength, offset,
                "entries do not end where the header starts");
        return offset;
    }

    /**
     * The input is a blob entry ({@code u8 type, u8 flags, u32 offset, u32 storedLength, u32 rawLength,
     * id}) followed by the bytes stored at its offset. Only typed failures; and under the fixture key
     * nothing opens except the genuine blobs of the sample pack, with their genuine payloads.
     */
    @FuzzTest
    void openBlob(byte[] input) {
        openBlobAccepts(input);
    }

    static boolean openBlobAccepts(byte[] input) {
        if (input.length < 46) {
            return false;
        }
        ByteReaderView r = new ByteReaderView(input);
        BlobType type = input[0] == 2 ? BlobType.TREE : BlobType.DATA;
        int flags = input[1] & 1;
        long offset = r.u32At(2);
        int stored = (int) Math.min(Integer.MAX_VALUE, r.u32At(6));
        int raw = (int) Math.min(Integer.MAX_VALUE, r.u32At(10));
        BlobId id = BlobId.fromBytes(input, 14);
        PackEntry e = new PackEntry(type, flags, offset, stored, raw, id);
        Guard.Outcome<byte[]> o = Guard.parse(input.length, CORRUPT, () -> PackFormat.openBlob(KEY, e, input, 46, "pack"));
        if (o.ok()) {
            int i = SAMPLE_PACK.entries().indexOf(e);
            assertTrue(i >= 0, "a blob opened under an entry the pack never had: " + e);
            assertArrayEquals(SAMPLE_BLOBS.get(i).payload(), o.value());
            assertArrayEquals(Arrays.copyOfRange(SAMPLE_PACK.bytes(), (int) e.offset(), (int) e.end()),
                    Arrays.copyOfRange(input, 46, 46 + stored));
        }
        return o.ok();
    }

    /**
     * The input is {@code u32 bodyLength || header plaintext}: a pack whose header is sealed with the
     * right key but holds whatever the input says, the way a buggy writer would make it. The header
     * parser must still fail cleanly, and what it accepts must be canonical and cover the pack.
     */
    @FuzzTest
    void authenticatedHeader(byte[] input) {
        authenticatedHeaderAccepts(input);
    }

    static boolean authenticatedHeaderAccepts(byte[] input) {
        if (input.length < 4) {
            return false;
        }
        int body = (int) (new ByteReaderView(input).u32At(0) & 0xFFFFF);
        byte[] plain = Arrays.copyOfRange(input, 4, input.length);
        byte[] lead = PackFormat.lead(Fixtures.PACK_SALT);
        Reseal.allow();
        byte[] header = SegmentedAead.seal(KEY, SegmentedAead.PURPOSE_PACK_HEADER, 0, 1, lead, plain, 0, plain.length);
        byte[] pack = new byte[lead.length + body + header.length + 4];
        System.arraycopy(lead, 0, pack, 0, lead.length);
        System.arraycopy(header, 0, pack, lead.length + body, header.length);
        int hl = header.length;
        pack[pack.length - 4] = (byte) hl;
        pack[pack.length - 3] = (byte) (hl >>> 8);
        pack[pack.length - 2] = (byte) (hl >>> 16);
        pack[pack.length - 1] = (byte) (hl >>> 24);
        Guard.Outcome<List<PackEntry>> o = Guard.parse(plain.length, CORRUPT,
                () -> PackFormat.openHeader(KEY, lead, pack, pack.length, "pack"));
        if (o.ok()) {
            assertArrayEquals(plain, PackFormat.encodeHeader(o.value()), "an accepted header is not canonical");
            checkCoverage(o.value(), pack.length, pack);
        }
        return o.ok();
    }

    /** Any damage to a valid pack is detected; nothing that opens differs from what was written. */
    @FuzzTest
    void tamper(FuzzedDataProvider data) {
        checkTamper(new FdpGen(data));
    }

    @Test
    void tamperOnSeededRandomDamage() {
        for (long seed = 0; seed < 1000; seed++) {
            checkTamper(new RandomGen(seed));
        }
    }

    static void checkTamper(Gen g) {
        byte[] original = TAMPER_PACK.bytes();
        byte[] t = Tamper.apply(original, g);
        if (Arrays.equals(original, t)) {
            return;
        }
        byte[] lead = Arrays.copyOf(t, Math.min(t.length, PackFormat.LEAD_LENGTH));
        Guard.Outcome<byte[]> salt = Guard.parse(t.length, LEAD_ERRORS, () -> PackFormat.parseLead(lead, "pack"));
        if (!salt.ok()) {
            return;
        }
        SecretKey key = PackFormat.packKey(Fixtures.ENC_KEY, salt.value());
        Guard.Outcome<List<PackEntry>> header = Guard.parse(t.length, CORRUPT,
                () -> PackFormat.openHeader(key, lead, t, t.length, "pack"));
        if (!header.ok()) {
            return;
        }
        assertEquals(TAMPER_PACK.entries(), header.value(), "a damaged pack's header opened with different entries");
        boolean detected = false;
        for (int i = 0; i < header.value().size(); i++) {
            PackEntry e = header.value().get(i);
            Guard.Outcome<byte[]> blob = Guard.parse(e.storedLength(), CORRUPT,
                    () -> PackFormat.openBlob(key, e, t, (int) e.offset(), "pack"));
            if (blob.ok()) {
                assertArrayEquals(TAMPER_BLOBS.get(i).payload(), blob.value(), "a damaged blob opened with other content");
            } else {
                detected = true;
            }
        }
        assertTrue(detected, "a damaged pack opened completely");
    }

    @FuzzTest
    void roundTrip(FuzzedDataProvider data) {
        checkRoundTrip(new FdpGen(data));
    }

    @Test
    void roundTripOnSeededRandomPacks() {
        for (long seed = 0; seed < 300; seed++) {
            checkRoundTrip(new RandomGen(seed));
        }
    }

    /**
     * PackWriter → bytes → parseLead/openHeader/openBlob gives back the same entries and payloads;
     * the file id is the SHA-256 of the bytes; the size is the spec's; each blob's description is
     * bound to it (a changed type, flag, length, id or offset fails).
     */
    static void checkRoundTrip(Gen g) {
        try {
            roundTrip(g);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Also builds the same pack in a file (the way a backup into a local repository does) and
     * requires the very same bytes.
     */
    private static void roundTrip(Gen g) throws java.io.IOException {
        byte[] encKey = g.bool() ? Fixtures.ENC_KEY : g.bytes(32);
        byte[] salt = g.bytes(32);
        Reseal.allow();
        PackWriter w = new PackWriter(encKey, salt, g.intIn(0, 4096));
        java.nio.file.Path file = java.nio.file.Files.createTempFile("arca-pack-", ".tmp");
        java.nio.file.Files.delete(file);
        PackWriter onDisk = new PackWriter(encKey, salt, file);
        int n = g.intIn(0, 8);
        List<byte[]> payloads = new ArrayList<>();
        List<PackEntry> added = new ArrayList<>();
        long expectedLength = PackFormat.LEAD_LENGTH;
        for (int i = 0; i < n; i++) {
            int size = switch (g.intIn(0, 5)) {
                case 0 -> 0;
                case 1 -> g.pick(1, 15, 16, 17, 65535, 65536, 65537, 2 * 65536);
                default -> g.intIn(0, 3000);
            };
            byte[] payload = g.bytes(size);
            BlobType type = g.pick(BlobType.values());
            int flags = g.intIn(0, 1);
            int raw = g.intIn(0, Integer.MAX_VALUE);
            BlobId id = Samples.blobId(g);
            PackEntry e = w.add(type, id, flags, raw, payload, 0, payload.length);
            Reseal.allow();
            assertEquals(e, onDisk.add(type, id, flags, raw, payload, 0, payload.length));
            assertEquals(new PackEntry(type, flags, expectedLength, (int) SegmentedAead.sealedLength(size), raw, id), e);
            expectedLength += e.storedLength();
            payloads.add(payload);
            added.add(e);
        }
        assertEquals(n, w.count());
        PackWriter.Finished f = w.finish();
        byte[] bytes = f.bytes();
        Reseal.allow();
        PackWriter.Finished fromDisk = onDisk.finish();
        try {
            assertArrayEquals(bytes, java.nio.file.Files.readAllBytes(file), "a pack built in a file differs");
            assertEquals(f.id(), fromDisk.id());
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
        expectedLength += SegmentedAead.sealedLength(4 + (long) n * PackFormat.ENTRY_LENGTH) + PackFormat.TRAILER_LENGTH;
        assertEquals(expectedLength, bytes.length, "pack size differs from the spec's");
        assertEquals(FileId.of(bytes), f.id());
        assertArrayEquals(salt, f.salt());
        assertEquals(added, f.entries());
        try {
            byte[] lead = Arrays.copyOf(bytes, PackFormat.LEAD_LENGTH);
            assertArrayEquals(salt, PackFormat.parseLead(lead, "pack"));
            SecretKey key = PackFormat.packKey(encKey, salt);
            assertEquals(added, PackFormat.openHeader(key, lead, bytes, bytes.length, "pack"));
            long headerLength = new ByteReaderView(bytes).u32At(bytes.length - 4);
            int minimalTail = (int) headerLength + 4;
            int tail = g.intIn(minimalTail, bytes.length);
            assertEquals(added, PackFormat.openHeader(key, lead, Arrays.copyOfRange(bytes, bytes.length - tail, bytes.length),
                    bytes.length, "pack"));
            for (int i = 0; i < n; i++) {
                PackEntry e = added.get(i);
                assertArrayEquals(payloads.get(i), PackFormat.openBlob(key, e, bytes, (int) e.offset(), "pack"));
                byte[] alone = Arrays.copyOfRange(bytes, (int) e.offset(), (int) e.end());
                assertArrayEquals(payloads.get(i), PackFormat.openBlob(key, e, alone, 0, "pack"));
                PackEntry wrong = switch (g.intIn(0, 4)) {
                    case 0 -> new PackEntry(e.type() == BlobType.DATA ? BlobType.TREE : BlobType.DATA, e.flags(), e.offset(),
                            e.storedLength(), e.rawLength(), e.id());
                    case 1 -> new PackEntry(e.type(), e.flags() ^ 1, e.offset(), e.storedLength(), e.rawLength(), e.id());
                    case 2 -> new PackEntry(e.type(), e.flags(), e.offset(), e.storedLength(), e.rawLength() ^ 1, e.id());
                    case 3 -> new PackEntry(e.type(), e.flags(), e.offset(), e.storedLength(), e.rawLength(), Samples.blobId(g));
                    default -> new PackEntry(e.type(), e.flags(), e.offset() + 1, e.storedLength(), e.rawLength(), e.id());
                };
                if (!wrong.equals(e)) {
                    assertFalse(Guard.parse(alone.length, CORRUPT,
                            () -> PackFormat.openBlob(key, wrong, alone, 0, "pack")).ok(),
                            "a blob opened under a description it was not written with: " + wrong);
                }
            }
        } catch (CorruptObjectException | UnsupportedVersionException e) {
            throw new AssertionError("a pack the code wrote does not read back: " + e.getMessage(), e);
        }
    }

    @Test
    void samplePackReadsBack() throws Exception {
        byte[] bytes = SAMPLE_PACK.bytes();
        byte[] lead = Arrays.copyOf(bytes, PackFormat.LEAD_LENGTH);
        List<PackEntry> entries = PackFormat.openHeader(KEY, lead, bytes, bytes.length, "pack");
        assertEquals(SAMPLE_PACK.entries(), entries);
        assertEquals(SAMPLE_BLOBS.size(), entries.size());
        for (int i = 0; i < entries.size(); i++) {
            PackEntry e = entries.get(i);
            assertArrayEquals(SAMPLE_BLOBS.get(i).payload(), PackFormat.openBlob(KEY, e, bytes, (int) e.offset(), "pack"));
        }
    }

    /** Little-endian u32 reads for test code, without the checks of {@link ByteReader}. */
    private record ByteReaderView(byte[] b) {
        long u32At(int at) {
            return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24;
        }
    }
}
