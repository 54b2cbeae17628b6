package dev.arca.engine.redis.aof;

import dev.arca.engine.redis.Crc64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RespScannerTest {
    record Scan(List<RespScanner.Item> items, RespScanner scanner, byte[] passed) {
    }

    static Scan scan(InputStream in, String name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RespScanner sc = new RespScanner(in, name, out::write);
        List<RespScanner.Item> items = new ArrayList<>();
        for (RespScanner.Item it = sc.next(); it != null; it = sc.next()) {
            items.add(it);
        }
        return new Scan(items, sc, out.toByteArray());
    }

    static Scan scan(byte[] b) throws IOException {
        return scan(new ByteArrayInputStream(b), "test.aof");
    }

    @Test
    void everyFixtureParsesAndPassesThroughUnchangedWhateverTheReadSizes() throws IOException {
        for (String name : AofFixtures.RESP) {
            byte[] b = AofFixtures.load(name);
            for (boolean oneByte : new boolean[] {false, true}) {
                InputStream in = new ByteArrayInputStream(b);
                Scan s = scan(oneByte ? AofFixtures.oneByteAtATime(in) : in, name);
                assertArrayEquals(b, s.passed(), name);
                assertFalse(s.scanner().truncated(), name);
                assertEquals(b.length, s.scanner().offset(), name);
                assertEquals(b.length, s.scanner().lastComplete(), name);
                assertTrue(s.scanner().commands() > 0, name);
                long start = 0;
                for (RespScanner.Item it : s.items()) {
                    if (it instanceof RespScanner.Partial) {
                        continue;
                    }
                    assertEquals(start, it.start(), name + ": items are contiguous");
                    start = it.end();
                }
                assertEquals(b.length, start, name);
            }
        }
    }

    @Test
    void theTimestampedFixtureHas54Annotations() throws IOException {
        Scan s = scan(AofFixtures.load(AofFixtures.WITH_TS));
        assertEquals(54, s.scanner().annotations());
        assertEquals(54, s.items().stream().filter(i -> i instanceof RespScanner.Annotation a && a.timestamp() != null)
                .count());
        assertEquals(1643689035L, s.scanner().firstTimestamp());
        assertEquals(1643691449L, s.scanner().lastTimestamp());
        RespScanner.Command first = (RespScanner.Command) s.items().get(0);
        assertEquals("select", first.name());
    }

    @Test
    void anRdbPreambleIsFoundByItsCrc64AndFollowedByCommands() throws IOException {
        byte[] b = AofFixtures.load(AofFixtures.PREAMBLE);
        Scan s = scan(AofFixtures.oneByteAtATime(new ByteArrayInputStream(b)), "rdb-preamble.aof");
        RespScanner.Preamble p = assertInstanceOf(RespScanner.Preamble.class, s.items().get(0));
        assertEquals(10, p.header().version());
        assertEquals(0x61cb10d6L, p.header().ctime());
        assertEquals(AofFixtures.indexOf(b, "*2\r\n$6\r\nSELECT"), p.end());
        assertTrue(s.items().stream().anyMatch(i -> i instanceof RespScanner.Command c && c.name().equals("set")));
        assertFalse(s.scanner().truncated());
        assertArrayEquals(b, s.passed());
    }

    @Test
    void crc64MatchesTheCheckValue() {
        assertEquals(0xe9c6d914c4b8d9caL, Crc64.update(0, "123456789".getBytes(StandardCharsets.US_ASCII), 0, 9));
    }

    /** Every prefix of a file is either whole items or a torn tail ending after the last whole one. */
    @Test
    void everyPrefixIsATornTailAtTheRightOffset() throws IOException {
        byte[] b = AofFixtures.load(AofFixtures.WITH_TS);
        List<Long> ends = new ArrayList<>();
        for (RespScanner.Item it : scan(b).items()) {
            ends.add(it.end());
        }
        for (int n = 0; n <= b.length; n += (n < 300 ? 1 : 13)) {
            Scan s = scan(Arrays.copyOf(b, n));
            long expected = 0;
            for (long e : ends) {
                if (e <= n) {
                    expected = e;
                }
            }
            assertEquals(expected, s.scanner().lastComplete(), "prefix of " + n);
            assertEquals(expected != n, s.scanner().truncated(), "prefix of " + n);
            assertEquals(n, s.passed().length, "prefix of " + n + ": every byte passes through");
        }
    }

    @Test
    void aMultiWithoutExecAtTheEndIsATornTailAtTheMulti() throws IOException {
        String set = "*3\r\n$3\r\nset\r\n$1\r\nk\r\n$1\r\nv\r\n";
        String multi = "*1\r\n$5\r\nMULTI\r\n";
        Scan s = scan((set + multi + set).getBytes(StandardCharsets.US_ASCII));
        assertTrue(s.scanner().truncated());
        assertEquals(set.length(), s.scanner().lastComplete());
        Scan closed = scan((set + multi + set + "*1\r\n$4\r\nexec\r\n").getBytes(StandardCharsets.US_ASCII));
        assertFalse(closed.scanner().truncated());
    }

    @Test
    void garbageIsAnErrorNamingFileAndByteOffset() {
        byte[] b = AofFixtures.load("redis-replicator/appendonly5.aof");
        int at = AofFixtures.indexOf(b, "*3\r\n$3\r\nset");
        assertTrue(at > 0);
        byte[] bad = b.clone();
        bad[at] = 'x';
        AofFormatException e = assertThrows(AofFormatException.class, () -> scan(new ByteArrayInputStream(bad), "f.aof"));
        assertEquals(at, e.offset());
        assertTrue(e.getMessage().startsWith("f.aof: at byte offset " + at + ": expected '*'"), e.getMessage());

        byte[] bulk = b.clone();
        bulk[at + 5] = 'z';   // "$3" -> "$z"
        e = assertThrows(AofFormatException.class, () -> scan(new ByteArrayInputStream(bulk), "f.aof"));
        assertEquals(at + 4, e.offset());
        assertTrue(e.getMessage().contains("bad bulk length line '$z"), e.getMessage());

        byte[] crlf = b.clone();
        crlf[at + 11] = 'X';  // the CR after "set"
        e = assertThrows(AofFormatException.class, () -> scan(new ByteArrayInputStream(crlf), "f.aof"));
        assertEquals(at + 11, e.offset());
        assertTrue(e.getMessage().contains("not followed by CRLF"), e.getMessage());
    }

    @Test
    void damagedFixturesFailTypedOrPassThroughWhole() throws IOException {
        java.util.Random r = new java.util.Random(11);
        byte[][] inputs = {AofFixtures.load(AofFixtures.WITH_TS), AofFixtures.load(AofFixtures.PREAMBLE)};
        for (int i = 0; i < 3000; i++) {
            byte[] b = inputs[i % 2].clone();
            for (int k = 1 + r.nextInt(3); k > 0; k--) {
                b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            }
            try {
                Scan s = scan(b);
                assertArrayEquals(b, s.passed());
                assertTrue(s.scanner().lastComplete() <= b.length);
            } catch (AofFormatException e) {
                assertTrue(e.offset() >= 0 && e.offset() <= b.length, e.getMessage());
            }
        }
    }

    @Test
    void rdbHeaderReadsVersionAndCtime() {
        byte[] b = AofFixtures.load(AofFixtures.PREAMBLE);
        RdbHeader h = RdbHeader.parse(b, 0, b.length);
        assertNotNull(h);
        assertEquals(10, h.version());
        assertEquals(0x61cb10d6L, h.ctime());
    }
}
