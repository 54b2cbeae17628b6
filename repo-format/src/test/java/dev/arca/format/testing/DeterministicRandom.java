package dev.arca.format.testing;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * A reproducible "secure" random source for golden vectors and tests: SHA-256 over
 * (seed, counter), never for real keys.
 */
public final class DeterministicRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final long seed;
    private long counter;

    public DeterministicRandom(long seed) {
        this.seed = seed;
    }

    @Override
    public synchronized void nextBytes(byte[] bytes) {
        int off = 0;
        while (off < bytes.length) {
            byte[] block = block(seed, counter++);
            int n = Math.min(block.length, bytes.length - off);
            System.arraycopy(block, 0, bytes, off, n);
            off += n;
        }
    }

    /** SHA-256 of {@code u64 LE seed || u64 LE counter}. */
    public static byte[] block(long seed, long counter) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            ByteBuffer b = ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(seed).putLong(counter);
            return md.digest(b.array());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code n} reproducible bytes: the concatenated SHA-256 of the counters 0, 1, 2, … (spec §16). */
    public static byte[] bytes(int n) {
        byte[] out = new byte[n];
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            ByteBuffer ctr = ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int off = 0, i = 0; off < n; off += 32, i++) {
                ctr.clear();
                ctr.putLong(i);
                byte[] h = md.digest(ctr.array());
                System.arraycopy(h, 0, out, off, Math.min(32, n - off));
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
