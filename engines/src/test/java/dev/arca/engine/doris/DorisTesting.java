package dev.arca.engine.doris;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Helpers for the Doris tests: run a backup, read a tree as (path → bytes). */
final class DorisTesting {
    private DorisTesting() {
    }

    static DorisBackup.Result backup(dev.arca.format.repo.Repository repo, Path dir, String label) throws IOException {
        return new DorisBackup(repo, dir, new DorisBackup.Options("test-host", "tester", List.of(), label)).run(o -> { });
    }

    /** Every regular file below {@code root}, by relative path, with its bytes; directories as "dir/". */
    static Map<String, byte[]> tree(Path root) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.equals(root)) {
                    continue;
                }
                String rel = root.relativize(p).toString();
                out.put(Files.isDirectory(p) ? rel + "/" : rel, Files.isDirectory(p) ? new byte[0] : Files.readAllBytes(p));
            }
        }
        return out;
    }

    /** The files (not directories) of a tree whose path starts with one of the prefixes. */
    static List<String> filesUnder(Map<String, byte[]> tree, List<String> prefixes) {
        List<String> out = new ArrayList<>();
        for (String k : tree.keySet()) {
            if (!k.endsWith("/") && prefixes.stream().anyMatch(k::startsWith)) {
                out.add(k);
            }
        }
        return out;
    }
}
