package dev.arca.chunker;

/**
 * One cut decision of {@code fastcdc-v1} (spec §12). Stateless and thread-safe.
 *
 * <p>The loop is written for the JIT: locals only, no bounds other than the array's, one branch
 * per byte.
 */
public final class FastCdc {
    private final long[] gear;
    private final int min;
    private final int avg;
    private final int max;
    private final long maskS;
    private final long maskL;
    private final ChunkerParams params;

    public FastCdc(GearTable table, ChunkerParams params) {
        this(table.array(), params);
    }

    private FastCdc(long[] gear, ChunkerParams params) {
        this.gear = gear;
        this.params = params;
        this.min = params.min();
        this.avg = params.avg();
        this.max = params.max();
        int bits = params.averageBits();
        this.maskS = topBits(bits + 2);
        this.maskL = topBits(bits - 2);
    }

    private static long topBits(int n) {
        return n <= 0 ? 0 : -1L << (64 - n);
    }

    public ChunkerParams params() {
        return params;
    }

    /**
     * The same (secret) gear table with other sizes: for an engine that cuts its own streams
     * finer, such as record-aligned database backups. Its chunks do not deduplicate against
     * chunks cut with the repository's sizes.
     */
    public FastCdc withParams(ChunkerParams other) {
        return new FastCdc(gear, other);
    }

    /**
     * Returns the length of the chunk that starts at {@code data[off]}, given that {@code len}
     * bytes are available there. The caller must pass at least {@code max} bytes unless the
     * stream ends within them, or the cut may differ from the one the full stream would get.
     */
    public int cut(byte[] data, int off, int len) {
        if (len <= min) {
            return len;
        }
        int limit = Math.min(len, max);
        int normal = Math.min(avg, limit);
        final long[] g = gear;
        final long ms = maskS;
        final long ml = maskL;
        long h = 0;
        int i = off + min;
        int end = off + normal;
        for (; i < end; i++) {
            h = (h << 1) + g[data[i] & 0xff];
            if ((h & ms) == 0) {
                return i + 1 - off;
            }
        }
        end = off + limit;
        for (; i < end; i++) {
            h = (h << 1) + g[data[i] & 0xff];
            if ((h & ml) == 0) {
                return i + 1 - off;
            }
        }
        return limit;
    }
}
