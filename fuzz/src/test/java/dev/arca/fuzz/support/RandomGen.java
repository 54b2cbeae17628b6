package dev.arca.fuzz.support;

import java.util.SplittableRandom;

/** A {@link Gen} over a seeded {@link SplittableRandom}: reproducible from its seed. */
public final class RandomGen implements Gen {
    private final SplittableRandom random;

    public RandomGen(long seed) {
        this.random = new SplittableRandom(seed);
    }

    @Override
    public int intIn(int lo, int hi) {
        if (lo == hi) {
            return lo;
        }
        return hi == Integer.MAX_VALUE ? (int) random.nextLong(lo, (long) hi + 1) : random.nextInt(lo, hi + 1);
    }

    @Override
    public long longIn(long lo, long hi) {
        if (lo == hi) {
            return lo;
        }
        if (hi == Long.MAX_VALUE) {
            return lo == Long.MIN_VALUE ? random.nextLong() : random.nextLong(lo - 1, hi) + 1;
        }
        return random.nextLong(lo, hi + 1);
    }

    @Override
    public boolean bool() {
        return random.nextBoolean();
    }

    @Override
    public byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
