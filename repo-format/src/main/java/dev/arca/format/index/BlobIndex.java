package dev.arca.format.index;

import dev.arca.format.id.BlobId;
import dev.arca.format.id.FileId;
import java.io.Closeable;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Answers "where is this blob?" from the repository's index files. A cache: the index files are
 * the authority, and an implementation can always be rebuilt from them.
 *
 * <p>Implementations are thread-safe: lookups run concurrently with each other and with one
 * writer adding index files. Memory use should not grow with the number of blobs (the LMDB
 * implementation keeps them on disk); {@link MemoryBlobIndex} is the reference for tests.
 */
public interface BlobIndex extends Closeable {
    /** The blob's location, or {@code null} if no merged index file lists it. */
    BlobLocation find(BlobId id) throws IOException;

    /**
     * A dense number for the blob, {@code 0 <= n < blobCount()}, stable until the next
     * {@link #rebuild}; or -1 if the blob is unknown. Sets of blobs are bitmaps over these.
     */
    long ordinal(BlobId id) throws IOException;

    /**
     * The index files merged so far. An implementation whose content is incomplete (an
     * interrupted rebuild) returns an empty set, so that the caller rebuilds it.
     */
    Set<FileId> indexFiles() throws IOException;

    /** Merges index files; a file already merged is skipped. */
    void add(List<Loaded> files) throws IOException;

    /**
     * Replaces the whole content with the given index files, loaded through {@code loader}.
     * Implementations may load them in any order and in bounded batches.
     */
    void rebuild(Collection<FileId> ids, Loader loader) throws IOException;

    /** Number of distinct blobs known. */
    long blobCount() throws IOException;

    /** Visits every known blob once. */
    void forEach(Visitor visitor) throws IOException;

    /** An index file and its content. */
    record Loaded(FileId id, IndexFile content) {
    }

    /** Loads an index file's content. */
    @FunctionalInterface
    interface Loader {
        /** The content, or null to leave the file out (it is then not counted as merged). */
        IndexFile load(FileId id) throws IOException;
    }

    @FunctionalInterface
    interface Visitor {
        void visit(BlobLocation location) throws IOException;
    }

    @Override
    default void close() throws IOException {
    }
}
