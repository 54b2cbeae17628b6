package dev.arca.format.index;

import dev.arca.format.CorruptObjectException;
import dev.arca.format.crypto.SegmentedAead;
import dev.arca.format.id.BlobId;
import dev.arca.format.id.BlobType;
import dev.arca.format.id.FileId;
import dev.arca.format.io.ByteReader;
import dev.arca.format.io.ByteWriter;
import dev.arca.format.pack.PackEntry;
import dev.arca.format.pack.PackFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * The content of an index file (spec §9), sealed with magic {@code ARCI}.
 *
 * <pre>
 * index := u32 s || id[32] × s || u32 p || pack × p
 * pack  := id[32] packId || salt[32] || u64 packLength || u32 n || entry × n
 * entry := u8 type || u8 flags || u32 offset || u32 storedLength || u32 rawLength || id[32]
 * </pre>
 */
public record IndexFile(List<FileId> supersedes, List<Pack> packs) {
    public static final String MAGIC = "ARCI";
    public static final int VERSION_START = 1;
    public static final int VERSION_CURRENT = 1;
    public static final int ENTRY_LENGTH = 1 + 1 + 4 + 4 + 4 + 32;

    /** One pack and the blobs it holds. */
    public record Pack(FileId id, byte[] salt, long length, List<PackEntry> entries) {
    }

    public IndexFile {
        supersedes = List.copyOf(supersedes);
        packs = List.copyOf(packs);
    }

    public int blobCount() {
        int n = 0;
        for (Pack p : packs) {
            n += p.entries().size();
        }
        return n;
    }

    public byte[] encode() {
        ByteWriter w = new ByteWriter(8 + supersedes.size() * 32 + packs.size() * 80 + blobCount() * ENTRY_LENGTH);
        w.u32(supersedes.size());
        for (FileId s : supersedes) {
            w.id(s);
        }
        w.u32(packs.size());
        for (Pack p : packs) {
            w.id(p.id()).raw(p.salt()).u64(p.length()).u32(p.entries().size());
            for (PackEntry e : p.entries()) {
                w.u8(e.type().code()).u8(e.flags()).u32(e.offset()).u32(e.storedLength()).u32(e.rawLength()).id(e.id());
            }
        }
        return w.toByteArray();
    }

    public static IndexFile decode(byte[] content, String object) throws CorruptObjectException {
        ByteReader r = new ByteReader(content, object);
        int s = r.u32AsInt("superseded count");
        if ((long) s * 32 > r.remaining()) {
            throw r.corrupt("superseded list overruns the file");
        }
        List<FileId> supersedes = new ArrayList<>(s);
        for (int i = 0; i < s; i++) {
            supersedes.add(FileId.fromBytes(content, r.idOffset()));
        }
        int p = r.u32AsInt("pack count");
        if ((long) p * (32 + 32 + 8 + 4) > r.remaining()) {
            throw r.corrupt("pack list overruns the file");
        }
        List<Pack> packs = new ArrayList<>(p);
        for (int i = 0; i < p; i++) {
            FileId packId = FileId.fromBytes(content, r.idOffset());
            byte[] salt = r.raw(PackFormat.SALT_LENGTH);
            long length = r.u64();
            if (length < PackFormat.LEAD_LENGTH + PackFormat.TRAILER_LENGTH || length > PackFormat.MAX_PACK_LENGTH) {
                throw r.corrupt("pack " + packId.shortHex() + " has impossible length " + length);
            }
            int n = r.u32AsInt("blob count");
            if ((long) n * ENTRY_LENGTH > r.remaining()) {
                throw r.corrupt("entries of pack " + packId.shortHex() + " overrun the file");
            }
            List<PackEntry> entries = new ArrayList<>(n);
            for (int j = 0; j < n; j++) {
                int code = r.u8();
                BlobType type = BlobType.fromCode(code);
                if (type == null) {
                    throw r.corrupt("unknown blob type " + code);
                }
                int flags = r.u8();
                if ((flags & ~PackEntry.KNOWN_FLAGS) != 0) {
                    throw r.corrupt("unknown blob flags " + flags);
                }
                long offset = r.u32();
                int stored = r.u32AsInt("stored length");
                int raw = r.u32AsInt("raw length");
                BlobId id = BlobId.fromBytes(content, r.idOffset());
                if (offset < PackFormat.LEAD_LENGTH || offset + stored > length || SegmentedAead.plainLength(stored) < 0) {
                    throw r.corrupt("blob " + id.shortHex() + " lies outside pack " + packId.shortHex());
                }
                entries.add(new PackEntry(type, flags, offset, stored, raw, id));
            }
            packs.add(new Pack(packId, salt, length, entries));
        }
        r.expectEnd("the last pack");
        return new IndexFile(supersedes, packs);
    }
}
