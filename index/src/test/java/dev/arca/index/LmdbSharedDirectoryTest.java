package dev.arca.index;

import static dev.arca.index.IndexFixtures.assertSameLocation;
import static dev.arca.index.IndexFixtures.firstLocations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arca.format.id.BlobId;
import dev.arca.format.index.BlobIndex.Loaded;
import dev.arca.format.index.BlobLocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LmdbBlobIndex} promises that several processes may share one cache directory. A second
 * JVM ({@link Child}) writes to the index while this one has it open; this one must then answer
 * from what is on disk.
 */
class LmdbSharedDirectoryTest {
    @TempDir
    Path tmp;

    /** The files both processes generate from the same seed. */
    static List<Loaded> files() {
        IndexFixtures f = new IndexFixtures(4242);
        List<Loaded> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            out.add(new Loaded(f.fileId(), f.file(2, 25)));
        }
        return out;
    }

    /** Many files, so that a rebuild spans several transactions (it commits every 256 files). */
    static List<Loaded> manyFiles() {
        IndexFixtures f = new IndexFixtures(777);
        List<Loaded> out = new ArrayList<>();
        for (int i = 0; i < 700; i++) {
            out.add(new Loaded(f.fileId(), f.file(1, 12)));
        }
        return out;
    }

    /**
     * Runs in a second JVM: {@code add <dir> <file>...}, {@code rebuild <dir> <file>...}, or
     * {@code rebuildMany <dir>}.
     */
    public static final class Child {
        public static void main(String[] args) throws IOException {
            if (args[0].equals("rebuildMany")) {
                List<Loaded> many = manyFiles();
                Map<dev.arca.format.id.FileId, dev.arca.format.index.IndexFile> byId = new java.util.HashMap<>();
                many.forEach(l -> byId.put(l.id(), l.content()));
                try (LmdbBlobIndex idx = LmdbBlobIndex.open(Path.of(args[1]))) {
                    idx.rebuild(byId.keySet(), byId::get);
                }
                return;
            }
            List<Loaded> all = files();
            List<Loaded> chosen = new ArrayList<>();
            for (int i = 2; i < args.length; i++) {
                chosen.add(all.get(Integer.parseInt(args[i])));
            }
            try (LmdbBlobIndex idx = LmdbBlobIndex.open(Path.of(args[1]))) {
                if (args[0].equals("add")) {
                    idx.add(chosen);
                } else {
                    idx.rebuild(chosen.stream().map(Loaded::id).collect(Collectors.toList()), id -> {
                        for (Loaded l : chosen) {
                            if (l.id().equals(id)) {
                                return l.content();
                            }
                        }
                        throw new IOException("unknown " + id);
                    });
                }
            }
        }
    }

    private Process startChild(Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens",
                "java.base/sun.nio.ch=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Child.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @Test
    void twoProcessesRebuildingAtOnceLeaveACompleteIndex() throws Exception {
        List<Loaded> many = manyFiles();
        for (int round = 0; round < 3; round++) {
            Path dir = tmp.resolve("race" + round);
            Process a = startChild(tmp.resolve("a" + round + ".log"), "rebuildMany", dir.toString());
            Thread.sleep(150L * round);
            Process b = startChild(tmp.resolve("b" + round + ".log"), "rebuildMany", dir.toString());
            assertTrue(a.waitFor(120, TimeUnit.SECONDS) && b.waitFor(120, TimeUnit.SECONDS), "children did not finish");
            assertEquals(0, a.exitValue(), Files.readString(tmp.resolve("a" + round + ".log")));
            assertEquals(0, b.exitValue(), Files.readString(tmp.resolve("b" + round + ".log")));
            try (LmdbBlobIndex idx = LmdbBlobIndex.open(dir)) {
                assertEquals(many.stream().map(Loaded::id).collect(Collectors.toSet()), idx.indexFiles());
                IndexFixtures.assertContent(idx, firstLocations(many));
            }
        }
    }

    private void runChild(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-opens");
        cmd.add("java.base/java.nio=ALL-UNNAMED");
        cmd.add("--add-opens");
        cmd.add("java.base/sun.nio.ch=ALL-UNNAMED");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Child.class.getName());
        cmd.addAll(List.of(args));
        Path log = tmp.resolve("child.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child did not finish");
        assertEquals(0, p.exitValue(), () -> {
            try {
                return "child failed:\n" + Files.readString(log);
            } catch (IOException e) {
                return "child failed";
            }
        });
    }

    @Test
    void anAddByAnotherProcessIsSeen() throws Exception {
        List<Loaded> files = files();
        Path dir = tmp.resolve("idx");
        try (LmdbBlobIndex idx = LmdbBlobIndex.open(dir)) {
            idx.add(files.subList(0, 1));
            runChild("add", dir.toString(), "1", "2");
            assertEquals(files.stream().map(Loaded::id).collect(Collectors.toSet()), idx.indexFiles());
            IndexFixtures.assertContent(idx, firstLocations(files));
        }
    }
    @Test
    void aRebuildByAnotherProcessIsSeen() throws Exception {
        List<Loaded> files = files();
        Path dir = tmp.resolve("idx");
        try (LmdbBlobIndex idx = LmdbBlobIndex.open(dir)) {
            idx.add(files);
            // Look everything up once, so whatever this process caches is warm.
            Map<BlobId, BlobLocation> expected = firstLocations(files);
            IndexFixtures.assertContent(idx, expected);
            // The other process rebuilds in another order: packs get other ordinals.
            runChild("rebuild", dir.toString(), "2", "1", "0");
            assertEquals(files.stream().map(Loaded::id).collect(Collectors.toSet()), idx.indexFiles());
            for (Map.Entry<BlobId, BlobLocation> e : expected.entrySet()) {
                assertSameLocation(e.getValue(), idx.find(e.getKey()), "blob " + e.getKey().shortHex());
            }
        }
    }
}
