package dev.arca.chunker;

/**
 * Minimum, average and maximum chunk sizes of {@code fastcdc-v1}.
 *
 * <p>Constraints (spec §12): {@code 64 <= min < avg < max <= 64 MiB} and {@code avg} a power of
 * two. The sizes are a repository parameter: chunks cut with other sizes still read back, but do
 * not deduplicate against chunks cut with these.
 */
public record ChunkerParams(int min, int avg, int max) {
    /** The algorithm name stored in the repository config. */
    public static final String ALGORITHM = "fastcdc-v1";
    public static final int LOWEST_MIN = 64;
    public static final int HIGHEST_MAX = 64 << 20;
    /** 256 KiB / 1 MiB / 8 MiB. */
    public static final ChunkerParams DEFAULT = new ChunkerParams(256 << 10, 1 << 20, 8 << 20);

    public ChunkerParams {
        if (min < LOWEST_MIN || min >= avg || avg >= max || max > HIGHEST_MAX) {
            throw new IllegalArgumentException(
                    "chunk sizes must satisfy 64 <= min < avg < max <= 64 MiB, got min " + min
                            + ", avg " + avg + ", max " + max);
        }
        if (Integer.bitCount(avg) != 1) {
            throw new IllegalArgumentException("average chunk size must be a power of two, got " + avg);
        }
    }

    /** log2 of the average size. */
    public int averageBits() {
        return Integer.numberOfTrailingZeros(avg);
    }
}
