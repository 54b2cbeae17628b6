package dev.arca.engine.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RdbParserTest {
    record Parsed(RdbParser parser, List<RdbKey> keys, byte[] teed) {
    }

    static Parsed parse(byte[] rdb) throws IOException {
        ByteArrayOutputStream tee = new ByteArrayOutputStream();
        RdbParser p = new RdbParser(new ByteArrayInputStream(rdb), "test.rdb", tee::write);
        List<RdbKey> keys = new ArrayList<>();
        for (RdbKey k = p.next(); k != null; k = p.next()) {
            keys.add(k);
        }
        return new Parsed(p, keys, tee.toByteArray());
    }

    @Test
    void crc64CheckValue() {
        assertEquals(0xe9c6d914c4b8d9caL, Crc64.of("123456789".getBytes(StandardCharsets.US_ASCII)));
        byte[] b = new byte[1000];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 31);
        }
        Crc64 c = new Crc64();
        for (byte x : b) {
            c.update(x & 0xff);
        }
        assertEquals(c.value(), Crc64.of(b));
    }

    @Test
    void everyFixtureParses() throws IOException {
        for (String f : RdbFixtures.ALL) {
            byte[] rdb = RdbFixtures.bytes(f);
            Parsed p = parse(rdb);
            assertArrayEquals(rdb, p.teed, f + ": every byte reaches the tee, in order");
            assertEquals(rdb.length, p.parser.length(), f);
            assertTrue(p.parser.done(), f);
            if (p.parser.version() >= 5 && p.parser.crcStored() != 0) {
                assertEquals(Boolean.TRUE, p.parser.crcOk(), f + ": CRC64 checked");
            }
            long prevEnd = 0;
            for (RdbKey k : p.keys) {
                assertTrue(k.recordStart() >= prevEnd && k.recordStart() <= k.typeOffset()
                        && k.typeOffset() < k.valueStart() && k.valueStart() <= k.end(), f + " " + k.keyText());
                assertEquals(k.type(), rdb[(int) k.typeOffset()] & 0xff, f);
                prevEnd = k.end();
            }
            boolean opaque = p.parser.opaqueFrom() >= 0;
            assertEquals(opaque, f.endsWith("/module.rdb"), f + ": opaque only where a pre-GA module type is");
            assertEquals(opaque, !p.parser.warnings().isEmpty() && p.parser.warnings().get(0).contains("opaque"), f);
        }
    }

    /** The decoded-content oracles of HDT3213/rdb: same keys, databases, types and expiry times. */
    @Test
    void keysMatchTheOracles() throws IOException {
        ObjectMapper m = new ObjectMapper();
        int checked = 0;
        for (String f : RdbFixtures.ALL) {
            if (!f.startsWith("hdt3213-rdb/") || RdbFixtures.class.getResource("/redis/" + f.replace(".rdb", ".json")) == null) {
                continue;
            }
            JsonNode oracle = m.readTree(RdbFixtures.bytes(f.replace(".rdb", ".json")));
            List<String> want = new ArrayList<>();
            long functions = 0;
            for (JsonNode o : oracle) {
                if (o.get("type").asText().equals("functions")) {
                    functions++;
                }
                if (o.get("type").asText().equals("aux") || o.get("type").asText().equals("functions")) {
                    continue;
                }
                String exp = o.has("expiration")
                        ? Long.toString(OffsetDateTime.parse(o.get("expiration").asText()).toInstant().toEpochMilli()) : "-";
                want.add(o.get("db").asInt() + " " + o.get("key").asText() + " " + o.get("type").asText() + " " + exp);
            }
            List<String> got = new ArrayList<>();
            Parsed p = parse(RdbFixtures.bytes(f));
            assertEquals(functions, p.parser.functions(), f);
            for (RdbKey k : p.keys) {
                got.add(k.db() + " " + k.keyText() + " " + k.typeName() + " " + (k.hasExpiry() ? k.expireMs() : "-"));
            }
            want.sort(null);
            got.sort(null);
            assertEquals(want, got, f);
            checked++;
        }
        assertEquals(9, checked);
    }

    @Test
    void multipleDatabasesAndExpiry() throws IOException {
        Parsed p = parse(RdbFixtures.bytes("redis-rdb-tools-dumps/multiple_databases.rdb"));
        assertEquals(List.of(0, 2), p.keys.stream().map(RdbKey::db).toList());
        Parsed e = parse(RdbFixtures.bytes("redis-rdb-tools-dumps/keys_with_expiry.rdb"));
        assertEquals(1, e.keys.size());
        assertEquals(1671963072573L, e.keys.get(0).expireMs());
        assertEquals(2, parse(RdbFixtures.bytes("redis-replicator/function.rdb")).parser.functions(), "7.0-rc functions");
        Parsed i = parse(RdbFixtures.bytes("redis-rdb-tools-dumps/integer_keys.rdb"));
        assertTrue(i.keys.stream().anyMatch(k -> k.keyText().equals("-123")), "int-encoded keys are decoded");
        Parsed z = parse(RdbFixtures.bytes("redis-rdb-tools-dumps/easily_compressible_string_key.rdb"));
        assertEquals("a".repeat(200), z.keys.get(0).keyText(), "LZF-compressed keys are decompressed");
    }

    @Test
    void truncatedInputNamesTheOffset() throws IOException {
        byte[] rdb = RdbFixtures.bytes("redis-replicator/dumpV10.rdb");
        for (int cut : new int[] {5, 9, 40, rdb.length / 2, rdb.length - 9, rdb.length - 3}) {
            byte[] t = Arrays.copyOf(rdb, cut);
            RdbFormatException e = assertThrows(RdbFormatException.class, () -> parse(t), "cut at " + cut);
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
            assertTrue(e.offset() <= cut, e.getMessage());
            assertTrue(e.getMessage().contains("byte offset"), e.getMessage());
        }
    }

    @Test
    void wrongCrcIsReportedWithBothValues() throws IOException {
        byte[] rdb = RdbFixtures.bytes("redis-replicator/dumpV10.rdb");
        rdb[rdb.length - 20] ^= 0x01;   // inside the last value: structure intact, CRC wrong
        RdbFormatException e = assertThrows(RdbFormatException.class, () -> parse(rdb));
        assertTrue(e.getMessage().contains("bad CRC64"), e.getMessage());
        long stored = Crc64.readLe(rdb, rdb.length - 8);
        assertTrue(e.getMessage().contains(Crc64.hex(stored)), e.getMessage());
        assertEquals(rdb.length - 8, e.offset());
    }

    @Test
    void unknownTypeByteIsAnError() throws IOException {
        byte[] rdb = RdbFixtures.bytes("redis-replicator/dumpV10.rdb");
        Parsed p = parse(rdb);
        long at = p.keys.get(1).typeOffset();
        rdb[(int) at] = 0x42;
        RdbFormatException e = assertThrows(RdbFormatException.class, () -> parse(rdb));
        assertEquals(at, e.offset());
        assertTrue(e.getMessage().contains("unknown value type byte 0x42"), e.getMessage());
    }

    @Test
    void unknownVersionIsKeptOpaque() throws IOException {
        byte[] rdb = RdbFixtures.bytes("redis-replicator/dumpV10.rdb");
        rdb[7] = '9';
        rdb[8] = '9';
        Parsed p = parse(rdb);
        assertEquals(0, p.keys.size());
        assertArrayEquals(rdb, p.teed);
        assertEquals(99, p.parser.version());
        assertTrue(p.parser.warnings().get(0).contains("RDB version 99"), p.parser.warnings().toString());
    }

    @Test
    void corruptZiplistFixtureIsAnError() throws IOException {
        byte[] rdb = RdbFixtures.bytes(RdbFixtures.CORRUPT_ZIPLIST);
        RdbFormatException e = assertThrows(RdbFormatException.class, () -> parse(rdb));
        assertTrue(e.getMessage().contains("corrupt ziplist in the value of key 'key:000000000091': 5 bytes, "
                + "shorter than its 11-byte minimum"), e.getMessage());
        assertEquals(488, e.offset(), "the offset of the value string");
    }

    @Test
    void emptyKeysParse() throws IOException {
        Parsed p = parse(RdbFixtures.bytes("redis-7.2.0-tests-assets/corrupt_empty_keys.rdb"));
        assertEquals(9, p.keys.size(), "empty collections are structurally valid (Redis 7 skips them on load)");
    }

    @Test
    void notAnRdb() {
        RdbFormatException e = assertThrows(RdbFormatException.class,
                () -> parse("hello world, this is text".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(e.getMessage().contains("not an RDB"), e.getMessage());
    }
}
