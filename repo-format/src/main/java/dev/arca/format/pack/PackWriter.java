package dev.arca.format.pack;

import dev.arca.format.crypto.SegmentedAead;
import dev.arca.format.id.BlobId;
import dev.arca.format.id.BlobType;
import dev.arca.format.backend.Payload;
import dev.arca.format.id.FileId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.SecretKey;

/**
 * Builds one pack in memory. Not thread-safe. Every pack gets a fresh random salt, hence its own
 * key; a writer is used for one pack only, so its offsets (the nonce counters) never repeat under
 * that key. Once {@link #finish()} has run, or an add has failed, the writer refuses further use.
 */
public final class PackWriter {
    /**
     * A finished pack: its bytes, its name, and what it holds. The name (a SHA-256 over all the
     * bytes) is computed on first use, so that the thread that stores the pack pays for it.
     */
    public static final class Finished {
        private final byte[] buffer;
        private final int length;
        private final byte[] salt;
        private final List<PackEntry> entries;
        private volatile FileId id;

        Finished(byte[] buffer, int length, byte[] salt, List<PackEntry> entries) {
            this.buffer = buffer;
            this.length = length;
            this.salt = salt;
            this.entries = entries;
        }

        public FileId id() {
            FileId i = id;
            if (i == null) {
                i = FileId.of(buffer, 0, length);
                id = i;
            }
            return i;
        }

        public byte[] salt() {
            return salt;
        }

        public List<PackEntry> entries() {
            return entries;
        }

        public long length() {
            return length;
        }

        /** The pack's bytes as a payload to store, without copying them. */
        public Payload payload() {
            return Payload.of(buffer, 0, length);
        }

        /** A copy of the pack's bytes. */
        public byte[] bytes() {
            return Arrays.copyOf(buffer, length);
        }
    }

    private final SecretKey key;
    private final byte[] salt;
    private final byte[] lead;
    private final List<PackEntry> entries = new ArrayList<>();
    private byte[] buf;
    private int len;
    private boolean closed;

    public PackWriter(byte[] encKey, byte[] salt, int expectedSize) {
        this.salt = salt.clone();
        this.key = PackFormat.packKey(encKey, this.salt);
        this.lead = PackFormat.lead(this.salt);
        this.buf = new byte[Math.max(PackFormat.LEAD_LENGTH + 1024, expectedSize)];
        System.arraycopy(lead, 0, buf, 0, lead.length);
        this.len = lead.length;
    }

    /**
     * Seals and appends a blob.
     *
     * @param payload   the bytes to store: the plaintext, or its zstd frame when {@code flags} says so
     * @param rawLength the plaintext length
     */
    public PackEntry add(BlobType type, BlobId id, int flags, int rawLength, byte[] payload, int off, int payloadLength) {
        if (closed) {
            throw new IllegalStateException("pack writer already finished or failed");
        }
        long stored = SegmentedAead.sealedLength(payloadLength);
        if (len + stored + PackFormat.TRAILER_LENGTH > PackFormat.MAX_PACK_LENGTH - 1_000_000) {
            throw new IllegalStateException("pack would exceed 4 GiB");
        }
        ensure((int) stored);
        boolean ok = false;
        try {
            int n = SegmentedAead.seal(key, SegmentedAead.PURPOSE_PACK_BLOB, len, SegmentedAead.PACK_STRIDE,
                    PackFormat.blobAad(type, flags, rawLength, id), payload, off, payloadLength, buf, len);
            PackEntry e = new PackEntry(type, flags, len, n, rawLength, id);
            entries.add(e);
            len += n;
            ok = true;
            return e;
        } finally {
            if (!ok) {
                closed = true;
            }
        }
    }

    /** Current size of the pack without its header. */
    public long size() {
        return len;
    }

    public int count() {
        return entries.size();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public Finished finish() {
        if (closed) {
            throw new IllegalStateException("pack writer already finished or failed");
        }
        closed = true;
        byte[] header = PackFormat.sealHeader(key, lead, entries);
        ensure(header.length + PackFormat.TRAILER_LENGTH);
        System.arraycopy(header, 0, buf, len, header.length);
        len += header.length;
        int hl = header.length;
        buf[len++] = (byte) hl;
        buf[len++] = (byte) (hl >>> 8);
        buf[len++] = (byte) (hl >>> 16);
        buf[len++] = (byte) (hl >>> 24);
        Finished f = new Finished(buf, len, salt, List.copyOf(entries));
        buf = null;
        return f;
    }

    private void ensure(int more) {
        if (buf.length - len < more) {
            buf = Arrays.copyOf(buf, Math.max(buf.length + buf.length / 2, len + more));
        }
    }
}
