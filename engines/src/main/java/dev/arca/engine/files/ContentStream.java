package dev.arca.engine.files;

import dev.arca.format.id.BlobId;
import dev.arca.format.repo.Repository;
import dev.arca.format.tree.Node;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** A file's content, read blob by blob: memory holds one blob at a time. */
public final class ContentStream extends InputStream {
    private final Repository repo;
    private final List<BlobId> ids;
    private int next;
    private byte[] current = new byte[0];
    private int pos;

    public ContentStream(Repository repo, Node file) throws IOException {
        this.repo = repo;
        this.ids = repo.contentOf(file);
    }

    private boolean fill() throws IOException {
        while (pos == current.length) {
            if (next == ids.size()) {
                return false;
            }
            current = repo.loadBlob(ids.get(next++));
            pos = 0;
        }
        return true;
    }

    @Override
    public int read() throws IOException {
        return fill() ? current[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }
}
