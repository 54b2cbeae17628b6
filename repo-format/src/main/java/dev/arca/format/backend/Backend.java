package dev.arca.format.backend;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Where a repository's files live. Implementations are thread-safe.
 *
 * <p>Contract, which the conformance suite checks:
 * <ul>
 *   <li>{@link #save} is atomic: afterwards the file is complete and durable; a crash at any point
 *       leaves it absent or complete, never partial. Saving a name that exists replaces it (names
 *       are content hashes, so the bytes are the same).</li>
 *   <li>Reading, stat-ing or ranging over a missing file throws {@link NoSuchFileException}.</li>
 *   <li>{@link #list} reports complete files only (never temporary ones), each once.</li>
 *   <li>Deleting a missing file is not an error.</li>
 * </ul>
 */
public interface Backend extends Closeable {
    /** Where it is, as shown to people ({@code /srv/arca}, {@code s3:bucket/prefix}). */
    String location();

    /** Stores the file atomically and durably. */
    void save(Handle handle, Payload payload) throws IOException;

    /**
     * Opens {@code length} bytes of the file from {@code offset}; {@code length < 0} means to the
     * end. A range beyond the end yields the bytes that exist; the caller checks lengths.
     */
    InputStream openRange(Handle handle, long offset, long length) throws IOException;

    /** The file's size in bytes. */
    long size(Handle handle) throws IOException;

    /** Calls {@code consumer} once for every complete file of this type. */
    void list(FileType type, Consumer<FileInfo> consumer) throws IOException;

    void delete(Handle handle) throws IOException;

    /**
     * A local directory where writers may build files that {@link #saveFile} then stores cheaply
     * (a rename on the same file system), or null if the backend has none. Files there end in
     * {@code .tmp}; readers never see them.
     */
    default Path stagingDirectory() throws IOException {
        return null;
    }

    /**
     * Stores a local file under {@code handle}, atomically and durably like {@link #save}, and
     * removes the local file. For a file in {@link #stagingDirectory()} this is a rename.
     */
    default void saveFile(Handle handle, Path file) throws IOException {
        long size = Files.size(file);
        save(handle, new Payload() {
            @Override
            public long length() {
                return size;
            }

            @Override
            public InputStream open() throws IOException {
                return Files.newInputStream(file);
            }
        });
        Files.delete(file);
    }

    /** Whether anything at all is stored (used by {@code init} to refuse a non-empty location). */
    boolean isEmpty() throws IOException;

    /** A listed file. */
    record FileInfo(Handle handle, long size) {
    }

    default boolean exists(Handle handle) throws IOException {
        try {
            size(handle);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** Reads a whole range into memory; for bounded objects (a blob, a header, an index file). */
    default byte[] readRange(Handle handle, long offset, int length) throws IOException {
        try (InputStream in = openRange(handle, offset, length)) {
            byte[] out = in.readNBytes(length);
            if (out.length != length) {
                throw new java.io.EOFException(handle.path() + ": wanted " + length + " bytes at offset " + offset
                        + ", the file ends after " + out.length);
            }
            return out;
        }
    }

    default byte[] readAll(Handle handle) throws IOException {
        try (InputStream in = openRange(handle, 0, -1)) {
            return in.readAllBytes();
        }
    }

    @Override
    default void close() throws IOException {
    }
}
