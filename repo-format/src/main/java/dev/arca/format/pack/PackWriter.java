package dev.arca.format.pack;

import dev.arca.format.backend.Payload;
import dev.arca.format.crypto.SegmentedAead;
import dev.arca.format.id.BlobId;
import dev.arca.format.id.BlobType;
import dev.arca.format.id.FileId;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.SecretKey;

/**
 * Builds one pack, in memory or in a local file. Not thread-safe. Every pack gets a fresh random
 * salt, hence its own key; a writer is used for one pack only, so its offsets (the nonce
 * counters) never repeat under that key. Once {@link #finish()} has run, or an add has failed,
 * the writer refuses further use.
 *
 * <p>A file-backed writer keeps only the entry list in memory, so a backup's memory does not
 * depend on the pack size or on how many packs wait to be stored.
 */
public final class PackWriter {
    /**
     * A finished pack: its bytes (in memory or in a file), its name, and what it holds. The name
     * (a SHA-256 over all the bytes) is computed on first use, so that the thread that stores the
     * pack pays for it.
     */
    public static final class Finished {
        private final byte[] buffer;
        private final Path file;
        private final long length;
        private final byte[] salt;
        private final List<PackEntry> entries;
        private volatile FileId id;

        Finished(byte[] buffer, Path file, long length, byte[] salt, List<PackEntry> entries) {
            this.buffer = buffer;
            this.file = file;
            this.length = length;
            this.salt = salt;
            this.entries = entries;
        }

        /** The pack's name, the SHA-256 of its bytes. */
        public FileId id() {
            FileId i = id;
            if (i == null) {
                i = buffer != null ? FileId.of(buffer, 0, (int) length) : hashFile();
                id = i;
            }
            return i;
        }

        private FileId hashFile() {
            MessageDigest md = FileId.sha256();
            try (InputStream in = Files.newInputStream(file)) {
                byte[] b = new byte[1 << 16];
                for (int n; (n = in.read(b)) > 0; ) {
                    md.update(b, 0, n);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return FileId.fromBytes(md.digest());
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

        /** The local file holding the pack, or null for an in-memory pack. */
        public Path file() {
            return file;
        }

        /** The pack's bytes as a payload to store, without copying them. */
        public Payload payload() {
            if (buffer != null) {
                return Payload.of(buffer, 0, (int) length);
            }
            return new Payload() {
                @Override
                public long length() {
                    return length;
                }

                @Override
                public InputStream open() throws IOException {
                    return Files.newInputStream(file);
                }
            };
        }

        /** A copy of the pack's bytes. */
        public byte[] bytes() {
            if (buffer != null) {
                return Arrays.copyOf(buffer, (int) length);
            }
            try {
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final ThreadLocal<byte[]> SEAL_SCRATCH = ThreadLocal.withInitial(() -> new byte[0]);

    private final SecretKey key;
    private final byte[] salt;
    private final byte[] lead;
    private final List<PackEntry> entries = new ArrayList<>();
    private final Path file;
    private FileChannel channel;
    private byte[] buf;
    private long len;
    private boolean closed;

    /** A writer that builds the pack in memory. */
    public PackWriter(byte[] encKey, byte[] salt, int expectedSize) {
        this.salt = salt.clone();
        this.key = PackFormat.packKey(encKey, this.salt);
        this.lead = PackFormat.lead(this.salt);
        this.file = null;
        this.buf = new byte[Math.max(PackFormat.LEAD_LENGTH + 1024, expectedSize)];
        System.arraycopy(lead, 0, buf, 0, lead.length);
        this.len = lead.length;
    }

    /** A writer that builds the pack in {@code file}, which it creates (it must not exist). */
    public PackWriter(byte[] encKey, byte[] salt, Path file) throws IOException {
        this.salt = salt.clone();
        this.key = PackFormat.packKey(encKey, this.salt);
        this.lead = PackFormat.lead(this.salt);
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        this.len = 0;
        append(lead, 0, lead.length);
    }

    /**
     * Seals and appends a blob.
     *
     * @param payload   the bytes to store: the plaintext, or its zstd frame when {@code flags} says so
     * @param rawLength the plaintext length
     */
    public PackEntry add(BlobType type, BlobId id, int flags, int rawLength, byte[] payload, int off, int payloadLength)
            throws IOException {
        if (closed) {
            throw new IllegalStateException("pack writer already finished or failed");
        }
        long stored = SegmentedAead.sealedLength(payloadLength);
        if (len + stored + PackFormat.TRAILER_LENGTH > PackFormat.MAX_PACK_LENGTH - 1_000_000) {
            throw new IllegalStateException("pack would exceed 4 GiB");
        }
        boolean ok = false;
        try {
            byte[] aad = PackFormat.blobAad(type, flags, rawLength, id);
            int n;
            if (channel == null) {
                ensure((int) stored);
                n = SegmentedAead.seal(key, SegmentedAead.PURPOSE_PACK_BLOB, len, SegmentedAead.PACK_STRIDE, aad,
                        payload, off, payloadLength, buf, (int) len);
                len += n;
            } else {
                byte[] scratch = scratch((int) stored);
                n = SegmentedAead.seal(key, SegmentedAead.PURPOSE_PACK_BLOB, len, SegmentedAead.PACK_STRIDE, aad,
                        payload, off, payloadLength, scratch, 0);
                append(scratch, 0, n);
            }
            PackEntry e = new PackEntry(type, flags, len - n, n, rawLength, id);
            entries.add(e);
            ok = true;
            return e;
        } finally {
            if (!ok) {
                fail();
            }
        }
    }

    private static byte[] scratch(int n) {
        byte[] b = SEAL_SCRATCH.get();
        if (b.length < n) {
            b = new byte[Math.max(n, 1 << 16)];
            SEAL_SCRATCH.set(b);
        }
        return b;
    }

    private void append(byte[] b, int off, int n) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(b, off, n);
        while (bb.hasRemaining()) {
            channel.write(bb);
        }
        len += n;
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

    public Finished finish() throws IOException {
        if (closed) {
            throw new IllegalStateException("pack writer already finished or failed");
        }
        byte[] header = PackFormat.sealHeader(key, lead, entries);
        int hl = header.length;
        byte[] trailer = {(byte) hl, (byte) (hl >>> 8), (byte) (hl >>> 16), (byte) (hl >>> 24)};
        if (channel == null) {
            ensure(hl + PackFormat.TRAILER_LENGTH);
            System.arraycopy(header, 0, buf, (int) len, hl);
            len += hl;
            System.arraycopy(trailer, 0, buf, (int) len, trailer.length);
            len += trailer.length;
            closed = true;
            Finished f = new Finished(buf, null, len, salt, List.copyOf(entries));
            buf = null;
            return f;
        }
        boolean ok = false;
        try {
            append(header, 0, hl);
            append(trailer, 0, trailer.length);
            channel.close();
            closed = true;
            ok = true;
            return new Finished(null, file, len, salt, List.copyOf(entries));
        } finally {
            if (!ok) {
                fail();
            }
        }
    }

    /** Abandons the pack: a failed writer stays failed, and its file is removed. */
    public void fail() {
        closed = true;
        buf = null;
        if (channel != null) {
            try {
                channel.close();
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the staging file is a leftover that readers ignore
            }
        }
    }

    private void ensure(int more) {
        if (buf.length - len < more) {
            buf = Arrays.copyOf(buf, (int) Math.max(buf.length + buf.length / 2, len + more));
        }
    }
}
