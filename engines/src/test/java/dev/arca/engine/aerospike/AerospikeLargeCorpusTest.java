package dev.arca.engine.aerospike;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arca.engine.files.BackupStats;
import dev.arca.engine.files.FileBackup;
import dev.arca.format.backend.LocalBackend;
import dev.arca.format.repo.Repository;
import dev.arca.format.testing.TestRepos;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hundreds of MB through backup and restore, as a directory and as one stream (slow: not in the default build). */
@Tag("slow")
class AerospikeLargeCorpusTest {
    static String sha256(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (DigestInputStream d = new DigestInputStream(in, md)) {
                d.transferTo(OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void threeHundredMegabytesRoundTripAsDirectoryAndAsStream(@TempDir Path dir) throws IOException {
        Path v1 = dir.resolve("v1");
        Path v2 = dir.resolve("v2");
        long size1 = AsbCorpus.write(v1, 3, 240_000, 1, 0);
        long size2 = AsbCorpus.write(v2, 3, 240_000, 2, 30);
        Files.createDirectories(dir.resolve("repo"));
        try (Repository repo = TestRepos.init(new LocalBackend(dir.resolve("repo")))) {
            long t0 = System.nanoTime();
            FileBackup.Result r1 = new AerospikeBackup(repo, AerospikeEngineTest.OPTS, new BackupStats()).directory(v1);
            long t1 = System.nanoTime();
            FileBackup.Result r2 = new AerospikeBackup(repo, AerospikeEngineTest.OPTS, new BackupStats()).directory(v2);
            long added = r2.snapshot().summary.dataAdded;
            System.out.printf("large corpus: v1 %d bytes backed up in %.1f s; v2 %d bytes adds %d (%.1f%%), "
                    + "%d blobs in v1%n", size1, (t1 - t0) / 1e9, size2, added, 100.0 * added / size2,
                    r1.snapshot().summary.dataBlobs);
            assertTrue(added <= size2 / 4);
            AerospikeRestore restore = new AerospikeRestore(repo);
            Path out = dir.resolve("out");
            restore.toDirectory(r2.snapshot(), out);
            for (int f = 0; f < 3; f++) {
                String n = String.format("test_%05d.asb", f);
                assertEquals(sha256(v2.resolve(n)), sha256(out.resolve(n)), n);
            }
            Path stream = dir.resolve("stream.asb");
            try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(stream), 1 << 16)) {
                restore.toStream(r1.snapshot(), AerospikeRestore.Filter.NONE, o);
            }
            FileBackup.Result rs;
            try (InputStream in = Files.newInputStream(stream)) {
                rs = new AerospikeBackup(repo, AerospikeEngineTest.OPTS, new BackupStats()).stream(in, null, "-");
            }
            assertEquals(720_000, rs.snapshot().engineMetadata.get("records").asLong());
            Path back = dir.resolve("back.asb");
            try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(back), 1 << 16)) {
                restore.toStream(rs.snapshot(), AerospikeRestore.Filter.NONE, o);
            }
            assertEquals(sha256(stream), sha256(back));
        }
    }
}
