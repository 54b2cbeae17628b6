package dev.arca.fuzz.support;

import java.util.List;

/**
 * A source of choices for property checks. Two implementations: {@link RandomGen} (seeded, for the
 * many-iteration JUnit runs) and {@link FdpGen} (Jazzer's FuzzedDataProvider, for the fuzz targets),
 * so one property body serves both the regression suite and real fuzzing.
 */
public interface Gen {
    /** A value in {@code [lo, hi]}, both inclusive. */
    int intIn(int lo, int hi);

    /** A value in {@code [lo, hi]}, both inclusive. */
    long longIn(long lo, long hi);

    boolean bool();

    /** Exactly {@code n} bytes. */
    byte[] bytes(int n);

    default <T> T pick(List<T> options) {
        return options.get(intIn(0, options.size() - 1));
    }

    @SuppressWarnings("unchecked")
    default <T> T pick(T... options) {
        return options[intIn(0, options.length - 1)];
    }

    /**
     * Code points that stress UTF-8 handling: ASCII, two-, three- and four-byte sequences,
     * combining marks, right-to-left letters, U+FFFD, and the largest code point.
     */
    int[] CODE_POINTS = {
        'a', 'b', 'z', 'A', 'Z', '0', '9', ' ', '-', '_', '.', '~', '\'', '"', '\\', '%',
        0x7F, 0x80, 0xE9, 0xDF, 0xF1, 0x301, 0x3A9, 0x5D0, 0x627, 0x7FF,
        0x800, 0x65E5, 0x672C, 0x8A9E, 0xAC00, 0xFEFF, 0xFFFD, 0xFFFF,
        0x10000, 0x1F600, 0x1F468, 0x200D, 0x10FFFF,
    };

    /** A valid Unicode string (no lone surrogates) of up to {@code maxCodePoints} code points. */
    default String text(int maxCodePoints) {
        int n = intIn(0, maxCodePoints);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.appendCodePoint(CODE_POINTS[intIn(0, CODE_POINTS.length - 1)]);
        }
        return sb.toString();
    }
}
