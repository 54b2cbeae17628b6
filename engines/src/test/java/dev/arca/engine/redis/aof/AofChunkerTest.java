package dev.arca.engine.redis.aof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arca.chunker.FastCdc;
import dev.arca.format.repo.Repository;
import dev.arca.format.testing.TestRepos;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AofChunkerTest {
    static List<byte[]> chunks(FastCdc cdc, InputStream in) throws IOException {
        AofChunker c = new AofChunker(cdc, in, "t.aof", item -> { });
        List<byte[]> out = new ArrayList<>();
        for (byte[] b = c.next(); b != null; b = c.next()) {
            out.add(b);
        }
        return out;
    }

    static byte[] concat(List<byte[]> chunks) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        chunks.forEach(o::writeBytes);
        return o.toByteArray();
    }

    /** Small commands around one with a 20 MiB argument. */
    static byte[] fileWithAHugeArgument() {
        Random r = new Random(3);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        AofEngineTest.appendCommands(o, r, 1700000000L, 2000);
        byte[] big = new byte[20 << 20];
        r.nextBytes(big);
        o.writeBytes(("*3\r\n$3\r\nset\r\n$3\r\nbig\r\n$" + big.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        o.writeBytes(big);
        o.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        AofEngineTest.appendCommands(o, r, 1700000001L, 2000);
        return o.toByteArray();
    }

    @Test
    void aHugeArgumentIsCutInsideSoMemoryStaysBoundedAndCutsDoNotDependOnReadSizes() throws IOException {
        byte[] file = fileWithAHugeArgument();
        try (Repository repo = TestRepos.memory()) {
            List<byte[]> a = chunks(repo.chunker(), new ByteArrayInputStream(file));
            assertArrayEquals(file, concat(a));
            for (byte[] c : a) {
                assertTrue(c.length <= AofChunker.HARD_MAX, "chunk of " + c.length);
            }
            InputStream odd = new java.io.FilterInputStream(new ByteArrayInputStream(file)) {
                final Random r = new Random(1);

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return super.read(b, off, Math.min(len, 1 + r.nextInt(100_000)));
                }
            };
            List<byte[]> b = chunks(repo.chunker(), odd);
            assertEquals(a.stream().map(c -> c.length).toList(), b.stream().map(c -> c.length).toList());
        }
    }

    @Test
    void theScannerReturnsPartialsInsideAHugeArgument() throws IOException {
        byte[] file = fileWithAHugeArgument();
        ByteArrayOutputStream passed = new ByteArrayOutputStream();
        RespScanner sc = new RespScanner(new ByteArrayInputStream(file), "t.aof", passed::write);
        int partials = 0;
        RespScanner.Item last = null;
        for (RespScanner.Item it = sc.next(); it != null; it = sc.next()) {
            if (it instanceof RespScanner.Partial p) {
                partials++;
                assertEquals(passed.size(), p.end(), "the bytes so far have passed through");
            } else {
                last = it;
            }
        }
        assertTrue(partials >= 19, partials + " partials");
        assertInstanceOf(RespScanner.Command.class, last);
        assertEquals(file.length, sc.lastComplete());
        assertArrayEquals(file, passed.toByteArray());
    }

    @Test
    void aGrownFileIsCutAsBeforeUpToItsOldLastChunk() throws IOException {
        Random r = new Random(5);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (int i = 0; i < 40; i++) {
            AofEngineTest.appendCommands(o, r, 1700000000L + i, 200);
        }
        byte[] before = o.toByteArray();
        AofEngineTest.appendCommands(o, r, 1700000100L, 100);
        byte[] after = o.toByteArray();
        try (Repository repo = TestRepos.memory()) {
            List<byte[]> a = chunks(repo.chunker(), new ByteArrayInputStream(before));
            List<byte[]> b = chunks(repo.chunker(), new ByteArrayInputStream(after));
            assertTrue(a.size() > 10, a.size() + " chunks");
            for (int i = 0; i < a.size() - 1; i++) {
                assertArrayEquals(a.get(i), b.get(i), "chunk " + i);
            }
        }
    }
}
