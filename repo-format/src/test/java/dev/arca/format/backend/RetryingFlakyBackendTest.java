package dev.arca.format.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite on a backend that fails 5% of its requests (and some reads midway),
 * behind the retrying decorator: every contract still holds.
 */
class RetryingFlakyBackendTest extends BackendConformanceTest {
    static final RetryingBackend.Policy FAST = new RetryingBackend.Policy(12, 1, 4);
    /** Seeds in test order, so that a failing run can be repeated. */
    private static final java.util.concurrent.atomic.AtomicLong SEEDS = new java.util.concurrent.atomic.AtomicLong();

    private FlakyBackend flaky;

    @Override
    protected Backend newBackend() {
        flaky = new FlakyBackend(new MemoryBackend(), 0.05, SEEDS.incrementAndGet());
        return new RetryingBackend(flaky, FAST);
    }

    @Test
    void failuresWereInjectedAndHidden() throws IOException {
        Handle h = handle(FileType.PACK, new Random(1));
        byte[] data = content(2, 1 << 20);
        for (int i = 0; i < 200; i++) {
            backend.save(h, Payload.of(data));
            assertArrayEquals(data, backend.readAll(h));
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 1000, 2000), backend.readRange(h, 1000, 1000));
        }
        assertTrue(flaky.failures() > 5, "only " + flaky.failures() + " failures in " + flaky.requests() + " requests");
    }

    @Test
    void permanentErrorsAreNotRetried() {
        int[] calls = {0};
        Backend broken = new RetryingBackend(new Backend() {
            @Override
            public String location() {
                return "broken";
            }

            @Override
            public void save(Handle handle, Payload payload) throws IOException {
                calls[0]++;
                throw new PermanentBackendException("bucket x does not exist");
            }

            @Override
            public java.io.InputStream openRange(Handle handle, long offset, long length) throws IOException {
                calls[0]++;
                throw new NoSuchFileException(handle.path());
            }

            @Override
            public long size(Handle handle) throws IOException {
                calls[0]++;
                throw new IOException("transient");
            }

            @Override
            public void list(FileType type, java.util.function.Consumer<FileInfo> consumer) {
            }

            @Override
            public void delete(Handle handle) {
            }

            @Override
            public boolean isEmpty() {
                return true;
            }
        }, FAST);
        assertThrows(PermanentBackendException.class, () -> broken.save(Handle.CONFIG, Payload.of(new byte[1])));
        assertEquals(1, calls[0]);
        assertThrows(NoSuchFileException.class, () -> broken.openRange(Handle.CONFIG, 0, -1));
        assertEquals(2, calls[0]);
        assertThrows(IOException.class, () -> broken.size(Handle.CONFIG));
        assertEquals(2 + FAST.attempts(), calls[0], "a transient error is tried " + FAST.attempts() + " times");
    }
}
