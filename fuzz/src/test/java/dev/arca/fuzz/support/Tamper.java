package dev.arca.fuzz.support;

import java.util.Arrays;

/** Damage done to stored bytes: flips, truncation, extension, deletion, insertion, swapped ranges. */
public final class Tamper {
    private Tamper() {
    }

    /** A changed copy of {@code original} (it may come out equal; callers skip that case). */
    public static byte[] apply(byte[] original, Gen g) {
        byte[] b = original.clone();
        int rounds = g.intIn(1, 3);
        for (int r = 0; r < rounds; r++) {
            b = once(b, g);
        }
        return b;
    }

    private static byte[] once(byte[] b, Gen g) {
        int n = b.length;
        switch (g.intIn(0, 6)) {
            case 0, 1 -> { // flip bits in one byte
                if (n == 0) {
                    return b;
                }
                int at = g.intIn(0, n - 1);
                b[at] ^= (byte) g.intIn(1, 255);
                return b;
            }
            case 2 -> { // truncate
                return n == 0 ? b : Arrays.copyOf(b, g.intIn(0, n - 1));
            }
            case 3 -> { // append
                byte[] extra = g.bytes(g.intIn(1, 64));
                byte[] out = Arrays.copyOf(b, n + extra.length);
                System.arraycopy(extra, 0, out, n, extra.length);
                return out;
            }
            case 4 -> { // delete a range
                if (n == 0) {
                    return b;
                }
                int from = g.intIn(0, n - 1);
                int to = g.intIn(from + 1, n);
                byte[] out = new byte[n - (to - from)];
                System.arraycopy(b, 0, out, 0, from);
                System.arraycopy(b, to, out, from, n - to);
                return out;
            }
            case 5 -> { // insert bytes
                int at = g.intIn(0, n);
                byte[] extra = g.bytes(g.intIn(1, 64));
                byte[] out = new byte[n + extra.length];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(extra, 0, out, at, extra.length);
                System.arraycopy(b, at, out, at + extra.length, n - at);
                return out;
            }
            default -> { // swap two non-overlapping ranges of equal length
                if (n < 2) {
                    return b;
                }
                int len = g.intIn(1, n / 2);
                int a = g.intIn(0, n - 2 * len);
                int c = g.intIn(a + len, n - len);
                byte[] tmp = Arrays.copyOfRange(b, a, a + len);
                System.arraycopy(b, c, b, a, len);
                System.arraycopy(tmp, 0, b, c, len);
                return b;
            }
        }
    }
}
