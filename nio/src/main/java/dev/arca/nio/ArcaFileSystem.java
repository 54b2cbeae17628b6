package dev.arca.nio;

import dev.arca.format.repo.Repository;
import java.io.IOException;
import java.net.URI;
import java.nio.file.ClosedFileSystemException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.Set;

/**
 * One repository as a read-only {@link FileSystem}: the tree of {@link RepositoryTree}
 * ({@code /snapshots/<id>/...}, {@code /latest/<host>/...}). Made by
 * {@link ArcaFileSystemProvider}; closing it closes the repository if the provider opened it.
 * Safe for concurrent use; channels are not.
 */
public final class ArcaFileSystem extends FileSystem {
    private final ArcaFileSystemProvider provider;
    private final String key;
    private final RepositoryTree tree;
    private final boolean ownsRepository;
    private volatile boolean open = true;

    ArcaFileSystem(ArcaFileSystemProvider provider, String key, Repository repo, boolean ownsRepository) {
        this.provider = provider;
        this.key = key;
        this.tree = new RepositoryTree(repo);
        this.ownsRepository = ownsRepository;
    }

    RepositoryTree tree() {
        if (!open) {
            throw new ClosedFileSystemException();
        }
        return tree;
    }

    /** The repository location this file system was opened for (the part of its URIs before "!/"). */
    public String location() {
        return key;
    }

    URI uriOf(ArcaPath absolute) {
        return ArcaFileSystemProvider.uri(key, absolute.toString());
    }

    @Override
    public ArcaFileSystemProvider provider() {
        return provider;
    }

    @Override
    public void close() throws IOException {
        if (open) {
            open = false;
            provider.removed(this);
            if (ownsRepository) {
                tree.repository().close();
            }
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isReadOnly() {
        return true;
    }

    @Override
    public String getSeparator() {
        return "/";
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        return List.of(new ArcaPath(this, true, new String[0]));
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        return List.of(new ArcaFileStore(key));
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return Set.of("basic", "posix");
    }

    @Override
    public Path getPath(String first, String... more) {
        StringBuilder b = new StringBuilder(first);
        for (String m : more) {
            if (!m.isEmpty()) {
                b.append('/').append(m);
            }
        }
        return ArcaPath.parse(this, b.toString());
    }

    /** Glob and regex as the default file system reads them, matched against the path's string. */
    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        PathMatcher m = FileSystems.getDefault().getPathMatcher(syntaxAndPattern);
        return p -> m.matches(Path.of(p.toString()));
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        throw new UnsupportedOperationException("a snapshot's owners are names recorded in it, not accounts to look up");
    }

    @Override
    public WatchService newWatchService() {
        throw new UnsupportedOperationException("a snapshot never changes: nothing to watch");
    }
}
