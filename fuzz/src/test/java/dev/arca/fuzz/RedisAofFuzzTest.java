package dev.arca.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arca.engine.redis.aof.AofFormatException;
import dev.arca.engine.redis.aof.AofManifest;
import dev.arca.engine.redis.aof.RespScanner;
import dev.arca.fuzz.support.Guard;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.stream.Collectors;

/** The Redis AOF scanner and manifest parser on arbitrary bytes: results or an AofFormatException, never a crash. */
class RedisAofFuzzTest {
    private static final List<Class<? extends Exception>> TYPED = List.of(AofFormatException.class);

    /**
     * Any bytes: items or an AofFormatException. Every byte reaches the sink exactly once, in order;
     * items are contiguous; a file that is not torn is complete up to its end.
     */
    @FuzzTest
    void scan(byte[] input) {
        scanAccepts(input);
    }

    /** Accepted: scanned without a format error and without a torn tail. */
    static boolean scanAccepts(byte[] input) {
        ByteArrayOutputStream passed = new ByteArrayOutputStream();
        Guard.Outcome<RespScanner> o = Guard.parse(input.length, TYPED, () -> {
            passed.reset();
            RespScanner sc = new RespScanner(new ByteArrayInputStream(input), "fuzz.aof", passed::write);
            long at = 0;
            for (RespScanner.Item it = sc.next(); it != null; it = sc.next()) {
                if (it instanceof RespScanner.Partial) {
                    continue;
                }
                assertEquals(at, it.start(), "items are contiguous");
                assertTrue(it.end() > it.start() && it.end() <= input.length, "item inside the input");
                at = it.end();
            }
            return sc;
        });
        if (!o.ok()) {
            return false;
        }
        RespScanner sc = o.value();
        assertArrayEquals(input, passed.toByteArray(), "every byte passes through once");
        assertTrue(sc.lastComplete() <= input.length);
        if (!sc.truncated()) {
            assertEquals(input.length, sc.lastComplete());
        }
        return !sc.truncated();
    }

    /** Any bytes: a manifest or an AofFormatException; keeping every file gives the input back. */
    @FuzzTest
    void parseManifest(byte[] input) {
        parseManifestAccepts(input);
    }

    static boolean parseManifestAccepts(byte[] input) {
        Guard.Outcome<AofManifest> o = Guard.parse(input.length, TYPED, () -> AofManifest.parse(input, "fuzz.manifest"));
        if (o.ok()) {
            AofManifest m = o.value();
            assertArrayEquals(input, m.keeping(m.entries().stream().map(AofManifest.Entry::name)
                    .collect(Collectors.toSet())), "keeping every file changes nothing");
        }
        return o.ok();
    }
}
