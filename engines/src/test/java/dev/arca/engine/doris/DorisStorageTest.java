package dev.arca.engine.doris;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arca.format.backend.LocalBackend;
import dev.arca.format.repo.Repository;
import dev.arca.format.testing.TestRepos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Doris takes only full backups; stored in arca, ten daily ones of a table where 2% of the
 * tablets change per day cost about one full backup plus the changed files.
 */
class DorisStorageTest {
    static long du(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            long n = 0;
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(p)) {
                    n += Files.size(p);
                }
            }
            return n;
        }
    }

    @Test
    void tenDailyFullBackupsCostOneFullBackupPlusTheChanges(@TempDir Path dir) throws IOException {
        // One table, 5 partitions x 50 buckets = 250 tablets of 1-3 rowsets; 2% of the tablets change a day.
        DorisRepoGenerator.Params p = new DorisRepoGenerator.Params(2024, "daily", 1, 1, 5, 50, 3, 16 << 10, 0.02);
        DorisRepoGenerator gen = new DorisRepoGenerator(p);
        Path doris = dir.resolve("doris");
        Path arca = dir.resolve("arca");
        gen.writeRepoInfo(doris);
        long fullSum = 0;
        long changes = 0;
        long firstStored = 0;
        StringBuilder table = new StringBuilder("day  full backup  new files   arca repository\n");
        try (Repository repo = TestRepos.init(new LocalBackend(arca))) {
            long empty = du(arca);
            for (int day = 0; day < 10; day++) {
                List<DorisRepoGenerator.SnapshotInfo> s = gen.nextDay(doris);
                DorisBackup.Result r = DorisTesting.backup(repo, doris, null);
                assertEquals(1, r.outcomes().stream().filter(o -> o.status() == DorisBackup.Status.SAVED).count());
                long stored = du(arca) - empty;
                fullSum += s.get(0).bytes();
                if (day == 0) {
                    firstStored = stored;
                } else {
                    changes += s.get(0).newBytes();
                }
                table.append(String.format("%3d  %11d  %9d  %16d%n", day + 1, s.get(0).bytes(), s.get(0).newBytes(), stored));
            }
            long total = du(arca) - empty;
            table.append(String.format("ten full backups: %d bytes; arca: %d bytes = first %d + %d (%.1f%% of the "
                    + "ten), new files over days 2-10: %d bytes%n", fullSum, total, firstStored, total - firstStored,
                    100.0 * total / fullSum, changes));
            System.out.print(table);
            assertTrue(changes > 0);
            assertTrue(total - firstStored <= changes * 12 / 10 + 9 * (48 << 10),
                    "nine more daily backups cost the changed files plus a little metadata:\n" + table);
            assertTrue(total < fullSum / 5, "far less than ten full copies:\n" + table);
        }
    }
}
