package dev.arca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A copy killed with SIGKILL at random moments leaves a target that check passes; running it
 * again finishes the job, and every snapshot restores exactly from the target.
 */
class CopyCrashTest {
    @Test
    void killedCopiesLoseNothingAndResume(@TempDir Path work) throws Exception {
        Cli cli = new Cli(work);
        cli.env.put("ARCA_PASSWORD", ReplicationTest.PW_A);
        cli.env.put("ARCA_FROM_PASSWORD", ReplicationTest.PW_A);
        cli.env.put("ARCA_TO_PASSWORD", ReplicationTest.PW_B);
        Path src = work.resolve("src");
        cli.expect(0, "init");
        TreeGen.generate(src, 17, 200, 1, 16 << 20);
        List<Map<String, String>> states = new ArrayList<>();
        Random r = new Random(77);
        for (int i = 0; i < 2; i++) {
            TreeGen.mutate(src, i);
            TreeGen.writeBig(src.resolve("big-0.dat"), r.nextLong(), 16 << 20);
            states.add(TreeGen.manifest(src));
            cli.expect(0, "backup", src.toString());
        }

        // How long a whole copy runs here, start-up included, so that the kills fall inside one.
        String timedTarget = work.resolve("timed").toString();
        Map<String, String> asB = Map.of("ARCA_PASSWORD", ReplicationTest.PW_B);
        ReplicationTest.run(cli, asB, 0, "-r", timedTarget, "init", "--copy-params-from", cli.repo.toString());
        long t0 = System.nanoTime();
        Subprocess.Result timed = Subprocess.run(cli, Subprocess.javaCommand("copy", "--to", timedTarget));
        assertEquals(0, timed.exit(), timed.toString());
        long runMillis = (System.nanoTime() - t0) / 1_000_000;

        String b = work.resolve("b").toString();
        ReplicationTest.run(cli, asB, 0, "-r", b, "init", "--copy-params-from", cli.repo.toString());
        int killedMidway = 0;
        List<Long> delays = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            long delay = runMillis * (20 + r.nextInt(60)) / 100 / (round < 3 ? 1 : 2);
            delays.add(delay);
            Process p = Subprocess.builder(cli, Subprocess.javaCommand("copy", "--to", b),
                    work.resolve("kill-out-" + round), work.resolve("kill-err-" + round)).start();
            if (!p.waitFor(delay, TimeUnit.MILLISECONDS)) {
                killedMidway++;
                p.destroyForcibly();
                p.waitFor();
            }
            Cli.Run check = ReplicationTest.run(cli, asB, 0, "-r", b, "check");
            assertTrue(check.out().contains("no errors"), check.toString());
        }
        assertTrue(killedMidway >= 2, "most rounds should kill a running copy (a copy ran " + runMillis
                + " ms; delays " + delays + ")");

        JsonNode last = EndToEndTest.lastJsonLine(cli.expect(0, "--json", "copy", "--to", b).out());
        assertEquals(2, last.get("snapshots_copied").asInt() + last.get("snapshots_skipped").asInt(), last.toString());
        JsonNode done = EndToEndTest.lastJsonLine(cli.expect(0, "--json", "copy", "--to", b).out());
        assertEquals(0, done.get("bytes_sent").asLong(), "a finished copy sends nothing: " + done);
        ReplicationTest.run(cli, asB, 0, "-r", b, "check", "--read-data");
        List<Map<String, String>> restored = ReplicationTest.restoreAll(cli, b, ReplicationTest.PW_B, src,
                work.resolve("restore"));
        assertEquals(states, restored, "every snapshot restores exactly from the target");
    }
}
