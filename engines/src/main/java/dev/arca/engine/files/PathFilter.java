package dev.arca.engine.files;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --include} patterns over paths inside a snapshot ({@code /home/ana/notes.txt}). A
 * pattern without '/' matches an entry's name, one with '/' is a glob over its path; an entry is
 * included when it or one of its directories matches. No pattern includes everything.
 */
public final class PathFilter {
    public static final PathFilter ALL = new PathFilter(List.of());

    private final List<String> patterns;
    private final List<PathMatcher> byName = new ArrayList<>();
    private final List<PathMatcher> byPath = new ArrayList<>();

    public PathFilter(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
        for (String p : patterns) {
            if (p.isEmpty()) {
                throw new IllegalArgumentException("empty include pattern");
            }
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + p);
            (p.contains("/") ? byPath : byName).add(m);
        }
    }

    /** Whether the entry at {@code path} (starting with '/') is included. */
    public boolean includes(String path, boolean isDir) {
        if (patterns.isEmpty()) {
            return true;
        }
        for (String at = path; !at.isEmpty(); at = at.substring(0, Math.max(0, at.lastIndexOf('/')))) {
            if (matches(at)) {
                return true;
            }
        }
        return false;
    }

    private boolean matches(String path) {
        Path p = Path.of(path);
        Path name = p.getFileName();
        for (PathMatcher m : byName) {
            if (name != null && m.matches(name)) {
                return true;
            }
        }
        for (PathMatcher m : byPath) {
            if (m.matches(p)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether something below the directory {@code dir} might be included, so the walk must enter
     * it. Exact for patterns without glob characters, conservative for the others.
     */
    public boolean mayIncludeBelow(String dir) {
        if (patterns.isEmpty() || !byName.isEmpty()) {
            return true;
        }
        for (String p : patterns) {
            boolean literal = p.chars().noneMatch(c -> "*?[{\\".indexOf(c) >= 0);
            if (!literal || p.startsWith(dir + "/")) {
                return true;
            }
        }
        return false;
    }
}
