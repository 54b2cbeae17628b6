package dev.arca.format.io;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** An input stream that ends after {@code limit} bytes and closes the underlying one. */
public final class LimitedInputStream extends FilterInputStream {
    private long left;

    public LimitedInputStream(InputStream in, long limit) {
        super(in);
        this.left = limit;
    }

    @Override
    public int read() throws IOException {
        if (left <= 0) {
            return -1;
        }
        int b = super.read();
        if (b >= 0) {
            left--;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (left <= 0) {
            return -1;
        }
        int r = super.read(b, off, (int) Math.min(len, left));
        if (r > 0) {
            left -= r;
        }
        return r;
    }

    @Override
    public long skip(long n) throws IOException {
        long s = super.skip(Math.min(n, left));
        left -= s;
        return s;
    }

    @Override
    public int available() throws IOException {
        return (int) Math.min(super.available(), left);
    }
}
