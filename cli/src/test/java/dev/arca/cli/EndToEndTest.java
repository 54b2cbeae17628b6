package dev.arca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workflow a user runs, through the command line: init, back up a generated tree (thousands
 * of small files, big files, symlinks, empty directories, non-ASCII names), change 3% of it,
 * back up again, restore both snapshots and compare bytes and metadata with the source states.
 */
class EndToEndTest {
    static JsonNode json(String s) throws IOException {
        return Output.JSON.readTree(s);
    }

    static JsonNode lastJsonLine(String out) throws IOException {
        String[] lines = out.strip().split("\n");
        return json(lines[lines.length - 1]);
    }

    /** The part of a restore target that holds {@code source} (snapshots mirror absolute paths). */
    static Path restored(Path target, Path source) {
        return target.resolve(Path.of("/").relativize(source.toAbsolutePath()).toString());
    }

    @Test
    void backupChangeBackupRestoreBoth(@TempDir Path work) throws IOException {
        Cli cli = new Cli(work);
        assertTrue(cli.expect(0, "init").out().contains("created arca repository"));
        Path src = work.resolve("src");
        TreeGen.generate(src, 42, 3000, 2, 150 << 20);
        Map<String, String> v1 = TreeGen.manifest(src);
        long totalBytes = 0;
        for (String v : v1.values()) {
            if (v.startsWith("file ")) {
                totalBytes += Long.parseLong(v.split(" ")[3]);
            }
        }

        JsonNode first = lastJsonLine(cli.expect(0, "--json", "backup", "--tag", "first", src.toString()).out());
        for (String k : List.of("snapshot_id", "files_new", "files_changed", "files_unmodified", "data_added",
                "total_bytes_processed")) {
            assertTrue(first.has(k), "backup --json summary lacks " + k + ": " + first);
        }
        long files = v1.values().stream().filter(v -> v.startsWith("file ")).count();
        assertEquals(files, first.get("files_new").asLong());
        assertEquals(totalBytes, first.get("total_bytes_processed").asLong());

        long changed = TreeGen.mutate(src, 7);
        Map<String, String> v2 = TreeGen.manifest(src);
        JsonNode second = lastJsonLine(cli.expect(0, "--json", "backup", src.toString()).out());
        long added = second.get("data_added").asLong();
        assertTrue(added >= changed / 2, "the changes must be stored: added " + added + " of " + changed);
        assertTrue(added <= changed + (24 << 20),
                "the second backup should add about the changed data (" + changed + " bytes), added " + added);
        assertTrue(second.get("files_unmodified").asLong() > files * 9 / 10,
                "unchanged files are not read again: " + second);
        assertTrue(second.get("files_changed").asLong() >= 1);

        JsonNode snaps = json(cli.expect(0, "--json", "snapshots").out());
        assertEquals(2, snaps.size());
        for (JsonNode s : snaps) {
            for (String k : List.of("id", "time", "host", "tags", "paths", "engine")) {
                assertTrue(s.has(k), "snapshots --json lacks " + k + ": " + s);
            }
            assertEquals("files", s.get("engine").asText());
            assertEquals(src.toString(), s.get("paths").get(0).asText());
        }
        assertEquals("first", snaps.get(0).get("tags").get(0).asText());
        String id1 = snaps.get(0).get("id").asText();
        String id2 = snaps.get(1).get("id").asText();
        assertEquals(first.get("snapshot_id").asText(), id1);

        Path r1 = work.resolve("restore1");
        cli.expect(0, "restore", id1.substring(0, 8), "--target", r1.toString());
        assertEquals(v1, TreeGen.manifest(restored(r1, src)), "snapshot 1 restores the first state exactly");
        Path r2 = work.resolve("restore2");
        cli.expect(0, "restore", "latest", "--target", r2.toString());
        assertEquals(v2, TreeGen.manifest(restored(r2, src)), "snapshot 2 restores the second state exactly");

        String checked = cli.expect(0, "check", "--read-data").out();
        assertTrue(checked.contains("no errors"), checked);

        // Browsing: ls, find, diff, dump, stats.
        String ls = cli.expect(0, "ls", "latest", src.toString()).out();
        assertTrue(ls.contains(src.resolve("big-1.dat").toString()), ls);
        assertTrue(ls.contains(src.resolve("empty dir").toString()), ls);
        String lsJson = cli.expect(0, "--json", "ls", "latest", src.resolve("link-to-file").toString()).out();
        assertTrue(lsJson.contains("\"link_target\":\"big-0.dat\""), lsJson);
        String found = cli.expect(0, "find", "*Ünïcödé*").out();
        assertTrue(found.contains("Ünïcödé"), found);
        String diff = cli.expect(0, "diff", id1, id2).out();
        assertTrue(diff.contains("M    " + src.resolve("big-0.dat")), diff);
        assertTrue(diff.lines().anyMatch(l -> l.startsWith("+    ") && l.contains("added-")), diff);
        assertTrue(diff.lines().anyMatch(l -> l.startsWith("-    ")), diff);
        byte[] dumped = cli.expect(0, "dump", "latest", src.resolve("big-1.dat").toString()).outBytes();
        assertEquals(TreeGen.sha256(src.resolve("big-1.dat")), sha256(dumped));
        JsonNode stats = json(cli.expect(0, "--json", "stats").out());
        assertEquals(2, stats.get("snapshots_count").asInt());
        assertTrue(stats.get("total_stored_size").asLong() < stats.get("total_size").asLong(),
                "two snapshots of mostly the same data cost less than their restore size: " + stats);
    }

    static String sha256(byte[] b) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void compressionOptionChangesWhatIsStoredNotWhatIsRestored(@TempDir Path work) throws IOException {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        Path src = work.resolve("text");
        Files.createDirectories(src);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 60_000; i++) {
            sb.append("line ").append(i).append(": the quick brown fox jumps over the lazy dog\n");
        }
        Files.writeString(src.resolve("log.txt"), sb);
        long raw = Files.size(src.resolve("log.txt"));
        JsonNode off = lastJsonLine(cli.expect(0, "--json", "backup", "--compression", "off", src.toString()).out());
        Files.writeString(src.resolve("log.txt"), sb.append("one more line\n"));
        JsonNode auto = lastJsonLine(cli.expect(0, "--json", "backup", src.toString()).out());
        assertTrue(off.get("data_added_packed").asLong() >= raw,
                "--compression off stores the text as it is: " + off);
        assertTrue(auto.get("data_added_packed").asLong() < raw / 4,
                "the default compresses text at least 4x: " + auto + " of " + raw);
        Path target = work.resolve("restored");
        cli.expect(0, "restore", auto.get("snapshot_id").asText(), "--target", target.toString());
        assertEquals(sb.toString(), Files.readString(restored(target, src).resolve("log.txt")));
        Cli.Run bad = cli.expect(2, "backup", "--compression", "fast", src.toString());
        assertTrue(bad.err().contains("--compression"), bad.err());
    }

    @Test
    void dumpWritesDirectoriesAsTarWithModesAndLinks(@TempDir Path work) throws IOException {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        Path src = work.resolve("d");
        Files.createDirectories(src.resolve("sub"));
        Files.writeString(src.resolve("sub/a.txt"), "alpha");
        Files.setPosixFilePermissions(src.resolve("sub/a.txt"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
        Files.createSymbolicLink(src.resolve("l"), Path.of("sub/a.txt"));
        cli.expect(0, "backup", src.toString());
        byte[] tar = cli.expect(0, "dump", "latest", src.toString()).outBytes();
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
                if (e.getName().equals("d/sub/a.txt")) {
                    assertEquals(0750, e.getMode() & 07777);
                    assertEquals("alpha", new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
                if (e.getName().equals("d/l")) {
                    assertTrue(e.isSymbolicLink());
                    assertEquals("sub/a.txt", e.getLinkName());
                }
            }
        }
        assertEquals(List.of("d/", "d/l", "d/sub/", "d/sub/a.txt"), names);
        byte[] zip = cli.expect(0, "dump", "--archive", "zip", "latest", src.resolve("sub").toString()).outBytes();
        try (var z = new java.util.zip.ZipInputStream(new ByteArrayInputStream(zip))) {
            assertEquals("sub/", z.getNextEntry().getName());
            assertEquals("sub/a.txt", z.getNextEntry().getName());
            assertEquals("alpha", new String(z.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void stdinAndCommandBackups(@TempDir Path work) throws IOException {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        byte[] data = TreeGen.text(new java.util.Random(1), 300_000).clone();
        Cli.Run r = cli.runWithInput(data, "backup", "--stdin", "--stdin-filename", "db.sql");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(sha256(data), sha256(cli.expect(0, "dump", "latest", "/db.sql").outBytes()));

        cli.expect(0, "backup", "--stdin-from-command", "--stdin-filename", "hello.txt", "--", "echo", "hello world");
        assertEquals("hello world\n", cli.expect(0, "dump", "latest", "/hello.txt").out());
        int before = json(cli.expect(0, "--json", "snapshots").out()).size();

        Cli.Run failed = cli.run("backup", "--stdin-from-command", "--", "sh", "-c", "echo partial; exit 3");
        assertEquals(1, failed.exit(), failed.toString());
        assertTrue(failed.err().contains("exited with status 3"), failed.err());
        assertEquals(before, json(cli.expect(0, "--json", "snapshots").out()).size(), "a failing command makes no snapshot");
        assertEquals(0, cli.run("check").exit());
    }

    @Test
    void progressOnlyOnATerminal(@TempDir Path work) throws IOException {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        Path src = work.resolve("p");
        TreeGen.generate(src, 3, 50, 1, 30 << 20);
        Cli.Run quiet = cli.run("backup", src.toString());
        assertEquals("", quiet.err(), "no progress when stderr is not a terminal");
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        Context tty = new Context(Map.copyOf(cli.env), work, new ByteArrayInputStream(new byte[0]),
                new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true),
                new java.io.PrintStream(err, true, StandardCharsets.UTF_8), true);
        assertEquals(0, Main.run(tty, "backup", "--force", src.toString()));
        String shown = err.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("backup") && shown.contains("MiB") && shown.contains("files"), shown);
    }

    @Test
    void errorsHaveTheDocumentedExitCodes(@TempDir Path work) throws IOException {
        Cli cli = new Cli(work);
        assertEquals(10, cli.run("snapshots").exit(), "no repository");
        cli.expect(0, "init");
        Cli.Run again = cli.run("init");
        assertEquals(1, again.exit());
        assertTrue(again.err().contains("already exists"), again.err());
        cli.env.put("ARCA_PASSWORD", "wrong");
        Cli.Run wrong = cli.run("snapshots");
        assertEquals(12, wrong.exit(), wrong.toString());
        assertTrue(wrong.err().contains("wrong password"), wrong.err());
        cli.env.put("ARCA_PASSWORD", "correct horse battery staple");
        assertEquals(1, cli.run("ls", "latest").exit(), "no snapshot yet is not an integrity error");
        assertEquals(1, cli.run("restore", "abcdef12", "--target", work.resolve("t").toString()).exit());
        assertEquals(2, cli.run("backup", "--no-such-option").exit());
        assertEquals(2, cli.run("restore", "latest").exit(), "missing --target");
        assertEquals(2, cli.run("check", "--read-data-subset", "9/4").exit());
        Cli.Run missing = cli.run("backup", work.resolve("does-not-exist").toString());
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("does not exist"), missing.err());
        byte[] config = Files.readAllBytes(cli.repo.resolve("config"));
        config[4] = 9;
        Files.write(cli.repo.resolve("config"), config);
        Cli.Run newer = cli.run("snapshots");
        assertEquals(1, newer.exit(), newer.toString());
        assertTrue(newer.err().contains("version 9") && newer.err().contains("newer arca"), newer.err());
        config[4] = 1;
        Files.write(cli.repo.resolve("config"), config);
        String help = cli.expect(0, "backup", "--help").out();
        assertTrue(help.contains("Exit codes") && help.contains("12") && help.contains("wrong password"), help);
        assertTrue(help.contains("--stdin-from-command") && help.contains("--exclude"), help);
    }

    @Test
    void excludesAndTagsAndHosts(@TempDir Path work) throws IOException {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        Path src = work.resolve("e");
        Files.createDirectories(src.resolve("keep"));
        Files.createDirectories(src.resolve("node_modules/x"));
        Files.writeString(src.resolve("keep/a.txt"), "a");
        Files.writeString(src.resolve("keep/b.log"), "b");
        Files.writeString(src.resolve("node_modules/x/c.js"), "c");
        cli.expect(0, "backup", "--exclude", "*.log", "--exclude", "node_modules", "--host", "web1", "--tag", "t1",
                "--tag", "t2", src.toString());
        String ls = cli.expect(0, "ls", "latest").out();
        assertTrue(ls.contains("keep/a.txt"), ls);
        assertFalse(ls.contains("b.log"), ls);
        assertFalse(ls.contains("node_modules"), ls);
        JsonNode s = json(cli.expect(0, "--json", "snapshots", "--host", "web1").out()).get(0);
        assertEquals("web1", s.get("host").asText());
        assertEquals("[\"t1\",\"t2\"]", s.get("tags").toString());
        assertEquals(0, json(cli.expect(0, "--json", "snapshots", "--host", "other").out()).size());
    }

    @Test
    void keysThroughTheCommandLine(@TempDir Path work) throws IOException {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        Path pw2 = work.resolve("pw2");
        Files.writeString(pw2, "second secret\n");
        cli.expect(0, "key", "add", "--new-password-file", pw2.toString());
        JsonNode keys = json(cli.expect(0, "--json", "key", "list").out());
        assertEquals(2, keys.size());
        String firstKey = keys.get(0).get("current").asBoolean() ? keys.get(0).get("id").asText() : keys.get(1).get("id").asText();
        assertEquals(1, cli.run("key", "remove", firstKey.substring(0, 8)).exit(), "the key in use cannot be removed");
        cli.env.remove("ARCA_PASSWORD");
        cli.env.put("ARCA_PASSWORD_FILE", pw2.toString());
        cli.expect(0, "key", "remove", firstKey.substring(0, 8));
        assertEquals(1, json(cli.expect(0, "--json", "key", "list").out()).size());
        String planted = "d".repeat(64);
        Files.writeString(cli.repo.resolve("keys").resolve(planted), "garbage");
        String listed = cli.expect(0, "key", "list").out();
        assertTrue(listed.contains("dddddddd") && listed.contains("damaged"), listed);
        cli.expect(0, "key", "remove", "dddd");
        assertFalse(Files.exists(cli.repo.resolve("keys").resolve(planted)));
        Path pw3 = work.resolve("pw3");
        Files.writeString(pw3, "third");
        cli.expect(0, "key", "passwd", "--new-password-file", pw3.toString());
        assertEquals(12, cli.run("snapshots").exit(), "the old password no longer opens it");
        cli.env.put("ARCA_PASSWORD_FILE", pw3.toString());
        cli.expect(0, "snapshots");
    }

    @Test
    void theDefaultRepositoryIsCreatedOnFirstUse(@TempDir Path work) throws IOException {
        Cli cli = new Cli(work);
        cli.env.remove("ARCA_REPOSITORY");
        cli.env.remove("ARCA_PASSWORD");
        Path src = work.resolve("s");
        Files.createDirectories(src);
        Files.writeString(src.resolve("f"), "default repository");
        Cli.Run r = cli.run("backup", src.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.err().contains("created the default repository"), r.err());
        Path pwFile = work.resolve("home/.config/arca/default-repository.password");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(pwFile)));
        assertTrue(Files.exists(work.resolve("home/.local/share/arca/repository/config")));
        cli.expect(0, "backup", src.toString());
        assertEquals(2, json(cli.expect(0, "--json", "snapshots").out()).size());
        assertEquals("default repository", cli.expect(0, "dump", "latest", src.resolve("f").toString()).out());
    }
}
