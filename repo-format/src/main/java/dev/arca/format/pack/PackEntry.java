package dev.arca.format.pack;

import dev.arca.format.id.BlobId;
import dev.arca.format.id.BlobType;

/**
 * One blob in a pack: where its sealed bytes are and what they hold.
 *
 * @param offset       offset of the sealed blob in the pack file
 * @param storedLength sealed size in the pack
 * @param rawLength    plaintext size
 * @param flags        bit 0: the sealed payload is a zstd frame
 */
public record PackEntry(BlobType type, int flags, long offset, int storedLength, int rawLength, BlobId id) {
    public static final int FLAG_ZSTD = 1;
    public static final int KNOWN_FLAGS = FLAG_ZSTD;

    public boolean compressed() {
        return (flags & FLAG_ZSTD) != 0;
    }

    public long end() {
        return offset + storedLength;
    }
}
