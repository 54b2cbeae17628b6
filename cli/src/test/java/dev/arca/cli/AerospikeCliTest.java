package dev.arca.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.engine.aerospike.AsbItem;
import dev.arca.engine.aerospike.AsbParser;
import dev.arca.engine.aerospike.AsbWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The aerospike commands and the record view, through the command line, on the tool's own test files. */
class AerospikeCliTest {
    static byte[] fixture(String name) throws IOException {
        try (InputStream in = AerospikeCliTest.class.getResourceAsStream("/aerospike/" + name)) {
            return in.readAllBytes();
        }
    }

    static Path fixtures(Path work) throws IOException {
        Path d = work.resolve("asb");
        Files.createDirectories(d);
        for (String n : List.of("test_backup_file.asb", "readme_sample_v3.1.asb")) {
            Files.write(d.resolve(n), fixture(n));
        }
        return d;
    }

    static List<AsbItem> parse(byte[] data) throws IOException {
        AsbParser p = new AsbParser(new ByteArrayInputStream(data), "output");
        List<AsbItem> out = new ArrayList<>();
        for (AsbItem it = p.next(); it != null; it = p.next()) {
            out.add(it);
        }
        return out;
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Records with every bin type, raw values holding LF and NUL, names needing escapes, several sets. */
    static void generate(Path dir, int files, int perFile) throws IOException {
        Files.createDirectories(dir);
        SplittableRandom r = new SplittableRandom(5);
        byte[] ns = b("bench");
        String[] sets = {"users", "events", null};
        for (int f = 0; f < files; f++) {
            try (OutputStream out = new java.io.BufferedOutputStream(
                    Files.newOutputStream(dir.resolve(String.format("bench_%05d.asb", f))))) {
                AsbWriter w = new AsbWriter(out);
                w.header("3.1");
                w.write(new AsbItem.Namespace(ns));
                if (f == 0) {
                    w.write(new AsbItem.FirstFile());
                    w.write(new AsbItem.SecondaryIndex(ns, b("users"), b("age idx"), (byte) 'N',
                            List.of(b("age"), b("N")), null));
                    w.write(new AsbItem.Udf((byte) 'L', b("f.lua"), b("function f(r)\n  return 1\nend\n\0")));
                }
                for (int i = 0; i < perFile; i++) {
                    byte[] raw = new byte[r.nextInt(200)];
                    r.nextBytes(raw);
                    if (raw.length > 2) {
                        raw[0] = '\n';
                        raw[1] = 0;
                    }
                    byte[] digest = new byte[20];
                    r.nextBytes(digest);
                    String set = sets[r.nextInt(sets.length)];
                    List<AsbItem.Bin> bins = List.of(
                            new AsbItem.Bin((byte) 'N', false, b("nil"), new byte[0]),
                            new AsbItem.Bin((byte) 'Z', false, b("ok"), b("T")),
                            new AsbItem.Bin((byte) 'I', false, b("age"), b(Long.toString(r.nextLong()))),
                            new AsbItem.Bin((byte) 'D', false, b("score"), b("0.10000000000000001")),
                            new AsbItem.Bin((byte) 'S', false, b("my name"), b("line1\nline2\0end")),
                            new AsbItem.Bin((byte) 'G', false, b("geo"), b("{\"type\":\"Point\",\"coordinates\":[1,2]}")),
                            new AsbItem.Bin((byte) 'B', true, b("raw"), raw),
                            new AsbItem.Bin((byte) 'B', false, b("b64"), java.util.Base64.getEncoder().encode(raw)),
                            new AsbItem.Bin((byte) 'M', false, b("map"), b("gaFhAQ==")),
                            new AsbItem.Bin((byte) 'L', true, b("list"), new byte[] {(byte) 0x92, 1, 2}));
                    AsbItem.Key key = i % 3 == 0 ? null : new AsbItem.Key((byte) 'S', false, b("k" + f + "-" + i));
                    w.write(new AsbItem.Record(key, ns, digest, set == null ? null : b(set), 1 + i % 5, 0, bins));
                }
            }
        }
    }

    @Test
    void fixturesBackUpBrowseAndRestoreByteForByte(@TempDir Path work) throws IOException {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        Path src = fixtures(work);
        Cli.Run b = cli.expect(0, "aerospike", "backup", "--directory", src.toString(), "--namespace", "test");
        assertTrue(b.out().contains("Namespace test, format 3.1: 2 files, 2 records, 2 secondary indexes, 1 UDFs"), b.out());

        JsonNode snaps = Output.JSON.readTree(cli.expect(0, "--json", "snapshots").out());
        assertEquals("aerospike", snaps.get(0).get("engine").asText());

        Cli.Run ls = cli.expect(0, "ls", "latest", "/records/test/demo/");
        assertEquals("/records/test/demo/key1  gen 1  ttl expired  bins foo,bar,baz\n", ls.out());
        assertEquals("/records/test\n", cli.expect(0, "ls", "latest", "/records").out());
        assertEquals("/records/test/demo\n/records/test/test-set\n", cli.expect(0, "ls", "latest", "/records/test").out());
        JsonNode rec = Output.JSON.readTree(cli.expect(0, "dump", "latest", "/records/test/demo/key1").out());
        assertEquals(123, rec.get("bins").get("foo").get("value").asInt());
        assertEquals("abc", rec.get("bins").get("bar").get("value").asText());
        assertTrue(rec.get("bins").get("baz").get("value").asBoolean());
        assertEquals(1, rec.get("generation").asInt());
        JsonNode byDigest = Output.JSON.readTree(cli.expect(0, "dump", "latest",
                "/records/test/test-set/abe2ec886b35803f5db890dbcd0497cad6a3b426").out());
        assertEquals(12345, byDigest.get("bins").get("int-bin").get("value").asInt());
        assertTrue(cli.expect(1, "dump", "latest", "/records/test/demo/nope").err().contains("no such record"));
        // the stored files are ordinary files of the snapshot too
        assertArrayEquals(fixture("test_backup_file.asb"),
                cli.expect(0, "dump", "latest", "/test_backup_file.asb").outBytes());

        Path out = work.resolve("restored");
        cli.expect(0, "aerospike", "restore", "latest", "--directory", out.toString());
        for (String n : List.of("test_backup_file.asb", "readme_sample_v3.1.asb")) {
            assertArrayEquals(fixture(n), Files.readAllBytes(out.resolve(n)), n);
        }
        assertEquals(2, Files.list(out).count());

        Cli.Run f = cli.expect(0, "aerospike", "restore", "latest", "--output-file", "-", "--namespace", "test,prod",
                "--set-list", "demo", "--bin-list", "foo,baz");
        List<AsbItem> items = parse(f.outBytes());
        assertEquals("prod", AsbItem.text(((AsbItem.Namespace) items.get(0)).name()));
        List<AsbItem.Record> recs = items.stream().filter(i -> i instanceof AsbItem.Record)
                .map(i -> (AsbItem.Record) i).toList();
        assertEquals(1, recs.size());
        assertEquals("demo", recs.get(0).setText());
        assertEquals(List.of("foo", "baz"), recs.get(0).bins().stream().map(AsbItem.Bin::nameText).toList());
        assertEquals(0, items.stream().filter(i -> i instanceof AsbItem.SecondaryIndex).count(),
                "indexes of other sets are left out");
        assertTrue(cli.expect(2, "aerospike", "restore", "latest", "--directory", out.toString(), "--set-list", "x")
                .err().contains("use them with --output-file"));
    }

    @Test
    void aStreamRoundTripsAndBadInputRecordsNothing(@TempDir Path work) throws IOException {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        byte[] sample = fixture("readme_sample_v3.1.asb");
        Cli.Run b = cli.runWithInput(sample, "--json", "aerospike", "backup", "--input-file", "-");
        assertEquals(0, b.exit(), b.toString());
        assertEquals(List.of("/test.asb"), List.of(Output.JSON.readTree(cli.expect(0, "--json", "snapshots").out())
                .get(0).get("paths").get(0).asText()));
        assertArrayEquals(sample, cli.expect(0, "aerospike", "restore", "latest", "--output-file", "-").outBytes());

        Cli.Run bad = cli.runWithInput(fixture("test_bad_backup_file.asb"), "aerospike", "backup", "--input-file", "-");
        assertEquals(1, bad.exit(), bad.toString());
        assertTrue(bad.err().contains("<stdin>:13:3: invalid bin type 'x'; no snapshot was made"), bad.err());
        byte[] noise = new byte[1000];
        new SplittableRandom(3).nextBytes(noise);
        Cli.Run enc = cli.runWithInput(noise, "aerospike", "backup", "--input-file", "-");
        assertEquals(1, enc.exit(), enc.toString());
        assertTrue(enc.err().contains("looks encrypted or compressed"), enc.err());
        assertEquals(1, Output.JSON.readTree(cli.expect(0, "--json", "snapshots").out()).size());

        // merge: the tool's record (expired in 2023) is dropped; a later one with the same digest
        // and a higher generation keeps its bins and, for the live record, the older bins too
        String head = "Version 3.1\n# namespace test\n";
        String older = head + "+ n test\n+ d AAAAAAAAAAAAAAAAAAAAAAAAAAA=\n+ s demo\n+ g 3\n+ t 0\n+ b 2\n"
                + "- I a 1\n- S b 2 xy\n";
        String newer = head + "+ k S 4 key1\n+ n test\n+ d 7JEZLUt/jONdXXjTS8ply6qqyWA=\n+ s demo\n+ g 2\n+ t 0\n"
                + "+ b 1\n- I qux 7\n" + "+ n test\n+ d AAAAAAAAAAAAAAAAAAAAAAAAAAA=\n+ s demo\n+ g 4\n+ t 0\n+ b 1\n"
                + "- I a 9\n";
        String id1 = Output.JSON.readTree(cli.runWithInput(fixture("test_backup_file.asb"), "--json", "aerospike", "backup",
                "--input-file", "-").out()).get("snapshot_id").asText();
        String id2 = Output.JSON.readTree(cli.runWithInput(b(older), "--json", "aerospike", "backup", "--input-file", "-")
                .out()).get("snapshot_id").asText();
        String id3 = Output.JSON.readTree(cli.runWithInput(b(newer), "--json", "aerospike", "backup", "--input-file", "-")
                .out()).get("snapshot_id").asText();
        Cli.Run merged = cli.expect(0, "aerospike", "restore", id1, "--merge", id2, id3, "--output-file", "-");
        List<AsbItem.Record> recs = parse(merged.outBytes()).stream().filter(i -> i instanceof AsbItem.Record)
                .map(i -> (AsbItem.Record) i).toList();
        assertEquals(2, recs.size(), merged.toString());
        AsbItem.Record zero = recs.stream().filter(r -> r.digest()[0] == 0).findFirst().orElseThrow();
        assertEquals(4, zero.generation());
        assertEquals(List.of("a", "b"), zero.bins().stream().map(AsbItem.Bin::nameText).toList());
        assertEquals("9", AsbItem.text(zero.bins().get(0).value()));
        AsbItem.Record key1 = recs.stream().filter(r -> r.digest()[0] != 0).findFirst().orElseThrow();
        assertEquals(2, key1.generation());
        assertEquals(List.of("qux"), key1.bins().stream().map(AsbItem.Bin::nameText).toList());
        assertTrue(merged.err().contains("1 expired"), merged.err());
    }

    @Test
    void aGeneratedCorpusRoundTripsAsDirectoryAndAsStream(@TempDir Path work) throws IOException {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        Path src = work.resolve("gen");
        generate(src, 3, 4000);
        cli.expect(0, "aerospike", "backup", "--directory", src.toString());
        Path out = work.resolve("out");
        cli.expect(0, "aerospike", "restore", "latest", "--directory", out.toString());
        for (int f = 0; f < 3; f++) {
            String n = String.format("bench_%05d.asb", f);
            assertEquals(-1L, Files.mismatch(src.resolve(n), out.resolve(n)), n);
        }
        // one stream for asrestore: one header, every record, parsed back
        byte[] stream = cli.expect(0, "aerospike", "restore", "latest", "--output-file", "-").outBytes();
        List<AsbItem> items = parse(stream);
        assertEquals(12000, items.stream().filter(i -> i instanceof AsbItem.Record).count());
        assertEquals(1, items.stream().filter(i -> i instanceof AsbItem.Udf).count());
        // and that stream backed up as one file comes back byte for byte
        cli.runWithInput(stream, "aerospike", "backup", "--input-file", "-");
        assertArrayEquals(stream, cli.expect(0, "aerospike", "restore", "latest", "--output-file", "-").outBytes());
        ByteArrayOutputStream help = new ByteArrayOutputStream();
        help.writeBytes(cli.expect(0, "aerospike", "restore", "--help").outBytes());
        assertTrue(help.toString(StandardCharsets.UTF_8).contains("--merge"));
    }
}
