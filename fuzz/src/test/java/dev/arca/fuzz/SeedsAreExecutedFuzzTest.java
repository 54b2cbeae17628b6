package dev.arca.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arca.format.id.FileId;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;

/**
 * Proves the corpus layout is the one this Jazzer version reads: in regression mode the target
 * must have run on exactly Jazzer's empty input plus every file of its seed directory
 * ({@code SeedsAreExecutedFuzzTestInputs/echo/}). If a Jazzer upgrade moved the layout, the other
 * targets would silently run on the empty input only; this fails instead.
 */
class SeedsAreExecutedFuzzTest {
    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

    @FuzzTest
    void echo(byte[] input) {
        SEEN.add(FileId.of(input).hex());
    }

    @AfterAll
    static void everySeedFileRan() throws IOException, URISyntaxException {
        String fuzz = System.getenv("JAZZER_FUZZ");
        if (fuzz != null && !fuzz.isEmpty() && !fuzz.equals("0") && !fuzz.equalsIgnoreCase("false")) {
            return; // fuzzing: the inputs are the fuzzer's
        }
        URL dir = SeedsAreExecutedFuzzTest.class.getResource("SeedsAreExecutedFuzzTestInputs/echo");
        assertTrue(dir != null, "seed directory not on the class path");
        Set<String> expected;
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
            List<Path> list = files.filter(Files::isRegularFile).collect(Collectors.toList());
            assertTrue(list.size() >= 2, "too few seeds to prove anything");
            expected = list.stream().map(p -> {
                try {
                    return FileId.of(Files.readAllBytes(p)).hex();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).collect(Collectors.toSet());
        }
        expected.add(FileId.of(new byte[0]).hex());
        assertEquals(expected, SEEN, "the fuzz target did not run on exactly the empty input and its seed files");
    }
}
