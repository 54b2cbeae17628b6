package dev.arca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.format.backend.FlakyBackend;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every repository location behind a backend that fails 5% of its requests at random (before a
 * request, after a save took effect, midway through a listing or a read): init, backup, restore,
 * check, copy, sync, forget and prune still complete, through the retries every location gets.
 */
class FlakyBackendCliTest {
    private final ConcurrentLinkedQueue<FlakyBackend> flaky = new ConcurrentLinkedQueue<>();
    private final AtomicLong seeds = new AtomicLong(8);

    @AfterEach
    void reset() {
        Locations.testDecorator = java.util.function.UnaryOperator.identity();
    }

    @Test
    void everyCommandCompletesDespiteFailures(@TempDir Path work) throws Exception {
        Locations.testDecorator = b -> {
            FlakyBackend f = new FlakyBackend(b, 0.05, seeds.incrementAndGet());
            flaky.add(f);
            return f;
        };
        Cli cli = new Cli(work);
        cli.env.put("ARCA_PASSWORD", ReplicationTest.PW_A);
        Path src = work.resolve("src");
        List<Map<String, String>> states = ReplicationTest.twoSnapshots(cli, src);
        cli.expect(0, "check", "--read-data");

        String b = work.resolve("b").toString();
        ReplicationTest.run(cli, Map.of("ARCA_PASSWORD", ReplicationTest.PW_B, "ARCA_FROM_PASSWORD",
                ReplicationTest.PW_A), 0, "-r", b, "init", "--copy-params-from", cli.repo.toString());
        JsonNode copy = EndToEndTest.lastJsonLine(ReplicationTest.run(cli, Map.of("ARCA_TO_PASSWORD",
                ReplicationTest.PW_B), 0, "--json", "copy", "--to", b).out());
        assertEquals(2, copy.get("snapshots_copied").asInt());
        String m = work.resolve("mirror").toString();
        cli.expect(0, "sync", "--to", m);
        JsonNode again = EndToEndTest.lastJsonLine(cli.expect(0, "--json", "sync", "--to", m).out());
        assertEquals(0, again.get("files_sent").asLong(), again.toString());

        for (String[] repo : new String[][] {{cli.repo.toString(), ReplicationTest.PW_A}, {b, ReplicationTest.PW_B},
                {m, ReplicationTest.PW_A}}) {
            assertEquals(states, ReplicationTest.restoreAll(cli, repo[0], repo[1], src,
                    work.resolve("restore-" + Path.of(repo[0]).getFileName())), repo[0]);
            ReplicationTest.run(cli, Map.of("ARCA_PASSWORD", repo[1]), 0, "-r", repo[0], "check", "--read-data");
        }
        // retention and both phases of prune, through the same failures
        cli.expect(0, "forget", "--keep-last", "1", "--group-by", "paths");   // the two snapshots are of hosts db1 and db2
        cli.expect(0, "prune", "--keep-delete", "0s");
        cli.expect(0, "prune", "--keep-delete", "0s");
        cli.expect(0, "check", "--read-data");
        assertEquals(List.of(states.get(states.size() - 1)), ReplicationTest.restoreAll(cli, cli.repo.toString(),
                ReplicationTest.PW_A, src, work.resolve("restore-after-prune")));

        long failures = flaky.stream().mapToLong(FlakyBackend::failures).sum();
        long requests = flaky.stream().mapToLong(FlakyBackend::requests).sum();
        assertTrue(failures > 20, "only " + failures + " failures were injected in " + requests + " requests");
    }
}
