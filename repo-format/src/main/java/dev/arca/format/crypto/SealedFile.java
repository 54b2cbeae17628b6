package dev.arca.format.crypto;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import dev.arca.format.CorruptObjectException;
import dev.arca.format.UnsupportedVersionException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;

/**
 * Sealed files: config, index files and snapshots (spec §6).
 *
 * <pre>
 * sealedfile := magic[4] || u8 version || salt[32] || sealed(body)
 * K          := HKDF(encKey, salt, "arca/v1/file/" + magic); purpose 3; aad = the first 37 bytes
 * body       := u8 flags || content           flags bit 0: content is a zstd frame
 * </pre>
 */
public final class SealedFile {
    public static final int SALT_LENGTH = 32;
    public static final int HEADER_LENGTH = 4 + 1 + SALT_LENGTH;
    public static final int FLAG_ZSTD = 1;
    /** Decompressed content larger than this is refused, so a crafted file cannot exhaust memory. */
    public static final int MAX_CONTENT = 1 << 30;

    private SealedFile() {
    }

    /**
     * Seals {@code content}; compresses it with zstd when that saves at least 1/32.
     */
    public static byte[] seal(byte[] encKey, String magic, int version, byte[] content, SecureRandom random) {
        byte[] salt = new byte[SALT_LENGTH];
        random.nextBytes(salt);
        return seal(encKey, magic, version, content, salt);
    }

    public static byte[] seal(byte[] encKey, String magic, int version, byte[] content, byte[] salt) {
        int flags = 0;
        byte[] payload = content;
        if (content.length >= 64) {
            byte[] z = Zstd.compress(content, 3);
            if (z.length <= content.length - content.length / 32) {
                flags = FLAG_ZSTD;
                payload = z;
            }
        }
        byte[] body = new byte[1 + payload.length];
        body[0] = (byte) flags;
        System.arraycopy(payload, 0, body, 1, payload.length);
        return sealBody(encKey, magic, version, body, salt);
    }

    /** Seals a body as stored ({@code u8 flags || content or its zstd frame}). */
    public static byte[] sealBody(byte[] encKey, String magic, int version, byte[] body, byte[] salt) {
        byte[] header = header(magic, version, salt);
        SecretKey k = Hkdf.aesKey(encKey, salt, Hkdf.FILE_LABEL_PREFIX + magic);
        byte[] sealed = SegmentedAead.seal(k, SegmentedAead.PURPOSE_FILE, 0, 1, header, body, 0, body.length);
        byte[] out = Arrays.copyOf(header, header.length + sealed.length);
        System.arraycopy(sealed, 0, out, header.length, sealed.length);
        return out;
    }

    private static byte[] header(String magic, int version, byte[] salt) {
        if (magic.length() != 4 || salt.length != SALT_LENGTH) {
            throw new IllegalArgumentException("magic is 4 ASCII characters, salt 32 bytes");
        }
        byte[] h = new byte[HEADER_LENGTH];
        for (int i = 0; i < 4; i++) {
            h[i] = (byte) magic.charAt(i);
        }
        h[4] = (byte) version;
        System.arraycopy(salt, 0, h, 5, SALT_LENGTH);
        return h;
    }

    /** The version byte after checking the magic; for a version check before any key is at hand. */
    public static int version(byte[] file, String magic, String object) throws CorruptObjectException {
        if (file.length < HEADER_LENGTH) {
            throw new CorruptObjectException(object, "too short (" + file.length + " bytes) to be a sealed file");
        }
        for (int i = 0; i < 4; i++) {
            if (file[i] != (byte) magic.charAt(i)) {
                throw new CorruptObjectException(object, "bad magic, expected " + magic);
            }
        }
        return file[4] & 0xff;
    }

    /** Checks magic and version window, authenticates and returns the content. */
    public static Opened open(byte[] encKey, byte[] file, String magic, int minVersion, int maxVersion, String kind,
                              String object) throws CorruptObjectException, UnsupportedVersionException {
        int version = version(file, magic, object);
        if (version < minVersion || version > maxVersion) {
            throw new UnsupportedVersionException(object, kind, version, minVersion, maxVersion);
        }
        byte[] salt = Arrays.copyOfRange(file, 5, HEADER_LENGTH);
        byte[] header = Arrays.copyOf(file, HEADER_LENGTH);
        SecretKey k = Hkdf.aesKey(encKey, salt, Hkdf.FILE_LABEL_PREFIX + magic);
        byte[] body;
        try {
            body = SegmentedAead.open(k, SegmentedAead.PURPOSE_FILE, 0, 1, header, file, HEADER_LENGTH,
                    file.length - HEADER_LENGTH);
        } catch (AEADBadTagException e) {
            throw new CorruptObjectException(object, "fails authentication (modified, truncated, or written by another repository)");
        }
        if (body.length < 1) {
            throw new CorruptObjectException(object, "empty body");
        }
        int flags = body[0] & 0xff;
        if ((flags & ~FLAG_ZSTD) != 0) {
            throw new CorruptObjectException(object, "unknown flags " + flags);
        }
        byte[] content;
        if ((flags & FLAG_ZSTD) != 0) {
            content = decompress(body, 1, body.length - 1, MAX_CONTENT, object);
        } else {
            content = Arrays.copyOfRange(body, 1, body.length);
        }
        return new Opened(version, content, body);
    }

    /**
     * Decompression contexts for reuse: creating one per blob costs more than a small blob's work.
     * A pool rather than thread-locals, because zstd-jni frees a context's native memory only when
     * it is closed, and threads come and go.
     */
    private static final java.util.Queue<com.github.luben.zstd.ZstdDecompressCtx> DECOMPRESS =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** Decompresses one zstd frame whose decompressed size must be known and at most {@code max}. */
    public static byte[] decompress(byte[] src, int off, int len, int max, String object) throws CorruptObjectException {
        if (len < 4) {
            throw new CorruptObjectException(object, "zstd frame of " + len + " bytes is truncated");
        }
        try {
            long size = Zstd.getFrameContentSize(src, off, len);
            if (size < 0 || size > max) {
                throw new CorruptObjectException(object, "zstd frame has no usable content size (" + size + ")");
            }
            byte[] out = new byte[(int) size];
            com.github.luben.zstd.ZstdDecompressCtx ctx = DECOMPRESS.poll();
            if (ctx == null) {
                ctx = new com.github.luben.zstd.ZstdDecompressCtx();
            }
            long n;
            try {
                n = ctx.decompressByteArray(out, 0, out.length, src, off, len);
            } catch (RuntimeException e) {
                ctx.close();
                throw e;
            }
            DECOMPRESS.offer(ctx);
            if (n != size) {
                throw new CorruptObjectException(object, "zstd frame decompressed to " + n + " bytes, announced " + size);
            }
            return out;
        } catch (ZstdException e) {
            throw new CorruptObjectException(object, "zstd: " + e.getMessage());
        }
    }

    /** An opened sealed file: its version, its content, and its body as stored (flags and payload). */
    public record Opened(int version, byte[] content, byte[] body) {
    }
}
