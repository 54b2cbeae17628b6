package dev.arca.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arca.format.CorruptObjectException;
import dev.arca.fuzz.support.Guard;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The harness must be able to fail: Guard turns each kind of parser misbehaviour into a finding. */
class GuardTest {
    private static final List<Class<? extends Exception>> TYPED = List.of(CorruptObjectException.class);

    @Test
    void typedFailuresAndValuesPassThrough() {
        Guard.Outcome<String> ok = Guard.parse(3, TYPED, () -> "abc");
        assertTrue(ok.ok());
        assertEquals("abc", ok.value());
        Guard.Outcome<String> bad = Guard.parse(3, TYPED, () -> {
            throw new CorruptObjectException("x", "broken");
        });
        assertFalse(bad.ok());
        assertInstanceOf(CorruptObjectException.class, bad.failure());
    }

    @Test
    void uncheckedOrUndeclaredExceptionsAreFindings() {
        assertThrows(AssertionError.class, () -> Guard.parse(3, TYPED, () -> {
            throw new IllegalStateException("unchecked");
        }));
        assertThrows(AssertionError.class, () -> Guard.parse(3, TYPED, () -> {
            throw new java.io.IOException("not one of the allowed types");
        }));
    }

    @Test
    void allocatingFarMoreThanTheInputIsAFinding() {
        // 10 bytes of input may cost 16 MiB + 640 bytes; a parser that allocates 64 MiB trusted a length.
        assertThrows(AssertionError.class, () -> Guard.parse(10, TYPED, () -> new byte[64 << 20]));
        Guard.parse(1 << 20, TYPED, () -> new byte[32 << 20]); // 32 MiB for a 1 MiB input is within 64x + slack
    }
}
