package dev.arca.index;

import dev.arca.format.id.BlobId;
import dev.arca.format.pack.PackEntry;

/** A blob on its way into the LMDB index: its id, its pack's ordinal, and where it is in the pack. */
record IndexEntry(BlobId id, int packOrd, PackEntry entry) {
}
