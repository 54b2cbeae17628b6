package dev.arca.engine.rocksdb;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arca.format.backend.LocalBackend;
import dev.arca.format.repo.Repository;
import dev.arca.index.LmdbBlobIndex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.rocksdb.BackupEngine;
import org.rocksdb.BackupEngineOptions;
import org.rocksdb.Env;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * arca's engine against RocksDB's own BackupEngine on the same database: time of the first and
 * the second backup (after a few percent of updates and a compaction), bytes stored after each,
 * restore time. Writes a Markdown table to {@code arca.bench.rocksdb.out} (default
 * {@code target/rocksdb-bench.md}). Run with {@code bench/rocksdb.sh}; the size is
 * {@code -Darca.bench.rocksdb.bytes} (default 1 GiB of values; the issue asks for a few GB).
 */
@Tag("slow")
class RocksdbBenchTest {
    static final long BYTES = Long.getLong("arca.bench.rocksdb.bytes", 1L << 30);
    static final int VALUE = 1000;
    static final String[] WORDS = ("user order item price total status shipped pending paid refunded customer address "
            + "city country email phone created updated quantity discount").split(" ");

    static byte[] value(Random r, long key) {
        StringBuilder b = new StringBuilder(VALUE + 64);
        b.append("{\"id\":").append(key);
        while (b.length() < VALUE) {
            b.append(",\"").append(WORDS[r.nextInt(WORDS.length)]).append("\":\"")
                    .append(WORDS[r.nextInt(WORDS.length)]).append(r.nextInt(100000)).append('"');
        }
        return b.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    static void write(RocksDB db, long from, long count, long step, long seed) throws Exception {
        Random r = new Random(seed);
        try (WriteOptions wo = new WriteOptions().setDisableWAL(true)) {
            WriteBatch batch = new WriteBatch();
            for (long i = 0; i < count; i++) {
                long k = from + i * step;
                batch.put(String.format("k%012d", k).getBytes(StandardCharsets.UTF_8), value(r, k));
                if (batch.count() == 1000) {
                    db.write(wo, batch);
                    batch.close();
                    batch = new WriteBatch();
                }
            }
            db.write(wo, batch);
            batch.close();
        }
    }

    static long du(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    @Test
    void arcaAgainstBackupEngine() throws Exception {
        RocksDB.loadLibrary();
        dev.arca.format.crypto.CryptoWarmup.start(); // as the command line does
        Path work = Files.createTempDirectory("arca-rocksdb-bench-");
        Path dbDir = work.resolve("db");
        Path beDir = Files.createDirectories(work.resolve("backupengine"));
        Path repoDir = work.resolve("repo");
        long keys = BYTES / VALUE;
        StringBuilder report = new StringBuilder();
        try (Options o = new Options().setCreateIfMissing(true); RocksDB db = RocksDB.open(o, dbDir.toString());
             BackupEngineOptions beo = new BackupEngineOptions(beDir.toString());
             BackupEngine be = BackupEngine.open(Env.getDefault(), beo);
             Repository repo = Repository.init(new LocalBackend(repoDir), "bench".toCharArray(),
                     Repository.InitOptions.defaults("bench", "bench"),
                     id -> LmdbBlobIndex.open(work.resolve("cache").resolve(id)), new SecureRandom())) {
            write(db, 0, keys, 1, 1);
            db.flush(new FlushOptions().setWaitForFlush(true));
            db.compactRange();
            long dbBytes = du(dbDir);
            ArcaBackupEngine arca = new ArcaBackupEngine(repo, "bench");

            long t = System.nanoTime();
            be.createNewBackup(db, true);
            double be1 = seconds(t);
            long beBytes1 = du(beDir);
            t = System.nanoTime();
            arca.createNewBackup(db, true);
            double arca1 = seconds(t);
            long arcaBytes1 = du(repoDir);

            // a few percent of the keys updated, then a compaction over part of the key space
            write(db, 7, keys / 30, 30, 2);
            db.flush(new FlushOptions().setWaitForFlush(true));
            db.compactRange(String.format("k%012d", 0).getBytes(StandardCharsets.UTF_8),
                    String.format("k%012d", keys / 4).getBytes(StandardCharsets.UTF_8));
            long dbBytes2 = du(dbDir);

            t = System.nanoTime();
            be.createNewBackup(db, true);
            double be2 = seconds(t);
            long beBytes2 = du(beDir);
            t = System.nanoTime();
            arca.createNewBackup(db, true);
            double arca2 = seconds(t);
            long arcaBytes2 = du(repoDir);

            Path r1 = work.resolve("restore-be");
            Path r2 = work.resolve("restore-arca");
            t = System.nanoTime();
            try (org.rocksdb.RestoreOptions ro = new org.rocksdb.RestoreOptions(false)) {
                be.restoreDbFromLatestBackup(r1.toString(), r1.toString(), ro);
            }
            double beRestore = seconds(t);
            t = System.nanoTime();
            arca.restoreDbFromLatestBackup(r2.toString(), r2.toString(), RestoreOptions.DEFAULT);
            double arcaRestore = seconds(t);

            report.append("# arca rocksdb engine vs RocksDB BackupEngine\n\n")
                    .append(String.format("Database: %d keys, %.0f MiB of SST after load (%.0f MiB after updates of 3.3%% "
                            + "of the keys and a compaction of a quarter of the key space); RocksDB default options "
                            + "(Snappy). %d cores. rocksdbjni %s.%n%n", keys, dbBytes / 1048576.0, dbBytes2 / 1048576.0,
                            Runtime.getRuntime().availableProcessors(), "10.2.1"))
                    .append("| step | BackupEngine | arca | arca / BackupEngine |\n|---|---|---|---|\n")
                    .append(row("first backup, s", be1, arca1))
                    .append(row("stored after first, MiB", beBytes1 / 1048576.0, arcaBytes1 / 1048576.0))
                    .append(row("second backup, s", be2, arca2))
                    .append(row("stored after second, MiB", beBytes2 / 1048576.0, arcaBytes2 / 1048576.0))
                    .append(row("restore latest, s", beRestore, arcaRestore))
                    .append(String.format("%nTarget (issue 4): both backups together in at most 1.5x BackupEngine's "
                            + "time: %.2fx, %s.%n", (arca1 + arca2) / (be1 + be2),
                            arca1 + arca2 <= 1.5 * (be1 + be2) ? "met" : "NOT met"))
                    .append("\nLoad average at the end (other work on the machine skews the times): ")
                    .append(Files.isReadable(Path.of("/proc/loadavg")) ? Files.readString(Path.of("/proc/loadavg")).strip()
                            : "unknown").append('\n');
            Path out = Path.of(System.getProperty("arca.bench.rocksdb.out", "target/rocksdb-bench.md"));
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, report.toString());
            System.out.println(report);
            assertTrue(arcaBytes1 < beBytes1 && arcaBytes2 < beBytes2, "arca stores fewer bytes:\n" + report);
        } finally {
            try (Stream<Path> s = Files.walk(work)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static String row(String step, double be, double arca) {
        return String.format("| %s | %.2f | %.2f | %.2f |%n", step, be, arca, arca / be);
    }
}
