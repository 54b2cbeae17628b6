package dev.arca.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arca.engine.aerospike.AsbFormatException;
import dev.arca.engine.aerospike.AsbItem;
import dev.arca.engine.aerospike.AsbParser;
import dev.arca.engine.aerospike.AsbWriter;
import dev.arca.fuzz.support.Guard;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The Aerospike {@code .asb} parser on arbitrary bytes: items or an AsbFormatException, never a crash. */
class AsbParserFuzzTest {
    private static final List<Class<? extends Exception>> TYPED = List.of(AsbFormatException.class);

    /**
     * Any bytes: items or an AsbFormatException naming the file. What parses, written back by
     * AsbWriter, parses again to what writes the same bytes (the writer's output is stable).
     */
    @FuzzTest
    void parse(byte[] input) {
        parseAccepts(input);
    }

    static boolean parseAccepts(byte[] input) {
        Guard.Outcome<List<AsbItem>> o = Guard.parse(input.length, TYPED, () -> items(input));
        if (o.ok()) {
            try {
                byte[] once = write(o.value());
                byte[] twice = write(items(once));
                assertArrayEquals(once, twice, "writer output does not parse back to itself");
            } catch (IOException e) {
                throw new AssertionError("writer output does not parse: " + e.getMessage(), e);
            }
        }
        return o.ok();
    }

    static List<AsbItem> items(byte[] input) throws IOException {
        AsbParser p = new AsbParser(new ByteArrayInputStream(input), "fuzz.asb");
        List<AsbItem> out = new ArrayList<>();
        for (AsbItem it = p.next(); it != null; it = p.next()) {
            out.add(it);
        }
        p.version();
        return out;
    }

    static byte[] write(List<AsbItem> items) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AsbWriter w = new AsbWriter(out);
        w.header("3.1");
        for (AsbItem it : items) {
            w.write(it);
        }
        return out.toByteArray();
    }
}
