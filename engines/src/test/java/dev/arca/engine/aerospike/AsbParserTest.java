package dev.arca.engine.aerospike;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AsbParserTest {
    static byte[] fixture(String name) throws IOException {
        try (InputStream in = AsbParserTest.class.getResourceAsStream("/aerospike/" + name)) {
            return in.readAllBytes();
        }
    }

    static List<AsbItem> parse(byte[] data, String name) throws IOException {
        AsbParser p = new AsbParser(new ByteArrayInputStream(data), name);
        List<AsbItem> out = new ArrayList<>();
        for (AsbItem it = p.next(); it != null; it = p.next()) {
            out.add(it);
        }
        return out;
    }

    static byte[] rewrite(String version, List<AsbItem> items) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AsbWriter w = new AsbWriter(out);
        w.header(version);
        for (AsbItem it : items) {
            w.write(it);
        }
        return out.toByteArray();
    }

    /** Hands out one byte per read, to shake out buffer-boundary bugs. */
    static InputStream trickle(byte[] data) {
        return new FilterInputStream(new ByteArrayInputStream(data)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1));
            }
        };
    }

    static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void theToolsTestFileParsesAndWritesBackIdentically() throws IOException {
        byte[] data = fixture("test_backup_file.asb");
        List<AsbItem> items = parse(data, "test_backup_file.asb");
        assertEquals(3, items.size());
        assertEquals("test", s(((AsbItem.Namespace) items.get(0)).name()));
        assertInstanceOf(AsbItem.FirstFile.class, items.get(1));
        AsbItem.Record r = (AsbItem.Record) items.get(2);
        assertEquals('S', r.key().type());
        assertEquals("key1", s(r.key().value()));
        assertEquals("demo", r.setText());
        assertEquals(1, r.generation());
        assertEquals(428179113L, r.voidTime());
        assertEquals(List.of("foo", "bar", "baz"), r.bins().stream().map(AsbItem.Bin::nameText).toList());
        assertEquals("123", s(r.bins().get(0).value()));
        assertEquals("abc", s(r.bins().get(1).value()));
        assertEquals("T", s(r.bins().get(2).value()));
        assertEquals(java.util.HexFormat.of().formatHex(java.util.Base64.getDecoder().decode("7JEZLUt/jONdXXjTS8ply6qqyWA=")),
                r.digestHex());
        assertArrayEquals(data, rewrite("3.1", items));
    }

    @Test
    void theReadmeSampleHasIndexesAndAUdfWithNewlinesInItsBody() throws IOException {
        byte[] data = fixture("readme_sample_v3.1.asb");
        List<AsbItem> items = parse(data, "readme_sample_v3.1.asb");
        AsbItem.SecondaryIndex i1 = (AsbItem.SecondaryIndex) items.get(2);
        assertEquals("int-index", s(i1.name()));
        assertEquals("test-set", s(i1.set()));
        assertEquals("int-bin", s(i1.paths().get(0)));
        assertEquals("N", s(i1.paths().get(1)));
        AsbItem.SecondaryIndex i2 = (AsbItem.SecondaryIndex) items.get(3);
        assertEquals("S", s(i2.paths().get(1)));
        AsbItem.Udf u = (AsbItem.Udf) items.get(4);
        assertEquals("test.lua", s(u.name()));
        assertEquals("-- just an empty Lua file\n\n", s(u.body()));
        AsbItem.Record r = (AsbItem.Record) items.get(5);
        assertNull(r.key());
        assertEquals(2, r.bins().size());
        assertArrayEquals(data, rewrite("3.1", items));
    }

    @Test
    void theBadFileIsAnErrorNamingFileLineAndColumn() throws IOException {
        AsbFormatException e = assertThrows(AsbFormatException.class,
                () -> parse(fixture("test_bad_backup_file.asb"), "test_bad_backup_file.asb"));
        assertEquals(13, e.line());
        assertEquals(3, e.column());
        assertTrue(e.getMessage().startsWith("test_bad_backup_file.asb:13:3: invalid bin type 'x'"), e.getMessage());
    }

    @Test
    void compressedAndEncryptedFilesAreRecognised() {
        byte[] zstd = {(byte) 0x28, (byte) 0xb5, (byte) 0x2f, (byte) 0xfd, 0x20, 0, 0x41, 0x42};
        AsbFormatException z = assertThrows(AsbFormatException.class, () -> parse(zstd, "a.asb"));
        assertTrue(z.getMessage().contains("compressed with zstd"), z.getMessage());
        byte[] random = new byte[4096];
        new SplittableRandom(1).nextBytes(random);
        AsbFormatException enc = assertThrows(AsbFormatException.class, () -> parse(random, "b.asb"));
        assertTrue(enc.getMessage().contains("looks encrypted"), enc.getMessage());
        AsbFormatException text = assertThrows(AsbFormatException.class,
                () -> parse("hello world\n".getBytes(StandardCharsets.US_ASCII), "c.asb"));
        assertTrue(text.getMessage().startsWith("c.asb:1:1: not an asbackup file"), text.getMessage());
        AsbFormatException ver = assertThrows(AsbFormatException.class,
                () -> parse("Version 3.2\n".getBytes(StandardCharsets.US_ASCII), "d.asb"));
        assertTrue(ver.getMessage().contains("unsupported format version '3.2'"), ver.getMessage());
    }

    @Test
    void version30HasNoEscapesAndNoGlobals() throws IOException {
        String rec = "+ n test\n+ d 7JEZLUt/jONdXXjTS8ply6qqyWA=\n+ g 2\n+ t 0\n+ b 1\n- I a\\b 5\n";
        List<AsbItem> items = parse(("Version 3.0\n# namespace test\n" + rec).getBytes(StandardCharsets.US_ASCII), "l.asb");
        assertEquals("a\\b", ((AsbItem.Record) items.get(1)).bins().get(0).nameText());
        List<AsbItem> v31 = parse(("Version 3.1\n# namespace test\n" + rec).getBytes(StandardCharsets.US_ASCII), "m.asb");
        assertEquals("ab", ((AsbItem.Record) v31.get(1)).bins().get(0).nameText());
        AsbFormatException e = assertThrows(AsbFormatException.class, () -> parse(
                "Version 3.0\n# namespace test\n* u L x.lua 1 a\n".getBytes(StandardCharsets.US_ASCII), "n.asb"));
        assertTrue(e.getMessage().startsWith("n.asb:3:1:"), e.getMessage());
    }

    @Test
    void malformedLinesNameTheirPosition() {
        String head = "Version 3.1\n# namespace test\n+ n test\n+ d 7JEZLUt/jONdXXjTS8ply6qqyWA=\n";
        String[][] cases = {
            {head + "+ g 70000\n", ":5:", "generation"},
            {head + "+ g 1\n+ t x\n", ":6:5:", "digit"},
            {head + "+ g 1\n+ t 0\n+ b 1\n- S s 10 abc\n", ":9:1:", "ends inside a value"},
            {head + "+ g 1\n+ t 0\n+ b 1\n- B s 5 abcde\n", ":8:", "multiple of 4"},
            {head + "+ g 1\n+ t 0\n+ b 1\n- B s 4 a*cd\n", ":8:9:", "invalid base64"},
            {head + "+ g 1\n+ t 0\n+ b 1\n- D s 1.2.3\n", ":8:7:", "floating-point"},
            {head + "+ g 1\n+ t 0\n+ b 1\n- I s 99999999999999999999\n", ":8:7:", "64-bit"},
            {head + "+ g 1\n+ t 0\n+ b 2\n- I s 1\n", ":9:1:", "a bin is missing"},
            {"Version 3.1\n# namespace test\n+ n other\n", ":3:5:", "namespace 'other'"},
            {"Version 3.1\n# namespace test\n+ n test\n+ d abc\n", ":4:5:", "invalid digest"},
            {"Version 3.1\n# namespace test\n* i test s n X 1 p N\n", ":3:", "index type"},
            {"Version 3.1\n# namespace test\n\n", ":3:1:", "expected a line"},
            {"Version 3.1\r\n", ":1:", "unsupported format version"},
        };
        for (String[] c : cases) {
            AsbFormatException e = assertThrows(AsbFormatException.class,
                    () -> parse(c[0].getBytes(StandardCharsets.ISO_8859_1), "x.asb"), c[0]);
            assertTrue(e.getMessage().startsWith("x.asb" + c[1]) && e.getMessage().contains(c[2]),
                    "for " + c[0].replace("\n", "\\n") + " got: " + e.getMessage());
        }
    }

    @Test
    void randomValidFilesParseBackIdentically() throws IOException {
        for (int seed = 0; seed < 40; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            byte[] ns = AsbGen.name(r, 20);
            byte[][] sets = {null, AsbGen.name(r, 20), AsbGen.name(r, 20)};
            List<AsbItem> globals = AsbGen.globals(r, ns);
            List<AsbItem.Record> records = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                records.add(AsbGen.record(r, ns, sets, 8, seed % 5 == 0 ? 5000 : 60));
            }
            byte[] data = AsbGen.file(ns, true, globals, records);
            List<AsbItem> items = parse(data, "gen.asb");
            assertEquals(2 + globals.size() + records.size(), items.size());
            assertArrayEquals(data, rewrite("3.1", items), "seed " + seed);
            for (int i = 0; i < records.size(); i++) {
                AsbItem.Record want = records.get(i);
                AsbItem.Record got = (AsbItem.Record) items.get(2 + globals.size() + i);
                assertArrayEquals(want.digest(), got.digest());
                assertEquals(want.generation(), got.generation());
                assertEquals(want.voidTime(), got.voidTime());
                assertEquals(want.bins().size(), got.bins().size());
                for (int b = 0; b < want.bins().size(); b++) {
                    assertArrayEquals(want.bins().get(b).name(), got.bins().get(b).name());
                    assertArrayEquals(want.bins().get(b).value(), got.bins().get(b).value());
                }
            }
            // the same with one byte per read, and without values
            AsbParser p = new AsbParser(trickle(data), "gen.asb", false, null);
            int n = 0;
            while (p.next() != null) {
                n++;
            }
            assertEquals(items.size(), n);
        }
    }

    @Test
    void everyTruncationAndMutationIsAFormatErrorNeverACrash() throws IOException {
        SplittableRandom r = new SplittableRandom(7);
        byte[] ns = AsbGen.ascii("test");
        List<AsbItem.Record> records = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            records.add(AsbGen.record(r, ns, new byte[][] {null, AsbGen.ascii("s")}, 4, 20));
        }
        byte[] data = AsbGen.file(ns, true, AsbGen.globals(r, ns), records);
        for (int cut = 0; cut < data.length; cut++) {
            byte[] part = java.util.Arrays.copyOf(data, cut);
            try {
                parse(part, "t.asb");
            } catch (AsbFormatException e) {
                assertTrue(e.getMessage().startsWith("t.asb"), e.getMessage());
            }
        }
        for (int i = 0; i < 3000; i++) {
            byte[] m = data.clone();
            for (int k = 1 + r.nextInt(3); k > 0; k--) {
                m[r.nextInt(m.length)] = (byte) r.nextInt(256);
            }
            try {
                parse(m, "m.asb");
            } catch (AsbFormatException e) {
                assertTrue(e.getMessage().startsWith("m.asb"), e.getMessage());
            }
        }
    }
}
