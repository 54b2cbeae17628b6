package dev.arca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** forget and prune through the command line, end to end. */
class PruneCliTest {
    static JsonNode json(Cli.Run r) throws java.io.IOException {
        return EndToEndTest.lastJsonLine(r.out());
    }

    static long packBytes(Cli cli) throws java.io.IOException {
        return json(cli.expect(0, "--json", "stats")).get("pack_bytes").asLong();
    }

    /** Restores every snapshot listed and compares it with the manifest recorded at its backup. */
    static void everySnapshotRestoresExactly(Cli cli, Path work, Path src, Map<String, Map<String, String>> manifests)
            throws java.io.IOException {
        JsonNode snaps = EndToEndTest.json(cli.expect(0, "--json", "snapshots").out());
        assertTrue(snaps.size() > 0);
        for (JsonNode s : snaps) {
            String id = s.get("id").asText();
            Map<String, String> expected = manifests.get(id);
            assertTrue(expected != null, "a snapshot nobody made: " + id);
            Path target = work.resolve("restore-" + id.substring(0, 8) + "-" + System.nanoTime());
            cli.expect(0, "restore", id, "--target", target.toString());
            assertEquals(expected, TreeGen.manifest(EndToEndTest.restored(target, src)), "snapshot " + id);
        }
    }

    @Test
    void forgetThenPruneTwiceReclaimsSpaceAndKeepsWhatIsKept(@TempDir Path work) throws Exception {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        Path src = work.resolve("src");
        TreeGen.generate(src, 7, 150, 1, 3 << 20);
        Map<String, Map<String, String>> manifests = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            if (i > 1) {
                TreeGen.mutate(src, i);
            }
            // A file only this snapshot has, stored next to shared data: forgetting the snapshot
            // leaves its packs partly dead, so prune must repack them.
            TreeGen.writeBig(src.resolve("unique.bin"), 100 + i, 2 << 20);
            String id = json(cli.expect(0, "--json", "backup", "--tag", "v" + i, src.toString())).get("snapshot_id").asText();
            ids.add(id);
            manifests.put(id, TreeGen.manifest(src));
        }

        Cli.Run dry = cli.expect(0, "forget", "--keep-last", "2", "--dry-run");
        assertTrue(dry.out().contains("would remove 2 snapshots"), dry.toString());
        assertEquals(4, EndToEndTest.json(cli.expect(0, "--json", "snapshots").out()).size(), "a dry run removes nothing");

        JsonNode forget = EndToEndTest.json(cli.expect(0, "--json", "forget", "--keep-last", "2", "--keep-tag", "v1").out());
        assertEquals(1, forget.size(), "one group: one host, one path");
        JsonNode g = forget.get(0);
        assertEquals(src.toString(), g.get("group_key").get("paths").get(0).asText());
        assertEquals(3, g.get("keep").size());
        assertEquals(1, g.get("remove").size());
        assertEquals(ids.get(1), g.get("remove").get(0).get("id").asText());
        assertEquals(ids.get(3), g.get("reasons").get(0).get("id").asText());
        assertEquals("last snapshot", g.get("reasons").get(0).get("matches").get(0).asText());
        assertEquals("has tags [v1]", g.get("reasons").get(2).get("matches").get(0).asText());
        cli.expect(0, "forget", ids.get(0));
        manifests.remove(ids.get(0));
        manifests.remove(ids.get(1));
        cli.expect(2, "forget");

        long before = packBytes(cli);
        JsonNode dryPrune = json(cli.expect(0, "--json", "prune", "--dry-run"));
        assertTrue(dryPrune.get("dry_run").asBoolean());
        assertTrue(dryPrune.get("packs_marked").asLong() > 0, dryPrune.toString());
        assertTrue(isEmpty(cli.repo.resolve("marks")), "a dry run writes no mark");

        JsonNode first = json(cli.expect(0, "--json", "prune", "--keep-delete", "0s"));
        assertEquals(0, first.get("packs_deleted").asLong(), "the first prune only marks: " + first);
        assertTrue(first.get("packs_marked").asLong() >= 2, first.toString());
        assertTrue(first.get("packs_repacked").asLong() >= 1, "packs with the forgotten unique file are repacked: " + first);
        assertTrue(first.get("reclaimable_bytes").asLong() >= 4 << 20, first.toString());
        assertTrue(packBytes(cli) > before, "nothing deleted yet, the repacked copies added");
        cli.expect(0, "check");
        everySnapshotRestoresExactly(cli, work, src, manifests);

        JsonNode second = json(cli.expect(0, "--json", "prune", "--keep-delete", "0s"));
        assertEquals(1, second.get("marks_processed").asLong(), second.toString());
        assertEquals(first.get("packs_marked").asLong(), second.get("packs_deleted").asLong(), second.toString());
        assertEquals(0, second.get("packs_kept").asLong());
        assertEquals(0, second.get("packs_marked").asLong(), "nothing else is unused: " + second);
        long after = packBytes(cli);
        assertTrue(after + (4 << 20) <= before, "stats shows the space reclaimed: " + before + " -> " + after);
        Cli.Run stats = cli.expect(0, "stats");
        assertTrue(stats.out().contains("Repository packs:"), stats.toString());

        Cli.Run check = cli.run("check", "--read-data");
        assertEquals(0, check.exit(), check.toString());
        everySnapshotRestoresExactly(cli, work, src, manifests);
        assertTrue(isEmpty(cli.repo.resolve("marks")), "every mark is done with");
        assertTrue(isEmpty(cli.repo.resolve("locks")), "the prune lock is gone");

        // A third prune finds nothing to do.
        JsonNode third = json(cli.expect(0, "--json", "prune", "--keep-delete", "0s"));
        assertEquals(0, third.get("packs_marked").asLong(), third.toString());
        assertEquals(0, third.get("packs_deleted").asLong(), third.toString());
        Cli.Run text = cli.expect(0, "prune");
        assertTrue(text.out().contains("marked:"), text.toString());
    }

    static boolean isEmpty(Path dir) throws java.io.IOException {
        if (!Files.isDirectory(dir)) {
            return true;
        }
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    @Test
    void forgetWithPruneAndBadOptions(@TempDir Path work) throws Exception {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        Path src = work.resolve("src");
        TreeGen.generate(src, 8, 20, 0, 0);
        cli.expect(0, "backup", src.toString());
        TreeGen.writeBig(src.resolve("x.bin"), 1, 1 << 20);
        cli.expect(0, "backup", src.toString());
        Cli.Run r = cli.expect(0, "forget", "--keep-last", "1", "--prune", "--keep-delete", "0s");
        assertTrue(r.out().contains("removed 1 snapshot") && r.out().contains("marked:"), r.toString());
        cli.expect(2, "forget", "--keep-within", "3w");
        cli.expect(2, "forget", "--keep-last", "1", "--group-by", "tags");
        cli.expect(2, "prune", "--max-unused", "150%");
        cli.expect(2, "prune", "--max-repack", "lots");
        cli.expect(2, "prune", "--keep-delete", "1 day");
        cli.expect(2, "forget", "--keep-last", "1", "deadbeef");
        assertTrue(cli.expect(0, "prune", "--help").out().contains("--keep-delete"));
    }

    @Test
    void aSnapshotThatComesBackAfterMarkingResurrectsItsPacks(@TempDir Path work) throws Exception {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        Path src = work.resolve("src");
        TreeGen.generate(src, 9, 40, 0, 0);
        TreeGen.writeBig(src.resolve("old.bin"), 5, 3 << 20);
        String old = json(cli.expect(0, "--json", "backup", src.toString())).get("snapshot_id").asText();
        Map<String, Map<String, String>> manifests = new LinkedHashMap<>();
        manifests.put(old, TreeGen.manifest(src));
        Files.delete(src.resolve("old.bin"));
        String now = json(cli.expect(0, "--json", "backup", src.toString())).get("snapshot_id").asText();
        manifests.put(now, TreeGen.manifest(src));

        // Forget the old snapshot, keep its file aside, let a prune mark its data...
        Path file = cli.repo.resolve("snapshots").resolve(old);
        byte[] kept = Files.readAllBytes(file);
        cli.expect(0, "forget", old);
        JsonNode mark = json(cli.expect(0, "--json", "prune", "--keep-delete", "0s"));
        assertTrue(mark.get("packs_marked").asLong() > 0, mark.toString());
        // ...and bring the snapshot back, as a backup that reused those blobs would have: check
        // reports the marked packs that a snapshot needs.
        Files.write(file, kept);
        Cli.Run check = cli.run("check");
        assertEquals(ExitCodes.INTEGRITY, check.exit(), check.toString());
        assertTrue(check.err().contains("is marked for deletion"), check.toString());

        // The deleting prune keeps every pack the snapshot needs; nothing is lost.
        JsonNode delete = json(cli.expect(0, "--json", "prune", "--keep-delete", "0s"));
        assertTrue(delete.get("packs_kept").asLong() > 0, delete.toString());
        Cli.Run again = cli.run("check", "--read-data");
        assertEquals(0, again.exit(), again.toString());
        everySnapshotRestoresExactly(cli, work, src, manifests);
        assertEquals(0, cli.run("check", "--read-data-subset", "1/2").exit());
        Cli.Run percent = cli.expect(0, "--json", "check", "--read-data-subset", "50%");
        assertTrue(json(percent).get("packs_read").asLong() <= json(percent).get("packs").asLong());
        assertEquals(0, json(cli.expect(0, "--json", "check", "--read-data-subset", "100%")).get("errors").asLong());
        cli.expect(2, "check", "--read-data-subset", "0%");
        cli.expect(2, "check", "--read-data-subset", "abc%");
    }
}
