package dev.arca.fuzz.support;

import java.security.SecureRandom;
import java.util.SplittableRandom;

/**
 * A {@link SecureRandom} that is not random at all: the same seed gives the same bytes. For
 * reproducible test objects (salts, repository ids, master keys) only.
 */
public final class FixedRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final transient SplittableRandom random;

    public FixedRandom(long seed) {
        this.random = new SplittableRandom(seed);
    }

    @Override
    public synchronized void nextBytes(byte[] bytes) {
        random.nextBytes(bytes);
    }

    @Override
    public byte[] generateSeed(int n) {
        byte[] b = new byte[n];
        nextBytes(b);
        return b;
    }

    @Override
    public synchronized void setSeed(long seed) {
        // Ignored: the sequence depends only on the constructor's seed.
    }

    @Override
    public synchronized void setSeed(byte[] seed) {
        // Ignored, as above.
    }
}
