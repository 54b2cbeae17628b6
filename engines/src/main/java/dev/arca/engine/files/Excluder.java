package dev.arca.engine.files;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --exclude} patterns, as restic users know them: a pattern without '/' matches a file or
 * directory name anywhere ({@code *.log}, {@code node_modules}); a pattern with '/' is a glob over
 * the absolute path ({@code /home/*}{@code /.cache}, {@code **}{@code /target}). An excluded
 * directory is skipped with everything in it. Glob syntax is the JDK's: {@code *}, {@code ?},
 * {@code [a-z]}, {@code {a,b}}, and {@code **} across directories.
 */
public final class Excluder {
    public static final Excluder NONE = new Excluder(List.of());

    private final List<PathMatcher> byName = new ArrayList<>();
    private final List<PathMatcher> byPath = new ArrayList<>();

    public Excluder(List<String> patterns) {
        for (String p : patterns) {
            if (p.isEmpty()) {
                throw new IllegalArgumentException("empty exclude pattern");
            }
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + p);
            (p.contains("/") ? byPath : byName).add(m);
        }
    }

    public boolean excludes(Path absolute, String name) {
        if (!byName.isEmpty()) {
            Path n = Path.of(name);
            for (PathMatcher m : byName) {
                if (m.matches(n)) {
                    return true;
                }
            }
        }
        for (PathMatcher m : byPath) {
            if (m.matches(absolute)) {
                return true;
            }
        }
        return false;
    }
}
