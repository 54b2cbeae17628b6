package dev.arca.format.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM over segments of {@value #SEGMENT} bytes (STREAM, spec §4.3).
 *
 * <pre>
 * sealed(m) = GCM(K, nonce_0, aad, seg_0) || tag_0 || … || GCM(K, nonce_k, aad, seg_k) || tag_k
 * nonce_i   = u8 purpose || u8 final || u16 0 || u64 counter_i      (little-endian)
 * counter_i = counter0 + i × stride
 * </pre>
 *
 * An empty message is one empty segment. Thread-safe: each thread uses its own {@link Cipher}.
 */
public final class SegmentedAead {
    public static final int SEGMENT = 64 << 10;
    public static final int TAG = 16;
    /** Counter stride for objects whose counter is the segment's byte offset in a pack. */
    public static final int PACK_STRIDE = SEGMENT + TAG;

    public static final int PURPOSE_PACK_BLOB = 1;
    public static final int PURPOSE_PACK_HEADER = 2;
    public static final int PURPOSE_FILE = 3;
    public static final int PURPOSE_KEY = 4;

    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is unavailable in this JDK", e);
        }
    });

    private SegmentedAead() {
    }

    /** Stored size of an {@code n}-byte message. */
    public static long sealedLength(long n) {
        long segments = Math.max(1, (n + SEGMENT - 1) / SEGMENT);
        return n + segments * TAG;
    }

    /**
     * Plaintext size of a {@code sealed}-byte message, or -1 if no message seals to that size.
     */
    public static long plainLength(long sealed) {
        if (sealed < TAG) {
            return -1;
        }
        long full = sealed / (SEGMENT + TAG);
        long rest = sealed % (SEGMENT + TAG);
        if (rest == 0) {
            return full * SEGMENT;
        }
        // A last segment is empty only when it is the only one.
        if (rest < TAG || rest == TAG && full > 0) {
            return -1;
        }
        return full * SEGMENT + rest - TAG;
    }

    public static byte[] seal(SecretKey key, int purpose, long counter0, long stride, byte[] aad,
                              byte[] in, int off, int len) {
        byte[] out = new byte[Math.toIntExact(sealedLength(len))];
        seal(key, purpose, counter0, stride, aad, in, off, len, out, 0);
        return out;
    }

    /** Seals {@code in[off, off+len)} into {@code out} at {@code outOff}; returns the sealed length. */
    public static int seal(SecretKey key, int purpose, long counter0, long stride, byte[] aad,
                           byte[] in, int off, int len, byte[] out, int outOff) {
        Cipher c = CIPHER.get();
        byte[] nonce = new byte[12];
        int written = 0;
        int done = 0;
        long counter = counter0;
        try {
            do {
                int n = Math.min(SEGMENT, len - done);
                boolean last = done + n == len;
                nonce(nonce, purpose, last, counter);
                c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
                if (aad != null && aad.length > 0) {
                    c.updateAAD(aad);
                }
                written += c.doFinal(in, off + done, n, out, outOff + written);
                done += n;
                counter += stride;
            } while (done < len);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM sealing failed", e);
        }
        return written;
    }

    /**
     * Opens a sealed message.
     *
     * @throws AEADBadTagException when any segment fails authentication, including a wrong key,
     *                             a truncation, or a size no message seals to
     */
    public static byte[] open(SecretKey key, int purpose, long counter0, long stride, byte[] aad,
                              byte[] in, int off, int len) throws AEADBadTagException {
        long plain = plainLength(len);
        if (plain < 0) {
            throw new AEADBadTagException("sealed length " + len + " is not a possible message size");
        }
        byte[] out = new byte[(int) plain];
        Cipher c = CIPHER.get();
        byte[] nonce = new byte[12];
        int read = 0;
        int written = 0;
        long counter = counter0;
        try {
            do {
                int n = Math.min(SEGMENT + TAG, len - read);
                boolean last = read + n == len;
                nonce(nonce, purpose, last, counter);
                c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce));
                if (aad != null && aad.length > 0) {
                    c.updateAAD(aad);
                }
                written += c.doFinal(in, off + read, n, out, written);
                read += n;
                counter += stride;
            } while (read < len);
        } catch (AEADBadTagException e) {
            Arrays.fill(out, (byte) 0);
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM opening failed", e);
        }
        return out;
    }

    private static void nonce(byte[] nonce, int purpose, boolean last, long counter) {
        nonce[0] = (byte) purpose;
        nonce[1] = (byte) (last ? 1 : 0);
        nonce[2] = 0;
        nonce[3] = 0;
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (counter >>> (8 * i));
        }
    }
}
