package dev.arca.nio;

import java.io.IOException;
import java.net.URI;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A path in an {@link ArcaFileSystem}: '/'-separated names, absolute when it starts with '/'.
 * Immutable. Lexical operations only; the repository is consulted by the provider.
 */
final class ArcaPath implements Path {
    private final ArcaFileSystem fs;
    private final boolean absolute;
    private final String[] names;

    ArcaPath(ArcaFileSystem fs, boolean absolute, String[] names) {
        this.fs = fs;
        this.absolute = absolute;
        this.names = names;
    }

    static ArcaPath parse(ArcaFileSystem fs, String path) {
        if (path.indexOf('\0') >= 0) {
            throw new java.nio.file.InvalidPathException(path, "NUL in a path");
        }
        return new ArcaPath(fs, path.startsWith("/"), RepositoryTree.split(path).toArray(String[]::new));
    }

    /** The names of the absolute, normalized path. */
    List<String> names() {
        ArcaPath p = (ArcaPath) toAbsolutePath().normalize();
        return List.of(p.names);
    }

    static ArcaPath check(Path p) {
        if (!(p instanceof ArcaPath a)) {
            throw new ProviderMismatchException("not an arca path: " + (p == null ? "null" : p.getClass().getName()));
        }
        return a;
    }

    @Override
    public ArcaFileSystem getFileSystem() {
        return fs;
    }

    @Override
    public boolean isAbsolute() {
        return absolute;
    }

    @Override
    public Path getRoot() {
        return absolute ? new ArcaPath(fs, true, new String[0]) : null;
    }

    @Override
    public Path getFileName() {
        return names.length == 0 ? null : new ArcaPath(fs, false, new String[] {names[names.length - 1]});
    }

    @Override
    public Path getParent() {
        if (names.length == 0 || names.length == 1 && !absolute) {
            return null;
        }
        return new ArcaPath(fs, absolute, Arrays.copyOf(names, names.length - 1));
    }

    @Override
    public int getNameCount() {
        return names.length;
    }

    @Override
    public Path getName(int index) {
        if (index < 0 || index >= names.length) {
            throw new IllegalArgumentException("no name " + index + " in " + this);
        }
        return new ArcaPath(fs, false, new String[] {names[index]});
    }

    @Override
    public Path subpath(int begin, int end) {
        if (begin < 0 || end > names.length || begin >= end) {
            throw new IllegalArgumentException("bad subpath " + begin + ".." + end + " of " + this);
        }
        return new ArcaPath(fs, false, Arrays.copyOfRange(names, begin, end));
    }

    @Override
    public boolean startsWith(Path other) {
        if (!(other instanceof ArcaPath o) || o.fs != fs || o.absolute != absolute || o.names.length > names.length) {
            return false;
        }
        return Arrays.equals(names, 0, o.names.length, o.names, 0, o.names.length);
    }

    @Override
    public boolean endsWith(Path other) {
        if (!(other instanceof ArcaPath o) || o.fs != fs || o.names.length > names.length
                || o.absolute && (!absolute || o.names.length != names.length)) {
            return false;
        }
        return Arrays.equals(names, names.length - o.names.length, names.length, o.names, 0, o.names.length);
    }

    @Override
    public Path normalize() {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            if (n.equals(".")) {
                continue;
            }
            if (n.equals("..") && !out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
                out.remove(out.size() - 1);
            } else if (n.equals("..") && absolute) {
                continue; // the root's parent is the root
            } else {
                out.add(n);
            }
        }
        return new ArcaPath(fs, absolute, out.toArray(String[]::new));
    }

    @Override
    public Path resolve(Path other) {
        ArcaPath o = check(other);
        if (o.absolute) {
            return o;
        }
        String[] joined = Arrays.copyOf(names, names.length + o.names.length);
        System.arraycopy(o.names, 0, joined, names.length, o.names.length);
        return new ArcaPath(fs, absolute, joined);
    }

    @Override
    public Path relativize(Path other) {
        ArcaPath o = check(other);
        if (o.absolute != absolute) {
            throw new IllegalArgumentException("cannot relativize " + other + " against " + this);
        }
        int common = 0;
        while (common < names.length && common < o.names.length && names[common].equals(o.names[common])) {
            common++;
        }
        List<String> out = new ArrayList<>();
        for (int i = common; i < names.length; i++) {
            out.add("..");
        }
        out.addAll(Arrays.asList(o.names).subList(common, o.names.length));
        return new ArcaPath(fs, false, out.toArray(String[]::new));
    }

    @Override
    public URI toUri() {
        return fs.uriOf((ArcaPath) toAbsolutePath().normalize());
    }

    @Override
    public Path toAbsolutePath() {
        return absolute ? this : new ArcaPath(fs, true, names);
    }

    @Override
    public Path toRealPath(LinkOption... options) throws IOException {
        ArcaPath abs = (ArcaPath) toAbsolutePath().normalize();
        if (fs.provider().entry(abs, options.length == 0) == null) {
            throw new NoSuchFileException(toString());
        }
        return abs;
    }

    @Override
    public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
        throw new UnsupportedOperationException("a snapshot never changes: nothing to watch");
    }

    @Override
    public int compareTo(Path other) {
        return toString().compareTo(check(other).toString());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArcaPath p && p.fs == fs && p.absolute == absolute && Arrays.equals(p.names, names);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(names) * 31 + (absolute ? 1 : 0);
    }

    @Override
    public String toString() {
        String s = String.join("/", names);
        return absolute ? "/" + s : s;
    }
}
