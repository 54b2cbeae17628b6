package dev.arca.format.backend;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A test decorator that fails a fraction of requests at random with a plain {@link IOException},
 * the way a network store does: before the request, after it took effect (a save that was stored
 * but whose answer was lost), in the middle of a listing, or in the middle of a read.
 */
public final class FlakyBackend implements Backend {
    private final Backend inner;
    private final double rate;
    private final Random random;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();

    public FlakyBackend(Backend inner, double rate, long seed) {
        this.inner = inner;
        this.rate = rate;
        this.random = new Random(seed);
    }

    /** Failures injected so far. */
    public long failures() {
        return failures.get();
    }

    public long requests() {
        return requests.get();
    }

    private boolean roll() {
        requests.incrementAndGet();
        boolean fail;
        synchronized (random) {
            fail = random.nextDouble() < rate;
        }
        return fail;
    }

    private IOException injected(String what) {
        failures.incrementAndGet();
        return new IOException("injected failure: " + what);
    }

    private void maybeFail(String what) throws IOException {
        if (roll()) {
            throw injected(what);
        }
    }

    @Override
    public String location() {
        return inner.location();
    }

    @Override
    public void save(Handle handle, Payload payload) throws IOException {
        maybeFail("save " + handle);
        inner.save(handle, payload);
        maybeFail("answer to save " + handle);
    }

    @Override
    public InputStream openRange(Handle handle, long offset, long length) throws IOException {
        maybeFail("open " + handle);
        InputStream in = inner.openRange(handle, offset, length);
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                maybeFailRead();
                return super.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                maybeFailRead();
                return super.read(b, off, len);
            }

            private void maybeFailRead() throws IOException {
                // Per read call, so a long stream is not almost sure to fail.
                if (roll() && random.nextInt(8) == 0) {
                    throw injected("read " + handle);
                }
            }
        };
    }

    @Override
    public byte[] readRange(Handle handle, long offset, int length) throws IOException {
        maybeFail("read " + handle);
        return inner.readRange(handle, offset, length);
    }

    @Override
    public byte[] readAll(Handle handle) throws IOException {
        maybeFail("read " + handle);
        return inner.readAll(handle);
    }

    @Override
    public long size(Handle handle) throws IOException {
        maybeFail("stat " + handle);
        return inner.size(handle);
    }

    @Override
    public void list(FileType type, Consumer<FileInfo> consumer) throws IOException {
        maybeFail("list " + type);
        boolean failMidway = roll();
        int[] seen = {0};
        try {
            inner.list(type, f -> {
                if (failMidway && seen[0]++ == 1) {
                    throw new java.io.UncheckedIOException(injected("listing " + type + " midway"));
                }
                consumer.accept(f);
            });
        } catch (java.io.UncheckedIOException e) {
            if (String.valueOf(e.getCause().getMessage()).startsWith("injected failure")) {
                throw e.getCause();
            }
            throw e;
        }
    }

    @Override
    public void delete(Handle handle) throws IOException {
        maybeFail("delete " + handle);
        inner.delete(handle);
        maybeFail("answer to delete " + handle);
    }

    @Override
    public Path stagingDirectory() throws IOException {
        return inner.stagingDirectory();
    }

    @Override
    public void saveFile(Handle handle, Path file) throws IOException {
        if (inner.stagingDirectory() != null) {
            inner.saveFile(handle, file);
            return;
        }
        Backend.super.saveFile(handle, file);
    }

    @Override
    public boolean isEmpty() throws IOException {
        maybeFail("isEmpty");
        return inner.isEmpty();
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }
}
