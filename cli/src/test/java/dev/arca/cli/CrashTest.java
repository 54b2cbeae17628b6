package dev.arca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup killed with SIGKILL at random moments leaves a repository that check passes and that
 * still restores every earlier snapshot; the next backup succeeds.
 */
class CrashTest {
    @Test
    void killedBackupsLeaveARepositoryThatChecksAndRestores(@TempDir Path work) throws Exception {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        Path src = work.resolve("src");
        TreeGen.generate(src, 99, 800, 2, 80 << 20);
        cli.expect(0, "backup", src.toString());

        Random r = new Random(2026);
        // How long one such backup runs here, start-up included: the kills fall inside it however
        // fast the machine is. The timed backup's snapshot is the one the restore below expects.
        TreeGen.writeBig(src.resolve("big-1.dat"), r.nextLong(), 80 << 20);
        long t0 = System.nanoTime();
        Process timed = Subprocess.builder(cli, Subprocess.javaCommand("backup", src.toString()),
                work.resolve("timed-out"), work.resolve("timed-err")).start();
        assertEquals(0, timed.waitFor(), "the timed backup succeeds");
        long runMillis = (System.nanoTime() - t0) / 1_000_000;
        Map<String, String> before = TreeGen.manifest(src);

        List<Long> delays = new ArrayList<>();
        int killedMidway = 0;
        for (int round = 0; round < 6; round++) {
            TreeGen.mutate(src, round);
            // Rewrite a big file so that there is fresh data to store while the process dies.
            TreeGen.writeBig(src.resolve("big-1.dat"), r.nextLong(), 80 << 20);
            long delay = runMillis * (15 + r.nextInt(70)) / 100;
            delays.add(delay);
            Process p = Subprocess.builder(cli, Subprocess.javaCommand("backup", src.toString()),
                    work.resolve("kill-out-" + round), work.resolve("kill-err-" + round)).start();
            boolean finished = p.waitFor(delay, TimeUnit.MILLISECONDS);
            if (!finished) {
                killedMidway++;
                p.destroyForcibly();
                p.waitFor();
            }
            Cli.Run check = cli.run("check");
            assertEquals(0, check.exit(), "check after a kill at " + delay + " ms:\n" + check);
        }
        assertTrue(killedMidway >= 3, "most rounds should kill a running backup (a backup ran " + runMillis + " ms; delays " + delays + ")");

        // The timed backup's snapshot: the second one (a killed backup leaves none).
        String first = Output.JSON.readTree(cli.expect(0, "--json", "snapshots").out()).get(1).get("id").asText();
        Path t1 = work.resolve("restore-first");
        cli.expect(0, "restore", first, "--target", t1.toString());
        assertEquals(before, TreeGen.manifest(EndToEndTest.restored(t1, src)), "the earlier snapshot restores exactly");

        cli.expect(0, "backup", src.toString());
        Map<String, String> now = TreeGen.manifest(src);
        Path t2 = work.resolve("restore-last");
        cli.expect(0, "restore", "latest", "--target", t2.toString());
        assertEquals(now, TreeGen.manifest(EndToEndTest.restored(t2, src)), "the next backup succeeds and restores");
        Cli.Run full = cli.run("check", "--read-data");
        assertEquals(0, full.exit(), full.toString());
        assertTrue(Files.exists(cli.repo.resolve("config")));
    }
}
