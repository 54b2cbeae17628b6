package dev.arca.format.index;

import dev.arca.format.id.BlobId;
import dev.arca.format.id.BlobType;
import dev.arca.format.id.FileId;
import dev.arca.format.pack.PackEntry;

/** Where a blob is stored: the pack, its salt (hence key), and the entry in it. */
public record BlobLocation(FileId pack, byte[] packSalt, PackEntry entry) {
    public BlobId id() {
        return entry.id();
    }

    public BlobType type() {
        return entry.type();
    }

    public int rawLength() {
        return entry.rawLength();
    }
}
