package dev.arca.format.crypto;

/**
 * Argon2id parameters of a key file (spec §5). The defaults, 2 passes over 64 MiB in 4 lanes, cost
 * an attacker 64 MiB and two passes per guess, and arca about 0.25 s (0.6 s before the JIT has
 * compiled bouncycastle's Argon2) on every command that opens the repository.
 */
public record KdfParams(int iterations, int memoryKib, int parallelism) {
    public static final KdfParams DEFAULT = new KdfParams(2, 64 * 1024, 4);
    /** Readers refuse parameters beyond these, so a crafted key file cannot exhaust memory or time. */
    public static final int MAX_MEMORY_KIB = 256 * 1024;
    public static final int MAX_ITERATIONS = 100;
    public static final int MAX_PARALLELISM = 64;

    public KdfParams {
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("Argon2id iterations must be 1.." + MAX_ITERATIONS + ", got " + iterations);
        }
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            throw new IllegalArgumentException("Argon2id parallelism must be 1.." + MAX_PARALLELISM + ", got " + parallelism);
        }
        if (memoryKib < 8 * parallelism || memoryKib > MAX_MEMORY_KIB) {
            throw new IllegalArgumentException("Argon2id memory must be " + 8 * parallelism + ".." + MAX_MEMORY_KIB
                    + " KiB, got " + memoryKib);
        }
    }
}
