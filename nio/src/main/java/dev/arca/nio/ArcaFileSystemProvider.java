package dev.arca.nio;

import dev.arca.format.backend.LocalBackend;
import dev.arca.format.id.FileId;
import dev.arca.format.repo.Repository;
import dev.arca.index.LmdbBlobIndex;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.spi.FileSystemProvider;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code arca} scheme: a repository's snapshots, read-only, through {@code java.nio.file}.
 *
 * <p>URIs: {@code arca:///path/to/repository!/snapshots/<id>/home/ana/notes.txt} — the local
 * repository directory, {@code "!"}, then a path in the tree of {@link RepositoryTree}
 * ({@code /snapshots/<id or unique prefix>/...}, {@code /latest/<host>/...}). Percent-encode what a
 * URI cannot hold (spaces: {@code %20}). A repository path that holds "!/" cannot be named.
 *
 * <p>{@code FileSystems.newFileSystem(URI, Map)} opens the repository. The map may hold
 * {@value #PASSWORD} (a String or char[]), {@value #PASSWORD_FILE} (a file whose first line is
 * the password), {@value #CACHE_DIR} (where the local index cache lives, shared with the arca
 * command line) and {@value #REPOSITORY} (an open {@link Repository} to use instead; it is not
 * closed with the file system). Without them the environment is read as the command line reads it:
 * {@code ARCA_PASSWORD_FILE}, {@code ARCA_PASSWORD}, {@code ARCA_CACHE_DIR}. A repository
 * directory also opens with {@code FileSystems.newFileSystem(Path, Map)}.
 *
 * <p>Reading works as on any file system ({@code Files.walk}, {@code list}, {@code newInputStream},
 * seekable {@code newByteChannel}, basic and posix attributes, {@code readSymbolicLink}); every
 * change throws {@link ReadOnlyFileSystemException}. Symbolic links are followed within their
 * snapshot (absolute targets from the snapshot's root) when they are the last name of a path.
 */
public final class ArcaFileSystemProvider extends FileSystemProvider {
    public static final String SCHEME = "arca";
    public static final String PASSWORD = "password";
    public static final String PASSWORD_FILE = "passwordFile";
    public static final String CACHE_DIR = "cacheDir";
    public static final String REPOSITORY = "repository";
    private static final int MAX_LINKS = 40;

    private final Map<String, ArcaFileSystem> systems = new ConcurrentHashMap<>();

    @Override
    public String getScheme() {
        return SCHEME;
    }

    // ---------------------------------------------------------------- URIs and file systems

    /** [repository location, path in the tree] of an arca URI. */
    static String[] parts(URI uri) {
        if (!SCHEME.equalsIgnoreCase(uri.getScheme()) || uri.getPath() == null
                || uri.getRawAuthority() != null && !uri.getRawAuthority().isEmpty()) {
            throw new IllegalArgumentException("an arca URI looks like arca:///path/to/repository!/snapshots/<id>/..., got "
                    + uri);
        }
        String p = uri.getPath();
        int sep = p.indexOf("!/");
        String location = sep < 0 ? (p.endsWith("!") ? p.substring(0, p.length() - 1) : p) : p.substring(0, sep);
        String inner = sep < 0 ? "/" : p.substring(sep + 1);
        return new String[] {Path.of(location).toAbsolutePath().normalize().toString(), inner};
    }

    static URI uri(String location, String path) {
        try {
            return new URI(SCHEME, "", location + "!" + path, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) throws IOException {
        String location = parts(uri)[0];
        synchronized (systems) {
            if (systems.containsKey(location)) {
                throw new FileSystemAlreadyExistsException(location);
            }
            Object given = env.get(REPOSITORY);
            ArcaFileSystem fs = given instanceof Repository r ? new ArcaFileSystem(this, location, r, false)
                    : new ArcaFileSystem(this, location, open(location, env), true);
            systems.put(location, fs);
            return fs;
        }
    }

    /** Opens a repository directory; other paths are left to other providers. */
    @Override
    public FileSystem newFileSystem(Path path, Map<String, ?> env) throws IOException {
        if (path.getFileSystem() != java.nio.file.FileSystems.getDefault()
                || !Files.isRegularFile(path.resolve("config")) || !Files.isDirectory(path.resolve("keys"))) {
            throw new UnsupportedOperationException(path + " is not an arca repository directory");
        }
        return newFileSystem(uri(path.toAbsolutePath().normalize().toString(), "/"), env);
    }

    private static Repository open(String location, Map<String, ?> env) throws IOException {
        char[] password = password(env);
        Path cache = cacheDir(env);
        LocalBackend backend = new LocalBackend(Path.of(location));
        String where = FileId.of(backend.location().getBytes(StandardCharsets.UTF_8)).shortHex();
        try {
            return Repository.open(backend, password, id -> LmdbBlobIndex.open(cache.resolve(id).resolve("index-" + where)),
                    new SecureRandom());
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static char[] password(Map<String, ?> env) throws IOException {
        Object pw = env.get(PASSWORD);
        if (pw instanceof char[] c) {
            return c.clone();
        }
        if (pw instanceof String s) {
            return s.toCharArray();
        }
        Object file = env.get(PASSWORD_FILE);
        String f = file != null ? file.toString() : System.getenv("ARCA_PASSWORD_FILE");
        if (f != null && !f.isEmpty()) {
            String s = Files.readString(Path.of(f), StandardCharsets.UTF_8);
            int nl = s.indexOf('\n');
            return (nl < 0 ? s : s.substring(0, nl)).replace("\r", "").toCharArray();
        }
        String e = System.getenv("ARCA_PASSWORD");
        if (e != null && !e.isEmpty()) {
            return e.toCharArray();
        }
        throw new IllegalArgumentException("no password for the arca file system: put \"" + PASSWORD + "\" or \""
                + PASSWORD_FILE + "\" in the map, or set ARCA_PASSWORD_FILE or ARCA_PASSWORD");
    }

    private static Path cacheDir(Map<String, ?> env) {
        Object c = env.get(CACHE_DIR);
        if (c != null) {
            return Path.of(c.toString());
        }
        String e = System.getenv("ARCA_CACHE_DIR");
        if (e != null && !e.isEmpty()) {
            return Path.of(e);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        return (xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache"))
                .resolve("arca");
    }

    void removed(ArcaFileSystem fs) {
        systems.remove(fs.location(), fs);
    }

    @Override
    public FileSystem getFileSystem(URI uri) {
        ArcaFileSystem fs = systems.get(parts(uri)[0]);
        if (fs == null) {
            throw new FileSystemNotFoundException("no arca file system is open for " + parts(uri)[0]
                    + " (FileSystems.newFileSystem opens it)");
        }
        return fs;
    }

    @Override
    public Path getPath(URI uri) {
        return getFileSystem(uri).getPath(parts(uri)[1]);
    }

    // ---------------------------------------------------------------- resolving

    /** The entry at {@code path}, following a final symbolic link if {@code follow}; null if none. */
    VEntry entry(ArcaPath path, boolean follow) throws IOException {
        RepositoryTree tree = path.getFileSystem().tree();
        List<String> names = path.names();
        for (int hops = 0; ; hops++) {
            VEntry e = tree.resolve(names);
            if (e == null || !follow || e.kind() != VEntry.Kind.SYMLINK) {
                return e;
            }
            if (hops == MAX_LINKS) {
                throw new FileSystemException(path.toString(), null, "too many levels of symbolic links");
            }
            names = target(names, e.linkTarget());
        }
    }

    /** Where a link at {@code names} points, kept inside its snapshot (/snapshots/<id> or /latest/<host>). */
    private static List<String> target(List<String> names, String target) {
        List<String> root = names.subList(0, Math.min(2, names.size()));
        List<String> out = new ArrayList<>(target.startsWith("/") ? root : names.subList(0, names.size() - 1));
        for (String n : RepositoryTree.split(target)) {
            if (n.equals("..")) {
                if (out.size() > root.size()) {
                    out.remove(out.size() - 1);
                }
            } else if (!n.equals(".")) {
                out.add(n);
            }
        }
        return out;
    }

    private VEntry existing(Path path, LinkOption... options) throws IOException {
        VEntry e = entry(ArcaPath.check(path), !Arrays.asList(options).contains(LinkOption.NOFOLLOW_LINKS));
        if (e == null) {
            throw new NoSuchFileException(path.toString());
        }
        return e;
    }

    // ---------------------------------------------------------------- reading

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        for (OpenOption o : options) {
            if (o != StandardOpenOption.READ && o != LinkOption.NOFOLLOW_LINKS) {
                throw new ReadOnlyFileSystemException();
            }
        }
        VEntry e = entry(ArcaPath.check(path), !options.contains(LinkOption.NOFOLLOW_LINKS));
        if (e == null) {
            throw new NoSuchFileException(path.toString());
        }
        if (e.isDir()) {
            throw new FileSystemException(path.toString(), null, "is a directory");
        }
        if (!e.isFile()) {
            throw new FileSystemException(path.toString(), null, "not a regular file");
        }
        return ((ArcaPath) path).getFileSystem().tree().open(e, path.toString());
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
            throws IOException {
        VEntry e = existing(dir);
        if (!e.isDir()) {
            throw new NotDirectoryException(dir.toString());
        }
        List<Path> children = new ArrayList<>();
        ArcaPath d = ArcaPath.check(dir);
        d.getFileSystem().tree().list(e, c -> {
            Path p = d.resolve(c.name());
            if (filter.accept(p)) {
                children.add(p);
            }
        });
        return new DirectoryStream<>() {
            private boolean iterated;

            @Override
            public Iterator<Path> iterator() {
                if (iterated) {
                    throw new IllegalStateException("a directory stream iterates once");
                }
                iterated = true;
                return children.iterator();
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public Path readSymbolicLink(Path link) throws IOException {
        VEntry e = existing(link, LinkOption.NOFOLLOW_LINKS);
        if (e.kind() != VEntry.Kind.SYMLINK) {
            throw new NotLinkException(link.toString());
        }
        return link.getFileSystem().getPath(e.linkTarget());
    }

    @Override
    public boolean isSameFile(Path a, Path b) throws IOException {
        if (a.equals(b)) {
            return true;
        }
        if (!(a instanceof ArcaPath x) || !(b instanceof ArcaPath y) || x.getFileSystem() != y.getFileSystem()) {
            return false;
        }
        return x.toRealPath().equals(y.toRealPath());
    }

    @Override
    public boolean isHidden(Path path) {
        Path name = path.getFileName();
        return name != null && name.toString().startsWith(".");
    }

    @Override
    public FileStore getFileStore(Path path) throws IOException {
        existing(path);
        return new ArcaFileStore(ArcaPath.check(path).getFileSystem().location());
    }

    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
        VEntry e = existing(path);
        for (AccessMode m : modes) {
            if (m == AccessMode.WRITE) {
                throw new AccessDeniedException(path.toString(), null, "read-only file system");
            }
            if (m == AccessMode.EXECUTE && (e.mode() & 0111) == 0) {
                throw new AccessDeniedException(path.toString(), null, "not executable");
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
        if (type != BasicFileAttributeView.class && type != PosixFileAttributeView.class
                && type != java.nio.file.attribute.FileOwnerAttributeView.class) {
            return null;
        }
        return (V) new View(path, options);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
            throws IOException {
        if (type != BasicFileAttributes.class && type != PosixFileAttributes.class) {
            throw new UnsupportedOperationException("arca has basic and posix attributes, not " + type.getName());
        }
        return (A) new ArcaAttributes(existing(path, options));
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        int colon = attributes.indexOf(':');
        String view = colon < 0 ? "basic" : attributes.substring(0, colon);
        String names = colon < 0 ? attributes : attributes.substring(colon + 1);
        if (!view.equals("basic") && !view.equals("posix")) {
            throw new UnsupportedOperationException("arca has the basic and posix attribute views, not " + view);
        }
        return new ArcaAttributes(existing(path, options)).asMap(view, names);
    }

    /** The attribute views: reading as the snapshot recorded it; every change is refused. */
    private final class View implements PosixFileAttributeView {
        private final Path path;
        private final LinkOption[] options;

        View(Path path, LinkOption[] options) {
            this.path = path;
            this.options = options;
        }

        @Override
        public String name() {
            return "posix";
        }

        @Override
        public PosixFileAttributes readAttributes() throws IOException {
            return new ArcaAttributes(existing(path, options));
        }

        @Override
        public void setTimes(FileTime lastModifiedTime, FileTime lastAccessTime, FileTime createTime) {
            throw new ReadOnlyFileSystemException();
        }

        @Override
        public void setPermissions(Set<PosixFilePermission> perms) {
            throw new ReadOnlyFileSystemException();
        }

        @Override
        public void setGroup(GroupPrincipal group) {
            throw new ReadOnlyFileSystemException();
        }

        @Override
        public UserPrincipal getOwner() throws IOException {
            return readAttributes().owner();
        }

        @Override
        public void setOwner(UserPrincipal owner) {
            throw new ReadOnlyFileSystemException();
        }
    }

    // ---------------------------------------------------------------- changes: none

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public void createLink(Path link, Path existing) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public void delete(Path path) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) {
        throw new ReadOnlyFileSystemException();
    }
}
