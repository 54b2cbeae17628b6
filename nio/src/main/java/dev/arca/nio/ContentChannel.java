package dev.arca.nio;

import dev.arca.format.CorruptObjectException;
import dev.arca.format.id.BlobId;
import dev.arca.format.repo.Repository;
import dev.arca.format.tree.Node;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.util.Arrays;
import java.util.List;

/**
 * A file's content as a read-only seekable channel. Opening looks up every blob's length in the
 * index (no blob is read); a read loads only the blob that holds the position, so seeking into a
 * large file costs one blob. Memory holds one blob. Not safe for concurrent use.
 */
public final class ContentChannel implements SeekableByteChannel {
    private final Repository repo;
    private final String name;
    private final List<BlobId> ids;
    /** starts[i] is the file offset of blob i; starts[ids.size()] is the file's size. */
    private final long[] starts;
    private long position;
    private int loadedIndex = -1;
    private byte[] loaded;
    private boolean open = true;

    /**
     * @param name what errors call the file (its path)
     * @throws CorruptObjectException if the blobs' lengths do not add up to the node's size
     */
    public ContentChannel(Repository repo, Node file, String name) throws IOException {
        this.repo = repo;
        this.name = name;
        this.ids = repo.contentOf(file);
        this.starts = new long[ids.size() + 1];
        for (int i = 0; i < ids.size(); i++) {
            starts[i + 1] = starts[i] + repo.locate(ids.get(i)).rawLength();
        }
        if (starts[ids.size()] != file.size()) {
            throw new CorruptObjectException(name, "its blobs hold " + starts[ids.size()] + " bytes, the tree says "
                    + file.size());
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ensureOpen();
        long size = starts[ids.size()];
        if (position >= size) {
            return -1;
        }
        int total = 0;
        while (dst.hasRemaining() && position < size) {
            int i = blobAt(position);
            if (i != loadedIndex) {
                loaded = repo.loadBlob(ids.get(i));
                loadedIndex = i;
                if (loaded.length != starts[i + 1] - starts[i]) {
                    throw new CorruptObjectException(name, "blob " + ids.get(i).hex() + " has " + loaded.length
                            + " bytes, the index says " + (starts[i + 1] - starts[i]));
                }
            }
            int off = (int) (position - starts[i]);
            int n = Math.min(dst.remaining(), loaded.length - off);
            dst.put(loaded, off, n);
            position += n;
            total += n;
        }
        return total;
    }

    /** The blob holding {@code pos} (which is below the size). Empty blobs are skipped. */
    private int blobAt(long pos) {
        int i = Arrays.binarySearch(starts, pos);
        if (i < 0) {
            return -i - 2;
        }
        while (i + 1 < starts.length && starts[i + 1] == pos) {
            i++;
        }
        return i;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public long position() throws IOException {
        ensureOpen();
        return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
        ensureOpen();
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position " + newPosition);
        }
        position = newPosition;
        return this;
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        return starts[ids.size()];
    }

    @Override
    public SeekableByteChannel truncate(long size) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
        loaded = null;
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }
}
