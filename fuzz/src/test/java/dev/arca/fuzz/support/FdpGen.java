package dev.arca.fuzz.support;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.Arrays;

/** A {@link Gen} over Jazzer's {@link FuzzedDataProvider}; once the input is used up it yields zeros and minimums. */
public final class FdpGen implements Gen {
    private final FuzzedDataProvider data;

    public FdpGen(FuzzedDataProvider data) {
        this.data = data;
    }

    @Override
    public int intIn(int lo, int hi) {
        if (lo > hi) {
            throw new IllegalArgumentException(lo + " > " + hi);
        }
        long span = (long) hi - lo;
        if (span < 1L << 24) {
            return data.consumeInt(lo, hi);
        }
        // Wide ranges: mapped by hand, for the reasons given at longIn.
        return (int) (lo + Long.remainderUnsigned(data.consumeInt() & 0xFFFF_FFFFL, span + 1));
    }

    /**
     * Jazzer 0.24.0's {@code consumeLong(min, max)} misbehaves on huge ranges: over the whole long
     * range it divides by zero in native code (SIGFPE, the JVM dies), and over
     * {@code [0, Long.MAX_VALUE]} it has returned negative values. Huge ranges are therefore mapped
     * here from an unconstrained {@code consumeLong()}.
     */
    @Override
    public long longIn(long lo, long hi) {
        if (lo > hi) {
            throw new IllegalArgumentException(lo + " > " + hi);
        }
        long span = hi - lo; // unsigned, may exceed Long.MAX_VALUE
        if (span >= 0 && span < 1L << 40) {
            return data.consumeLong(lo, hi);
        }
        long v = data.consumeLong();
        return span == -1 ? v : lo + Long.remainderUnsigned(v, span + 1);
    }

    @Override
    public boolean bool() {
        return data.consumeBoolean();
    }

    @Override
    public byte[] bytes(int n) {
        byte[] b = data.consumeBytes(n);
        return b.length == n ? b : Arrays.copyOf(b, n);
    }
}
