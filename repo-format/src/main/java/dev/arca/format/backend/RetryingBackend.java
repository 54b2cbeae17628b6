package dev.arca.format.backend;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A decorator that retries a backend's operations that fail with a transient {@link IOException},
 * with bounded exponential backoff (and jitter). Every repository location is opened through one.
 *
 * <p>Not retried, because trying again cannot help: a missing file ({@link NoSuchFileException}),
 * a short read ({@link EOFException}), denied access, and a {@link PermanentBackendException}.
 * Reads of a range that fail midway resume from the byte they had reached (the attempts are
 * counted between reads that make progress). A listing is gathered
 * whole before the consumer sees it, so a retried listing still reports each file once.
 */
public final class RetryingBackend implements Backend {
    /** How many attempts and how long to wait between them. */
    public record Policy(int attempts, long firstDelayMillis, long maxDelayMillis) {
        /** 8 attempts, 50 ms doubling to 5 s: about 15 s of waiting before giving up. */
        public static final Policy DEFAULT = new Policy(8, 50, 5_000);

        public Policy {
            if (attempts < 1 || firstDelayMillis < 0 || maxDelayMillis < firstDelayMillis) {
                throw new IllegalArgumentException("bad retry policy");
            }
        }
    }

    private final Backend inner;
    private final Policy policy;

    public RetryingBackend(Backend inner, Policy policy) {
        this.inner = inner;
        this.policy = policy;
    }

    public static Backend wrap(Backend inner) {
        return inner instanceof RetryingBackend ? inner : new RetryingBackend(inner, Policy.DEFAULT);
    }

    /** The decorated backend. */
    public Backend inner() {
        return inner;
    }

    /** Whether trying the same operation again may succeed. */
    public static boolean isTransient(IOException e) {
        return !(e instanceof NoSuchFileException || e instanceof EOFException || e instanceof AccessDeniedException
                || e instanceof FileAlreadyExistsException || e instanceof NotDirectoryException
                || e instanceof InterruptedIOException || e instanceof PermanentBackendException);
    }

    @FunctionalInterface
    private interface Op<T> {
        T run() throws IOException;
    }

    private <T> T retry(Op<T> op) throws IOException {
        long delay = policy.firstDelayMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                return op.run();
            } catch (IOException e) {
                if (attempt >= policy.attempts() || !isTransient(e)) {
                    throw e;
                }
                sleep(delay);
                delay = Math.min(policy.maxDelayMillis(), Math.max(1, delay * 2));
            }
        }
    }

    private static void sleep(long millis) throws InterruptedIOException {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry");
        }
    }

    @Override
    public String location() {
        return inner.location();
    }

    @Override
    public void save(Handle handle, Payload payload) throws IOException {
        retry(() -> {
            inner.save(handle, payload);
            return null;
        });
    }

    @Override
    public InputStream openRange(Handle handle, long offset, long length) throws IOException {
        return new ResumingStream(handle, offset, length, retry(() -> inner.openRange(handle, offset, length)));
    }

    @Override
    public byte[] readRange(Handle handle, long offset, int length) throws IOException {
        return retry(() -> inner.readRange(handle, offset, length));
    }

    @Override
    public byte[] readAll(Handle handle) throws IOException {
        return retry(() -> inner.readAll(handle));
    }

    @Override
    public long size(Handle handle) throws IOException {
        return retry(() -> inner.size(handle));
    }

    @Override
    public boolean exists(Handle handle) throws IOException {
        return retry(() -> inner.exists(handle));
    }

    @Override
    public void list(FileType type, Consumer<FileInfo> consumer) throws IOException {
        List<FileInfo> all = retry(() -> {
            List<FileInfo> got = new ArrayList<>();
            inner.list(type, got::add);
            return got;
        });
        all.forEach(consumer);
    }

    @Override
    public void delete(Handle handle) throws IOException {
        retry(() -> {
            inner.delete(handle);
            return null;
        });
    }

    @Override
    public Path stagingDirectory() throws IOException {
        return inner.stagingDirectory();
    }

    @Override
    public void saveFile(Handle handle, Path file) throws IOException {
        if (inner.stagingDirectory() != null) {
            // A rename within the backend's own directory: nothing transient to retry, and a
            // half-done attempt would have consumed the file.
            inner.saveFile(handle, file);
            return;
        }
        Backend.super.saveFile(handle, file);
    }

    @Override
    public boolean isEmpty() throws IOException {
        return retry(inner::isEmpty);
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }

    /** A range stream that reopens the rest of its range when a read fails transiently. */
    private final class ResumingStream extends FilterInputStream {
        private final Handle handle;
        private final long offset;
        private final long length;
        private long pos;
        private int failures;

        ResumingStream(Handle handle, long offset, long length, InputStream first) {
            super(first);
            this.handle = handle;
            this.offset = offset;
            this.length = length;
        }

        /** Replaces the broken stream with one from where it broke; each failed attempt counts. */
        private void reopen(IOException cause) throws IOException {
            try {
                in.close();
            } catch (IOException ignored) {
                // The broken stream is dropped either way.
            }
            while (true) {
                if (!isTransient(cause) || ++failures >= policy.attempts()) {
                    throw cause;
                }
                sleep(Math.min(policy.maxDelayMillis(), policy.firstDelayMillis() << Math.min(failures - 1, 16)));
                long rest = length < 0 ? -1 : length - pos;
                try {
                    in = inner.openRange(handle, offset + pos, rest);
                    return;
                } catch (IOException e) {
                    cause = e;
                }
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (true) {
                try {
                    int n = in.read(b, off, len);
                    if (n > 0) {
                        pos += n;
                        // Attempts are bounded per stretch without progress, not per stream.
                        failures = 0;
                    }
                    return n;
                } catch (IOException e) {
                    reopen(e);
                }
            }
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(8192, Math.max(n, 1))];
            long done = 0;
            while (done < n) {
                int r = read(buf, 0, (int) Math.min(buf.length, n - done));
                if (r < 0) {
                    break;
                }
                done += r;
            }
            return done;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
