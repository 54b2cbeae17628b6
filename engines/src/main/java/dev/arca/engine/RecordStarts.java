package dev.arca.engine;

import java.util.Arrays;

/**
 * The stream offsets where records (Aerospike records, Redis keys, AOF commands) start, in
 * increasing order, as a chunker that cuts at record starts needs them: added as a parser finds
 * them, dropped once the bytes before them have been emitted. Memory is bounded by the records
 * within the bytes still pending.
 */
public final class RecordStarts {
    private long[] starts = new long[64];
    private int head;
    private int tail;

    /** Records a start; offsets must not decrease. */
    public void add(long offset) {
        if (tail == starts.length) {
            int live = tail - head;
            if (live * 2 > starts.length) {
                starts = Arrays.copyOf(starts, starts.length * 2);
            }
            System.arraycopy(starts, head, starts, 0, live);
            head = 0;
            tail = live;
        }
        starts[tail++] = offset;
    }

    /**
     * The first start at or after {@code offset}, or -1 if none is known yet; starts at or before
     * {@code emitted} (the offset of the first byte not yet emitted) are forgotten on the way.
     */
    public long firstAtOrAfter(long offset, long emitted) {
        while (head < tail && starts[head] <= emitted) {
            head++;
        }
        for (int i = head; i < tail; i++) {
            if (starts[i] >= offset) {
                return starts[i];
            }
        }
        return -1;
    }
}
