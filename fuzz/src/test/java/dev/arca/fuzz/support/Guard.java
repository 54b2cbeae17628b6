package dev.arca.fuzz.support;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Runs a parser of untrusted bytes and enforces the contract every such parser has: it returns,
 * or fails with one of the typed exceptions it declares. Anything else (a RuntimeException, an
 * unexpected checked exception) is turned into an {@link AssertionError}; Errors such as
 * OutOfMemoryError or StackOverflowError propagate untouched. Both are findings.
 *
 * <p>It also bounds the memory the call allocates: at most {@link #ALLOCATION_FACTOR} bytes per input
 * byte plus {@link #ALLOCATION_SLACK}. A parser that trusts a crafted length or count allocates far
 * more than that long before it runs out of heap, so this catches the bug on inputs that would not
 * yet crash a large heap.
 */
public final class Guard {
    public static final long ALLOCATION_FACTOR = 64;
    public static final long ALLOCATION_SLACK = 16L << 20;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Guard() {
    }

    /** A parse call. */
    @FunctionalInterface
    public interface Parse<T> {
        T run() throws Exception;
    }

    /** What a parse call did: exactly one of value and failure is set (value may be null for void calls). */
    public record Outcome<T>(T value, Exception failure) {
        public boolean ok() {
            return failure == null;
        }
    }

    /**
     * Runs {@code parse} on an input of {@code inputLength} bytes, accepting only failures that are
     * instances of one of {@code allowed}.
     */
    public static <T> Outcome<T> parse(long inputLength, List<Class<? extends Exception>> allowed, Parse<T> parse) {
        long limit = ALLOCATION_SLACK + ALLOCATION_FACTOR * inputLength;
        long before = THREADS.getCurrentThreadAllocatedBytes();
        Outcome<T> outcome = run(inputLength, allowed, parse);
        long used = THREADS.getCurrentThreadAllocatedBytes() - before;
        if (used > limit) {
            // The first call of a code path loads (and, when fuzzing, instruments) classes, which
            // allocates too. Parsers are deterministic: measure a second run, with everything loaded.
            before = THREADS.getCurrentThreadAllocatedBytes();
            run(inputLength, allowed, parse);
            used = THREADS.getCurrentThreadAllocatedBytes() - before;
            if (used > limit) {
                throw new AssertionError("parsing " + inputLength + " bytes allocated " + used + " bytes (limit " + limit
                        + "): a length or count from the input is trusted before it is checked");
            }
        }
        return outcome;
    }

    private static <T> Outcome<T> run(long inputLength, List<Class<? extends Exception>> allowed, Parse<T> parse) {
        try {
            return new Outcome<>(parse.run(), null);
        } catch (Exception e) {
            if (allowed.stream().noneMatch(c -> c.isInstance(e))) {
                throw new AssertionError("a parser of untrusted bytes threw " + e.getClass().getName()
                        + " on an input of " + inputLength + " bytes; only " + allowed + " may escape", e);
            }
            return new Outcome<>(null, e);
        }
    }
}
