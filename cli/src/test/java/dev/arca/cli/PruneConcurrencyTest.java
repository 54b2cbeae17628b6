package dev.arca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes back up into one repository while a third forgets and prunes with a short grace
 * period, round after round. Afterwards check --read-data passes and every snapshot still listed
 * restores exactly what was backed up.
 */
class PruneConcurrencyTest {
    /**
     * The grace period: longer than one of these backups runs (data phase and commit well under a
     * second, even on a loaded machine), as prune's rule requires.
     */
    static final int GRACE_SECONDS = 6;
    static final String GRACE = GRACE_SECONDS + "s";

    @Test
    void backupsRunWhileForgetAndPruneRun(@TempDir Path work) throws Exception {
        run(work, 3);
    }

    @Test
    @Tag("slow")
    void manyRounds(@TempDir Path work) throws Exception {
        run(work, 25);
    }

    private static void run(Path work, int rounds) throws Exception {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        Map<String, Map<String, String>> manifests = new ConcurrentHashMap<>();
        List<Path> sources = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            Path src = work.resolve("src-" + w);
            TreeGen.generate(src, 50 + w, 30, 1, 1 << 20);
            sources.add(src);
        }
        // Shared data in both sources, so that the backups deduplicate against each other.
        for (Path src : sources) {
            TreeGen.writeBig(src.resolve("shared.bin"), 777, 2 << 20);
        }
        AtomicBoolean backupsDone = new AtomicBoolean();
        AtomicInteger tooSlow = new AtomicInteger();
        AtomicLong packsKept = new AtomicLong();
        AtomicLong packsDeleted = new AtomicLong();
        AtomicInteger prunes = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> backers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int worker = w;
                backers.add(pool.submit(() -> {
                    Path src = sources.get(worker);
                    for (int round = 0; round < rounds; round++) {
                        TreeGen.mutate(src, worker * 1000L + round);
                        // New data each round, and old data coming back: blobs of forgotten
                        // snapshots that the prune may have marked get reused.
                        TreeGen.writeBig(src.resolve("churn.bin"), round % 3, 1 << 20);
                        Map<String, String> m = TreeGen.manifest(src);
                        Subprocess.Result r = Subprocess.run(cli, Subprocess.javaCommand("--json", "backup", src.toString()));
                        if (r.exit() != 0) {
                            assertTrue(r.err().contains("grace period"), "backup failed: " + r);
                            tooSlow.incrementAndGet();
                            continue;
                        }
                        manifests.put(EndToEndTest.lastJsonLine(r.out()).get("snapshot_id").asText(), m);
                    }
                    return null;
                }));
            }
            Future<?> pruner = pool.submit(() -> {
                while (!backupsDone.get()) {
                    Subprocess.Result f = Subprocess.run(cli, Subprocess.javaCommand("forget", "--keep-last", "2"));
                    assertEquals(0, f.exit(), f.toString());
                    Subprocess.Result p = Subprocess.run(cli, Subprocess.javaCommand("--json", "prune", "--keep-delete",
                            GRACE, "--max-unused", "1%"));
                    assertEquals(0, p.exit(), p.toString());
                    JsonNode s = EndToEndTest.lastJsonLine(p.out());
                    packsKept.addAndGet(s.get("packs_kept").asLong());
                    packsDeleted.addAndGet(s.get("packs_deleted").asLong());
                    prunes.incrementAndGet();
                }
                return null;
            });
            for (Future<?> b : backers) {
                b.get(5, TimeUnit.MINUTES);
            }
            backupsDone.set(true);
            pruner.get(5, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
        assertTrue(prunes.get() >= 2, "prune ran during the backups");
        assertTrue(tooSlow.get() <= rounds, "most backups succeed: " + tooSlow.get() + " were slower than the grace");

        // Straight after: the repository is whole.
        Cli.Run check = cli.run("check", "--read-data");
        boolean onlyMarkedInUse = check.err().lines().allMatch(l -> !l.startsWith("error:") || l.contains("is marked for deletion"));
        assertTrue(check.exit() == 0 || onlyMarkedInUse, check.toString());
        // Backups may have finished after the last forget; then let the last marks come due
        // and settle them.
        cli.expect(0, "forget", "--keep-last", "2");
        Thread.sleep(GRACE_SECONDS * 1000L);
        for (int i = 0; i < 2; i++) {
            packsDeleted.addAndGet(EndToEndTest.lastJsonLine(cli.expect(0, "--json", "prune", "--keep-delete", "0s").out())
                    .get("packs_deleted").asLong());
        }
        Cli.Run full = cli.run("check", "--read-data");
        assertEquals(0, full.exit(), full.toString());
        JsonNode snaps = EndToEndTest.json(cli.expect(0, "--json", "snapshots").out());
        assertEquals(4, snaps.size(), "forget kept the last two of each source");
        for (JsonNode s : snaps) {
            String id = s.get("id").asText();
            Path src = Path.of(s.get("paths").get(0).asText());
            Path target = work.resolve("restore-" + id.substring(0, 8));
            cli.expect(0, "restore", id, "--target", target.toString());
            assertEquals(manifests.get(id), TreeGen.manifest(EndToEndTest.restored(target, src)),
                    "snapshot " + id + " restores exactly (prunes " + prunes + ", packs deleted " + packsDeleted
                            + ", kept " + packsKept + ")");
        }
        assertTrue(packsDeleted.get() > 0, "the prunes deleted something");
    }
}
