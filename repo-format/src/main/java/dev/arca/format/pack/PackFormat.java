package dev.arca.format.pack;

import dev.arca.format.CorruptObjectException;
import dev.arca.format.UnsupportedVersionException;
import dev.arca.format.crypto.Hkdf;
import dev.arca.format.crypto.SegmentedAead;
import dev.arca.format.id.BlobId;
import dev.arca.format.id.BlobType;
import dev.arca.format.io.ByteReader;
import dev.arca.format.io.ByteWriter;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;

/**
 * The pack file grammar (spec §8).
 *
 * <pre>
 * pack    := lead blob* header u32 headerLength
 * lead    := "ARCP" u8 version u8[3] 0 salt[32]                              40 bytes
 * blob    := sealed(payload), purpose 1, counter = pack offset of each segment,
 *            aad = u8 type || u8 flags || u32 rawLength || id[32]
 * header  := sealed(u32 n || entry × n), purpose 2, counters from 0, aad = lead
 * entry   := u8 type || u8 flags || u32 storedLength || u32 rawLength || id[32]    42 bytes
 * </pre>
 */
public final class PackFormat {
    public static final byte[] MAGIC = {'A', 'R', 'C', 'P'};
    public static final int VERSION_START = 1;
    public static final int VERSION_CURRENT = 1;
    public static final int SALT_LENGTH = 32;
    public static final int LEAD_LENGTH = 4 + 1 + 3 + SALT_LENGTH;
    public static final int TRAILER_LENGTH = 4;
    public static final int ENTRY_LENGTH = 1 + 1 + 4 + 4 + 32;
    public static final int BLOB_AAD_LENGTH = 1 + 1 + 4 + 32;
    /** Pack files stay below 4 GiB so offsets fit in u32 (spec §8). */
    public static final long MAX_PACK_LENGTH = 0xFFFF_FFFFL;

    private PackFormat() {
    }

    public static SecretKey packKey(byte[] encKey, byte[] salt) {
        return Hkdf.aesKey(encKey, salt, Hkdf.PACK_LABEL);
    }

    public static byte[] lead(byte[] salt) {
        if (salt.length != SALT_LENGTH) {
            throw new IllegalArgumentException("pack salt is 32 bytes");
        }
        byte[] lead = new byte[LEAD_LENGTH];
        System.arraycopy(MAGIC, 0, lead, 0, 4);
        lead[4] = VERSION_CURRENT;
        System.arraycopy(salt, 0, lead, 8, SALT_LENGTH);
        return lead;
    }

    /** Checks the lead and returns the salt. */
    public static byte[] parseLead(byte[] lead, String object) throws CorruptObjectException, UnsupportedVersionException {
        if (lead.length < LEAD_LENGTH || lead[0] != 'A' || lead[1] != 'R' || lead[2] != 'C' || lead[3] != 'P') {
            throw new CorruptObjectException(object, "not an arca pack (bad magic)");
        }
        int version = lead[4] & 0xff;
        if (version < VERSION_START || version > VERSION_CURRENT) {
            throw new UnsupportedVersionException(object, "pack", version, VERSION_START, VERSION_CURRENT);
        }
        if (lead[5] != 0 || lead[6] != 0 || lead[7] != 0) {
            throw new CorruptObjectException(object, "reserved pack lead bytes are not zero");
        }
        byte[] salt = new byte[SALT_LENGTH];
        System.arraycopy(lead, 8, salt, 0, SALT_LENGTH);
        return salt;
    }

    public static byte[] blobAad(BlobType type, int flags, int rawLength, BlobId id) {
        ByteWriter w = new ByteWriter(BLOB_AAD_LENGTH);
        w.u8(type.code()).u8(flags).u32(rawLength).id(id);
        return w.toByteArray();
    }

    /** Opens one sealed blob (its bytes exactly as stored at {@code e.offset()}), returning the payload. */
    public static byte[] openBlob(SecretKey packKey, PackEntry e, byte[] sealed, int off, String object)
            throws CorruptObjectException {
        if (sealed.length - off < e.storedLength()) {
            throw new CorruptObjectException(object, "blob " + e.id().shortHex() + " is truncated");
        }
        try {
            return SegmentedAead.open(packKey, SegmentedAead.PURPOSE_PACK_BLOB, e.offset(), SegmentedAead.PACK_STRIDE,
                    blobAad(e.type(), e.flags(), e.rawLength(), e.id()), sealed, off, e.storedLength());
        } catch (AEADBadTagException x) {
            throw new CorruptObjectException(object, "blob " + e.id().shortHex() + " at offset " + e.offset()
                    + " fails authentication");
        }
    }

    public static byte[] encodeHeader(List<PackEntry> entries) {
        ByteWriter w = new ByteWriter(4 + entries.size() * ENTRY_LENGTH);
        w.u32(entries.size());
        for (PackEntry e : entries) {
            w.u8(e.type().code()).u8(e.flags()).u32(e.storedLength()).u32(e.rawLength()).id(e.id());
        }
        return w.toByteArray();
    }

    public static byte[] sealHeader(SecretKey packKey, byte[] lead, List<PackEntry> entries) {
        byte[] plain = encodeHeader(entries);
        return SegmentedAead.seal(packKey, SegmentedAead.PURPOSE_PACK_HEADER, 0, 1, lead, plain, 0, plain.length);
    }

    /**
     * Decodes a pack's header.
     *
     * @param packKey      the pack's key
     * @param lead         the first 40 bytes of the pack
     * @param tail         the last bytes of the pack, at least the header and trailer
     * @param packLength   the pack file's size
     */
    public static List<PackEntry> openHeader(SecretKey packKey, byte[] lead, byte[] tail, long packLength, String object)
            throws CorruptObjectException {
        if (packLength < LEAD_LENGTH + TRAILER_LENGTH || tail.length < TRAILER_LENGTH) {
            throw new CorruptObjectException(object, "too short to be a pack: " + packLength + " bytes");
        }
        ByteReader t = new ByteReader(tail, tail.length - TRAILER_LENGTH, TRAILER_LENGTH, object);
        long headerLength = t.u32();
        if (headerLength > tail.length - TRAILER_LENGTH || headerLength > packLength - LEAD_LENGTH - TRAILER_LENGTH) {
            throw new CorruptObjectException(object, "header length " + headerLength + " does not fit the pack");
        }
        int hl = (int) headerLength;
        byte[] plain;
        try {
            plain = SegmentedAead.open(packKey, SegmentedAead.PURPOSE_PACK_HEADER, 0, 1, lead, tail,
                    tail.length - TRAILER_LENGTH - hl, hl);
        } catch (AEADBadTagException e) {
            throw new CorruptObjectException(object, "pack header fails authentication");
        }
        ByteReader r = new ByteReader(plain, object);
        int n = r.u32AsInt("blob count");
        if ((long) n * ENTRY_LENGTH != r.remaining()) {
            throw new CorruptObjectException(object, "pack header says " + n + " blobs but holds " + r.remaining() + " bytes of entries");
        }
        List<PackEntry> entries = new ArrayList<>(n);
        long offset = LEAD_LENGTH;
        long headerStart = packLength - TRAILER_LENGTH - hl;
        for (int i = 0; i < n; i++) {
            int code = r.u8();
            BlobType type = BlobType.fromCode(code);
            if (type == null) {
                throw new CorruptObjectException(object, "unknown blob type " + code);
            }
            int flags = r.u8();
            if ((flags & ~PackEntry.KNOWN_FLAGS) != 0) {
                throw new CorruptObjectException(object, "unknown blob flags " + flags);
            }
            int stored = r.u32AsInt("stored length");
            int raw = r.u32AsInt("raw length");
            BlobId id = BlobId.fromBytes(plain, r.idOffset());
            if (SegmentedAead.plainLength(stored) < 0) {
                throw new CorruptObjectException(object, "blob " + id.shortHex() + " has impossible sealed length " + stored);
            }
            entries.add(new PackEntry(type, flags, offset, stored, raw, id));
            offset += stored;
            if (offset > headerStart) {
                throw new CorruptObjectException(object, "blobs overrun the pack header");
            }
        }
        if (offset != headerStart) {
            throw new CorruptObjectException(object, "blobs end at " + offset + " but the header starts at " + headerStart);
        }
        return entries;
    }
}
