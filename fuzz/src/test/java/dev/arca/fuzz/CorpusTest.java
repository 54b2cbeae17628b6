package dev.arca.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Guards the seed corpus: every fuzz target has seeds in the directory Jazzer reads, no directory
 * is left behind by a renamed target, the corpus stays small, and the seeds keep meaning what their
 * names say: {@code valid-*} seeds are accepted by their target, designed-invalid ones rejected
 * ({@code random-*} seeds and reproducers named {@code crash-*} are free).
 */
class CorpusTest {
    private static final String PACKAGE = CorpusTest.class.getPackageName();

    private static Path testClasses() throws URISyntaxException {
        return Path.of(CorpusTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static Path packageDir() throws URISyntaxException {
        return testClasses().resolve(PACKAGE.replace('.', '/'));
    }

    /** Every @FuzzTest method of the test classes of this package. */
    private static List<Method> fuzzTests() throws IOException, URISyntaxException, ClassNotFoundException {
        List<Method> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(packageDir())) {
            for (Path p : files.collect(Collectors.toList())) {
                String f = p.getFileName().toString();
                if (!f.endsWith(".class") || f.contains("$")) {
                    continue;
                }
                Class<?> c = Class.forName(PACKAGE + "." + f.substring(0, f.length() - ".class".length()));
                for (Method m : c.getDeclaredMethods()) {
                    if (m.isAnnotationPresent(FuzzTest.class)) {
                        out.add(m);
                    }
                }
            }
        }
        return out;
    }

    private static Path seedDir(Method m) throws URISyntaxException {
        return packageDir().resolve(m.getDeclaringClass().getSimpleName() + "Inputs").resolve(m.getName());
    }

    private static List<Path> seeds(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void everyFuzzTestHasSeedsAndEverySeedDirectoryATest() throws Exception {
        List<Method> targets = fuzzTests();
        assertTrue(targets.size() >= 20, "found only " + targets.size() + " fuzz targets");
        Set<Path> expected = new HashSet<>();
        for (Method m : targets) {
            Path dir = seedDir(m);
            expected.add(dir);
            assertTrue(Files.isDirectory(dir), "no seed directory " + dir);
            assertTrue(seeds(dir).size() >= 2, "fewer than two seeds in " + dir);
        }
        try (Stream<Path> dirs = Files.list(packageDir())) {
            for (Path inputs : dirs.filter(d -> d.getFileName().toString().endsWith("Inputs")).collect(Collectors.toList())) {
                try (Stream<Path> sub = Files.list(inputs)) {
                    for (Path d : sub.collect(Collectors.toList())) {
                        assertTrue(Files.isDirectory(d), "a seed directly in " + inputs + " would run for every target: " + d);
                        assertTrue(expected.contains(d), "seed directory without a fuzz target: " + d);
                    }
                }
            }
        }
    }

    @Test
    void corpusStaysSmall() throws Exception {
        long bytes = 0;
        int files = 0;
        try (Stream<Path> all = Files.walk(packageDir())) {
            for (Path p : all.filter(Files::isRegularFile).filter(p -> p.toString().contains("Inputs"))
                    .collect(Collectors.toList())) {
                bytes += Files.size(p);
                files++;
            }
        }
        assertTrue(files > 0);
        assertTrue(bytes < 1 << 20, "seed corpus is " + bytes + " bytes");
        assertTrue(files < 150, "seed corpus has " + files + " files");
    }

    /** valid-* seeds are accepted, designed-invalid seeds rejected, by targets that take raw bytes. */
    @Test
    void seedsMeanWhatTheirNamesSay() throws Exception {
        int checked = 0;
        List<String> problems = new ArrayList<>();
        for (Method m : fuzzTests()) {
            if (m.getParameterCount() != 1 || m.getParameterTypes()[0] != byte[].class
                    || m.getDeclaringClass() == SeedsAreExecutedFuzzTest.class) {
                continue;
            }
            Method accepts = m.getDeclaringClass().getDeclaredMethod(m.getName() + "Accepts", byte[].class);
            assertTrue(Modifier.isStatic(accepts.getModifiers()));
            accepts.setAccessible(true);
            for (Path seed : seeds(seedDir(m))) {
                String name = seed.getFileName().toString();
                if (name.startsWith("random-") || name.startsWith("crash-")) {
                    continue;
                }
                boolean accepted = (boolean) accepts.invoke(null, (Object) Files.readAllBytes(seed));
                boolean valid = name.startsWith("valid-");
                if (accepted != valid) {
                    problems.add(m.getDeclaringClass().getSimpleName() + "#" + m.getName() + "/" + name + ": "
                            + (accepted ? "accepted" : "rejected"));
                }
                checked++;
            }
        }
        assertTrue(checked >= 50, "checked only " + checked + " seeds");
        assertEquals(List.of(), problems);
    }
}
