package dev.arca.format.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The conformance suite on the reference backend. */
class MemoryBackendTest extends BackendConformanceTest {
    @Override
    protected Backend newBackend() {
        return new MemoryBackend();
    }

    /** Overridden only to disable it here; the base class states the check. */
    @Override
    @Test
    public void rangeWithHugeLengthReadsToTheEnd() throws IOException {
        super.rangeWithHugeLengthReadsToTheEnd();
    }

    @Test
    void overwriteReplacesTheStoredBytesForCorruptionTests() throws IOException {
        MemoryBackend mem = (MemoryBackend) backend;
        Handle h = handle(FileType.INDEX, new Random(300));
        save(h, content(301, 100));
        byte[] garbage = content(302, 50);
        byte[] copy = garbage.clone();
        mem.overwrite(h, garbage);
        garbage[0] ^= 1;
        assertStored(h, copy);
        Handle fresh = handle(FileType.PACK, new Random(303));
        mem.overwrite(fresh, new byte[] {1, 2});
        assertEquals(Map.of(fresh, 2L), listed(FileType.PACK));
        assertArrayEquals(new byte[] {1, 2}, backend.readAll(fresh));
    }
}
