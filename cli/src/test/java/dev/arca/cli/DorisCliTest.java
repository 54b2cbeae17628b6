package dev.arca.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.engine.doris.DorisRepoGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code arca doris backup|snapshots|restore} through the command line, on generated Doris repositories. */
class DorisCliTest {
    static Map<String, byte[]> tree(Path root) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (!p.equals(root)) {
                    out.put(root.relativize(p) + (Files.isDirectory(p) ? "/" : ""),
                            Files.isDirectory(p) ? new byte[0] : Files.readAllBytes(p));
                }
            }
        }
        return out;
    }

    static List<JsonNode> jsonLines(String out) throws IOException {
        List<JsonNode> l = new java.util.ArrayList<>();
        for (String line : out.strip().split("\n")) {
            l.add(Output.JSON.readTree(line));
        }
        return l;
    }

    @Test
    void backupListRestoreByteForByte(@TempDir Path work) throws IOException {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        Path src = work.resolve("doris");
        List<DorisRepoGenerator.SnapshotInfo> gen = new DorisRepoGenerator(DorisRepoGenerator.Params.small(5))
                .generate(src, 2);

        List<JsonNode> lines = jsonLines(cli.expect(0, "--json", "doris", "backup", "--repository", src.toString()).out());
        assertEquals(5, lines.size(), "a line per snapshot and a summary");
        assertEquals(4, lines.get(4).get("snapshots_saved").asInt());
        for (int i = 0; i < 4; i++) {
            assertEquals("saved", lines.get(i).get("status").asText());
        }
        assertTrue(lines.get(2).get("files_unmodified").asLong() > 0, "day two reuses day one's files: " + lines.get(2));
        String again = cli.expect(0, "doris", "backup", "--repository", src.toString()).out();
        assertTrue(again.contains("0 snapshots saved, 4 already stored"), again);

        JsonNode list = Output.JSON.readTree(cli.expect(0, "--json", "doris", "snapshots").out());
        assertEquals(4, list.size());
        for (int i = 0; i < 4; i++) {
            DorisRepoGenerator.SnapshotInfo g = gen.get(i);
            JsonNode s = list.get(i);
            assertEquals(g.label(), s.get("label").asText());
            assertEquals(g.infoFileName().substring(7, 26), s.get("timestamp").asText());
            assertEquals("OK", s.get("status").asText());
            assertEquals(g.database(), s.get("database").asText());
            assertEquals("backup_repo", s.get("repository").asText());
        }
        assertEquals(0, Output.JSON.readTree(cli.expect(0, "--json", "doris", "snapshots", "--repository-name", "other")
                .out()).size());
        String table = cli.expect(0, "doris", "snapshots").out();
        assertTrue(table.contains(gen.get(0).label()) && table.contains("4 snapshots"), table);

        String detail = cli.expect(0, "doris", "snapshots", gen.get(0).label()).out();
        assertTrue(detail.contains("Database:    sales") && detail.contains("orders (id") && detail.contains("p202401"),
                detail);
        JsonNode dj = Output.JSON.readTree(cli.expect(0, "--json", "doris", "snapshots", gen.get(1).label()).out());
        assertEquals("crm", dj.get("database").asText());
        assertTrue(dj.get("tables").get(0).get("partitions").size() == 3, dj.toString());

        Path out = work.resolve("restored");
        String r = cli.expect(0, "doris", "restore", gen.get(0).label(), "--repository", out.toString()).out();
        assertTrue(r.contains("RESTORE SNAPSHOT sales." + gen.get(0).label()) && r.contains("backup_timestamp"), r);
        List<JsonNode> restored = jsonLines(cli.expect(0, "--json", "doris", "restore", gen.get(1).label(),
                gen.get(2).label(), list.get(3).get("short_id").asText(), "--repository", out.toString()).out());
        assertEquals(3, restored.size());
        assertEquals(gen.get(3).label(), restored.get(2).get("label").asText());
        Map<String, byte[]> want = tree(src);
        Map<String, byte[]> got = tree(out);
        assertEquals(want.keySet(), got.keySet());
        want.forEach((k, v) -> assertArrayEquals(v, got.get(k), k));

        cli.expect(0, "check", "--read-data");
        // Generic commands see the same tree.
        String ls = cli.expect(0, "ls", list.get(0).get("id").asText()).out();
        assertTrue(ls.contains("/__palo_repository_backup_repo/__ss_" + gen.get(0).label() + "/__ss_content"), ls);
    }

    @Test
    void partitionRestoreAndConflicts(@TempDir Path work) throws IOException {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        Path src = work.resolve("doris");
        List<DorisRepoGenerator.SnapshotInfo> gen = new DorisRepoGenerator(DorisRepoGenerator.Params.small(6))
                .generate(src, 1);
        cli.expect(0, "-q", "doris", "backup", "--repository", src.toString());
        String label = gen.get(0).label();
        Path out = work.resolve("restored");
        JsonNode r = Output.JSON.readTree(cli.expect(0, "--json", "doris", "restore", label, "--repository", out.toString(),
                "--table", "orders", "--partition", "p202402").out());
        long partial = r.get("files_restored").asLong();
        assertTrue(partial > 3 && partial < gen.get(0).files().size(), r.toString());

        Cli.Run bad = cli.run("doris", "restore", label, "--repository", out.toString(), "--table", "orders",
                "--partition", "nope");
        assertEquals(ExitCodes.USAGE, bad.exit(), bad.toString());
        assertTrue(bad.err().contains("p202401"), bad.err());

        Path ss = out.resolve("__palo_repository_backup_repo/__ss_" + label);
        Path info = ss.resolve(gen.get(0).infoFileName());
        Files.writeString(info, "{}");
        Cli.Run conflict = cli.run("doris", "restore", label, "--repository", out.toString());
        assertEquals(ExitCodes.ERROR, conflict.exit(), conflict.toString());
        assertTrue(conflict.err().contains(info.toString()) && conflict.err().contains("different content"),
                conflict.err());
        assertEquals("{}", Files.readString(info), "never overwritten");
    }

    @Test
    void aWrongMd5IsAnErrorAndNoSnapshot(@TempDir Path work) throws IOException {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        Path src = work.resolve("doris");
        List<DorisRepoGenerator.SnapshotInfo> gen = new DorisRepoGenerator(DorisRepoGenerator.Params.small(8))
                .generate(src, 1);
        DorisRepoGenerator.SnapshotInfo g = gen.get(0);
        String rel = g.files().keySet().stream().filter(k -> k.contains(".dat.")).findFirst().orElseThrow();
        Path f = g.directory().resolve(rel);
        byte[] b = Files.readAllBytes(f);
        b[0] ^= 0x55;
        Files.write(f, b);
        Cli.Run run = cli.run("doris", "backup", "--repository", src.toString());
        assertEquals(ExitCodes.ERROR, run.exit(), run.toString());
        assertTrue(run.err().contains(f.toString()) && run.err().contains("md5 mismatch"), run.err());
        JsonNode list = Output.JSON.readTree(cli.expect(0, "--json", "doris", "snapshots").out());
        assertEquals(1, list.size());
        assertEquals(gen.get(1).label(), list.get(0).get("label").asText());

        Cli.Run none = cli.run("doris", "backup", "--repository", work.resolve("nothing").toString());
        assertEquals(ExitCodes.ERROR, none.exit(), none.toString());
        assertFalse(none.err().isEmpty());
    }

    @Test
    void everyDorisCommandHasHelpWithExamples(@TempDir Path work) {
        Cli cli = new Cli(work);
        for (String c : List.of("backup", "snapshots", "restore")) {
            String help = cli.expect(0, "doris", c, "--help").out();
            assertTrue(help.contains("Examples:") && help.contains("Exit codes:"), help);
        }
        assertEquals(ExitCodes.USAGE, cli.run("doris").exit());
    }
}
