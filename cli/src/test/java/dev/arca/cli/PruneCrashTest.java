package dev.arca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A prune killed with SIGKILL at random moments (while it repacks, rewrites index files, deletes
 * packs or marks) leaves a repository that check passes; the next prunes finish the work, and
 * every snapshot restores exactly.
 */
class PruneCrashTest {
    @Test
    void killedPrunesLoseNothing(@TempDir Path work) throws Exception {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        Path src = work.resolve("src");
        TreeGen.generate(src, 31, 120, 1, 2 << 20);
        Map<String, Map<String, String>> manifests = new HashMap<>();
        Random r = new Random(2027);
        for (int i = 0; i < 3; i++) {
            backup(cli, src, manifests, r, i);
        }
        cli.expect(0, "forget", "--keep-last", "2");
        // How long a prune that marks and repacks runs here: the kills fall inside such a run.
        long t0 = System.nanoTime();
        Subprocess.Result timed = Subprocess.run(cli, Subprocess.javaCommand("prune", "--keep-delete", "0s",
                "--max-unused", "0%"));
        assertEquals(0, timed.exit(), timed.toString());
        long runMillis = (System.nanoTime() - t0) / 1_000_000;

        int killed = 0;
        List<Long> delays = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            backup(cli, src, manifests, r, 10 + round);
            cli.expect(0, "forget", "--keep-last", "2");
            long delay = runMillis * (20 + r.nextInt(75)) / 100;
            delays.add(delay);
            Process p = Subprocess.builder(cli, Subprocess.javaCommand("prune", "--keep-delete", "0s", "--max-unused", "0%"),
                    work.resolve("prune-out-" + round), work.resolve("prune-err-" + round)).start();
            if (!p.waitFor(delay, TimeUnit.MILLISECONDS)) {
                killed++;
                p.destroyForcibly();
                p.waitFor();
            } else {
                assertEquals(0, p.exitValue(), "a prune that was not killed succeeds");
            }
            Cli.Run check = cli.run("check");
            assertEquals(0, check.exit(), "check after a kill at " + delay + " ms:\n" + check);
        }
        assertTrue(killed >= 2, "most rounds kill a running prune (a prune ran " + runMillis + " ms; delays " + delays + ")");

        // The next prunes finish what the killed ones began (a stale lock of a dead process
        // included). Each interrupted repack may have left one more generation of copies, which
        // becomes unused only once the pack before it is gone: a few runs converge.
        JsonNode last = null;
        int runs = 0;
        do {
            last = EndToEndTest.lastJsonLine(cli.expect(0, "--json", "prune", "--keep-delete", "0s").out());
            runs++;
        } while ((last.get("packs_marked").asLong() > 0 || last.get("marks_pending").asLong() > 0) && runs < 10);
        assertEquals(0, last.get("packs_marked").asLong(), "prunes converge, nothing is left to mark: " + last);
        assertEquals(0, last.get("marks_pending").asLong(), last.toString());
        Cli.Run full = cli.run("check", "--read-data");
        assertEquals(0, full.exit(), full.toString());
        assertTrue(!full.err().contains("warning"), "no pack is left unindexed: " + full);
        JsonNode snaps = EndToEndTest.json(cli.expect(0, "--json", "snapshots").out());
        assertEquals(2, snaps.size());
        for (JsonNode s : snaps) {
            String id = s.get("id").asText();
            Path target = work.resolve("restore-" + id.substring(0, 8));
            cli.expect(0, "restore", id, "--target", target.toString());
            assertEquals(manifests.get(id), TreeGen.manifest(EndToEndTest.restored(target, src)), "snapshot " + id);
        }
    }

    private static void backup(Cli cli, Path src, Map<String, Map<String, String>> manifests, Random r, int round)
            throws Exception {
        TreeGen.mutate(src, round);
        TreeGen.writeBig(src.resolve("round.bin"), r.nextLong(), 3 << 20);
        String id = EndToEndTest.lastJsonLine(cli.expect(0, "--json", "backup", src.toString()).out())
                .get("snapshot_id").asText();
        manifests.put(id, TreeGen.manifest(src));
    }
}
