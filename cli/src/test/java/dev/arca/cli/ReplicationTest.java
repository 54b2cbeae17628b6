package dev.arca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * copy, sync and init --copy-params-from through the command line: A → B → C with three
 * passwords restore identically everywhere, a second copy sends nothing, a mirror checks and
 * repairs, and the bad inputs get clear errors.
 */
class ReplicationTest {
    static final String PW_A = "password of a";
    static final String PW_B = "password of b";
    static final String PW_C = "password of c";

    /** A repository with two snapshots of a generated tree; returns the two states. */
    static List<Map<String, String>> twoSnapshots(Cli cli, Path src) throws IOException {
        cli.expect(0, "init");
        TreeGen.generate(src, 5, 300, 1, 6 << 20);
        Map<String, String> v1 = TreeGen.manifest(src);
        cli.expect(0, "backup", "--host", "db1", "--tag", "daily", src.toString());
        TreeGen.mutate(src, 3);
        Map<String, String> v2 = TreeGen.manifest(src);
        cli.expect(0, "backup", "--host", "db2", src.toString());
        return List.of(v1, v2);
    }

    /** Restores every snapshot of the repository, oldest first, and returns what each holds. */
    static List<Map<String, String>> restoreAll(Cli cli, String repo, String password, Path src, Path into)
            throws IOException {
        Map<String, String> env = Map.of("ARCA_PASSWORD", password);
        List<Map<String, String>> out = new ArrayList<>();
        JsonNode snaps = EndToEndTest.json(run(cli, env, 0, "-r", repo, "--json", "snapshots").out());
        for (JsonNode s : snaps) {
            Path target = into.resolve(s.get("id").asText());
            run(cli, env, 0, "-r", repo, "restore", s.get("id").asText(), "--target", target.toString());
            out.add(TreeGen.manifest(EndToEndTest.restored(target, src)));
        }
        return out;
    }

    /** Runs with extra environment; fails unless the exit code is {@code expected}. */
    static Cli.Run run(Cli cli, Map<String, String> env, int expected, String... args) {
        Map<String, String> saved = new java.util.HashMap<>(cli.env);
        cli.env.putAll(env);
        try {
            return cli.expect(expected, args);
        } finally {
            cli.env.clear();
            cli.env.putAll(saved);
        }
    }

    @Test
    void copyAToBToCRestoresIdenticallyAndASecondCopySendsNothing(@TempDir Path work) throws IOException {
        Cli cli = new Cli(work);
        cli.env.put("ARCA_PASSWORD", PW_A);
        Path src = work.resolve("src");
        List<Map<String, String>> states = twoSnapshots(cli, src);
        String a = cli.repo.toString();
        String b = work.resolve("b").toString();
        String c = work.resolve("c").toString();

        JsonNode init = EndToEndTest.lastJsonLine(run(cli, Map.of("ARCA_PASSWORD", PW_B, "ARCA_FROM_PASSWORD", PW_A), 0,
                "-r", b, "--json", "init", "--copy-params-from", a).out());
        assertEquals(a, init.get("chunker_params_from").asText());

        JsonNode first = EndToEndTest.lastJsonLine(run(cli, Map.of("ARCA_TO_PASSWORD", PW_B), 0,
                "--json", "copy", "--to", b).out());
        assertEquals(2, first.get("snapshots_copied").asInt(), first.toString());
        assertEquals(0, first.get("snapshots_skipped").asInt());
        assertTrue(first.get("bytes_sent").asLong() > 6 << 20, first.toString());
        assertTrue(first.get("blobs_skipped").asLong() > 0, "the second snapshot shares blobs with the first: " + first);

        JsonNode again = EndToEndTest.lastJsonLine(run(cli, Map.of("ARCA_TO_PASSWORD", PW_B), 0,
                "--json", "copy", "--to", b).out());
        assertEquals(0, again.get("snapshots_copied").asInt(), again.toString());
        assertEquals(2, again.get("snapshots_skipped").asInt());
        assertEquals(0, again.get("bytes_sent").asLong());
        assertEquals(0, again.get("blobs_copied").asLong());

        // B → C, with B's password as the source and C's own.
        run(cli, Map.of("ARCA_PASSWORD", PW_C, "ARCA_FROM_PASSWORD", PW_B), 0, "-r", c, "init", "--copy-params-from", b);
        JsonNode toC = EndToEndTest.lastJsonLine(run(cli, Map.of("ARCA_PASSWORD", PW_B, "ARCA_TO_PASSWORD", PW_C), 0,
                "-r", b, "--json", "copy", "--to", c).out());
        assertEquals(2, toC.get("snapshots_copied").asInt());

        for (String[] repo : new String[][] {{a, PW_A}, {b, PW_B}, {c, PW_C}}) {
            assertEquals(states, restoreAll(cli, repo[0], repo[1], src, work.resolve("restore-" + Path.of(repo[0])
                    .getFileName())), "the snapshots of " + repo[0] + " restore the two states exactly");
            run(cli, Map.of("ARCA_PASSWORD", repo[1]), 0, "-r", repo[0], "check", "--read-data");
        }
        // Each has its own id and key: A's password opens neither copy.
        run(cli, Map.of("ARCA_PASSWORD", PW_A), ExitCodes.WRONG_PASSWORD, "-r", c, "snapshots");
        assertNotEquals(Files.readAllBytes(Path.of(a, "config")).length, 0);

        // Filters: only db1's snapshot to a fresh target.
        String d = work.resolve("d").toString();
        run(cli, Map.of("ARCA_PASSWORD", PW_B, "ARCA_FROM_PASSWORD", PW_A), 0, "-r", d, "init", "--copy-params-from", a);
        JsonNode filtered = EndToEndTest.lastJsonLine(run(cli, Map.of("ARCA_TO_PASSWORD", PW_B), 0,
                "--json", "copy", "--to", d, "--host", "db1").out());
        assertEquals(1, filtered.get("snapshots_copied").asInt());
        JsonNode inD = EndToEndTest.json(run(cli, Map.of("ARCA_PASSWORD", PW_B), 0, "-r", d, "--json", "snapshots").out());
        assertEquals(1, inD.size());
        assertEquals("db1", inD.get(0).get("host").asText());
        assertEquals("daily", inD.get(0).get("tags").get(0).asText());
    }

    @Test
    void badTargetsGetClearErrors(@TempDir Path work) throws IOException {
        Cli cli = new Cli(work);
        cli.env.put("ARCA_PASSWORD", PW_A);
        twoSnapshots(cli, work.resolve("src"));
        String other = work.resolve("other").toString();
        run(cli, Map.of("ARCA_PASSWORD", PW_B), 0, "-r", other, "init");

        Cli.Run foreign = run(cli, Map.of("ARCA_TO_PASSWORD", PW_B), ExitCodes.ERROR, "copy", "--to", other);
        assertTrue(foreign.err().contains("another chunker secret") && foreign.err().contains("init --copy-params-from"),
                foreign.err());

        String b = work.resolve("b").toString();
        run(cli, Map.of("ARCA_PASSWORD", PW_B, "ARCA_FROM_PASSWORD", PW_A), 0, "-r", b, "init", "--copy-params-from",
                cli.repo.toString());
        Cli.Run wrong = run(cli, Map.of("ARCA_TO_PASSWORD", "not it"), ExitCodes.WRONG_PASSWORD, "copy", "--to", b);
        assertTrue(wrong.err().contains(b), "the error names the target: " + wrong.err());
        Cli.Run none = run(cli, Map.of(), ExitCodes.ERROR, "copy", "--to", b);
        assertTrue(none.err().contains("ARCA_TO_PASSWORD"), none.err());
        Cli.Run missing = run(cli, Map.of("ARCA_TO_PASSWORD", PW_B), ExitCodes.NO_REPOSITORY, "copy", "--to",
                work.resolve("nothing-here").toString());
        assertTrue(missing.err().contains("--copy-params-from"), missing.err());
        Cli.Run wrongFrom = run(cli, Map.of("ARCA_PASSWORD", PW_C, "ARCA_FROM_PASSWORD", "not it"),
                ExitCodes.WRONG_PASSWORD, "-r", work.resolve("c").toString(), "init", "--copy-params-from", b);
        assertTrue(wrongFrom.err().contains("wrong password"), wrongFrom.err());
        Cli.Run scheme = run(cli, Map.of("ARCA_TO_PASSWORD", PW_B), ExitCodes.USAGE, "copy", "--to", "ftp://x/y");
        assertTrue(scheme.err().contains("unknown repository location"), scheme.err());
    }

    @Test
    void syncMirrorsChecksRepairsAndDeletes(@TempDir Path work) throws IOException {
        Cli cli = new Cli(work);
        cli.env.put("ARCA_PASSWORD", PW_A);
        Path src = work.resolve("src");
        List<Map<String, String>> states = twoSnapshots(cli, src);
        String m = work.resolve("mirror").toString();
        // No password is needed to mirror.
        cli.env.remove("ARCA_PASSWORD");

        JsonNode first = EndToEndTest.lastJsonLine(cli.expect(0, "--json", "sync", "--to", m).out());
        long files = countFiles(cli.repo);
        assertEquals(files, first.get("files_sent").asLong(), first.toString());
        assertEquals(0, first.get("files_skipped").asLong());
        assertEquals(0, first.get("errors").asLong());
        assertEquals(sizeOf(cli.repo), first.get("bytes_sent").asLong());

        JsonNode again = EndToEndTest.lastJsonLine(cli.expect(0, "--json", "sync", "--to", m).out());
        assertEquals(0, again.get("files_sent").asLong(), again.toString());
        assertEquals(0, again.get("bytes_sent").asLong());
        assertEquals(files, again.get("files_skipped").asLong());

        run(cli, Map.of("ARCA_PASSWORD", PW_A), 0, "-r", m, "check", "--read-data");
        assertEquals(states, restoreAll(cli, m, PW_A, src, work.resolve("restore-mirror")));

        // A flipped byte in a pack of the mirror: found by --verify-existing and sent again; a
        // truncated index file: found by its size, without reading.
        Path pack;
        try (Stream<Path> s = Files.walk(Path.of(m, "data"))) {
            pack = s.filter(Files::isRegularFile).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(pack);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(pack, bytes);
        Path index;
        try (Stream<Path> s = Files.list(Path.of(m, "index"))) {
            index = s.findFirst().orElseThrow();
        }
        byte[] ib = Files.readAllBytes(index);
        Files.write(index, java.util.Arrays.copyOf(ib, ib.length - 1));
        assertEquals(ExitCodes.INTEGRITY, run(cli, Map.of("ARCA_PASSWORD", PW_A), ExitCodes.INTEGRITY, "-r", m,
                "check", "--read-data").exit());

        JsonNode plain = EndToEndTest.lastJsonLine(cli.expect(0, "--json", "sync", "--to", m).out());
        assertEquals(1, plain.get("files_sent").asLong(), "the truncated index file is sent again: " + plain);
        JsonNode repaired = EndToEndTest.lastJsonLine(cli.expect(0, "--json", "sync", "--to", m, "--verify-existing")
                .out());
        assertEquals(1, repaired.get("damaged_at_target").asLong(), repaired.toString());
        assertEquals(1, repaired.get("files_sent").asLong());
        run(cli, Map.of("ARCA_PASSWORD", PW_A), 0, "-r", m, "check", "--read-data");

        // What the source no longer has (a removed snapshot) goes with --delete, and only then.
        Path snapshot;
        try (Stream<Path> s = Files.list(cli.repo.resolve("snapshots"))) {
            snapshot = s.findFirst().orElseThrow();
        }
        Files.delete(snapshot);
        JsonNode keep = EndToEndTest.lastJsonLine(cli.expect(0, "--json", "sync", "--to", m).out());
        assertEquals(0, keep.get("files_deleted").asLong());
        assertTrue(Files.exists(Path.of(m, "snapshots", snapshot.getFileName().toString())));
        JsonNode del = EndToEndTest.lastJsonLine(cli.expect(0, "--json", "sync", "--to", m, "--delete").out());
        assertEquals(1, del.get("files_deleted").asLong(), del.toString());
        assertTrue(!Files.exists(Path.of(m, "snapshots", snapshot.getFileName().toString())));
        assertEquals(countFiles(cli.repo), countFiles(Path.of(m)));

        // A damaged file at the source is reported and not mirrored as if it were good.
        Path srcIndex;
        try (Stream<Path> s = Files.list(cli.repo.resolve("index"))) {
            srcIndex = s.findFirst().orElseThrow();
        }
        byte[] sb = Files.readAllBytes(srcIndex);
        sb[0] ^= 1;
        Files.write(srcIndex, sb);
        Files.delete(Path.of(m, "index", srcIndex.getFileName().toString()));
        Cli.Run bad = cli.expect(ExitCodes.INTEGRITY, "sync", "--to", m);
        assertTrue(bad.err().contains(srcIndex.getFileName().toString()) && bad.err().contains("does not match"),
                bad.err());
        assertTrue(!Files.exists(Path.of(m, "index", srcIndex.getFileName().toString())));

        // A truncated source file whose mirror copy is intact: reported, and the good copy kept.
        Path srcPack;
        try (Stream<Path> s = Files.walk(cli.repo.resolve("data"))) {
            srcPack = s.filter(Files::isRegularFile).findFirst().orElseThrow();
        }
        Path mirrorPack = Path.of(m).resolve(cli.repo.relativize(srcPack).toString());
        byte[] good = Files.readAllBytes(mirrorPack);
        Files.write(srcPack, java.util.Arrays.copyOf(good, good.length - 10));
        Cli.Run truncated = cli.expect(ExitCodes.INTEGRITY, "sync", "--to", m);
        assertTrue(truncated.err().contains("mirror's copy is kept"), truncated.err());
        assertTrue(java.util.Arrays.equals(good, Files.readAllBytes(mirrorPack)), "the mirror's good copy is untouched");

        // Another repository at the target is refused.
        String other = work.resolve("other").toString();
        run(cli, Map.of("ARCA_PASSWORD", PW_B), 0, "-r", other, "init");
        Cli.Run refused = cli.expect(ExitCodes.ERROR, "sync", "--to", other);
        assertTrue(refused.err().contains("holds another repository"), refused.err());
    }

    static long countFiles(Path repo) throws IOException {
        try (Stream<Path> s = Files.walk(repo)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.toString().contains("/locks/")).count();
        }
    }

    static long sizeOf(Path repo) throws IOException {
        try (Stream<Path> s = Files.walk(repo)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
