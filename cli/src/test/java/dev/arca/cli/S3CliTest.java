package dev.arca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.backend.s3.S3TestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line against a real S3 server (S3Proxy in this JVM): the whole flow, copy and sync. */
class S3CliTest {
    private static S3TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new S3TestServer();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static Cli cli(Path work, String repo) {
        Cli cli = new Cli(work);
        cli.env.putAll(server.env());
        cli.env.put("ARCA_REPOSITORY", repo);
        return cli;
    }

    @Test
    void theWholeFlowOnS3(@TempDir Path work) throws Exception {
        String repo = server.newLocation("site-a/arca");
        Cli cli = cli(work, repo);
        assertTrue(cli.expect(0, "init").out().contains(repo));
        Path src = work.resolve("src");
        TreeGen.generate(src, 11, 200, 1, 20 << 20);
        Map<String, String> v1 = TreeGen.manifest(src);
        cli.expect(0, "backup", src.toString());
        TreeGen.mutate(src, 4);
        Map<String, String> v2 = TreeGen.manifest(src);
        cli.expect(0, "backup", src.toString());

        JsonNode snaps = EndToEndTest.json(cli.expect(0, "--json", "snapshots").out());
        assertEquals(2, snaps.size());
        assertTrue(cli.expect(0, "ls", "latest").out().contains("big-0.dat"));
        assertEquals(List.of(v1, v2), ReplicationTest.restoreAll(cli, repo, cli.env.get("ARCA_PASSWORD"), src,
                work.resolve("restore")));
        JsonNode check = EndToEndTest.lastJsonLine(cli.expect(0, "--json", "check", "--read-data").out());
        assertEquals(0, check.get("errors").asLong());
        assertTrue(check.get("packs_read").asLong() > 0);

        // Copy to a second bucket (made with --copy-params-from), and mirror to a third.
        String b = server.newLocation("");
        ReplicationTest.run(cli, Map.of("ARCA_FROM_PASSWORD", cli.env.get("ARCA_PASSWORD")), 0, "-r", b, "init",
                "--copy-params-from", repo);
        JsonNode copy = EndToEndTest.lastJsonLine(ReplicationTest.run(cli, Map.of("ARCA_TO_PASSWORD",
                cli.env.get("ARCA_PASSWORD")), 0, "--json", "copy", "--to", b).out());
        assertEquals(2, copy.get("snapshots_copied").asInt());
        assertEquals(List.of(v1, v2), ReplicationTest.restoreAll(cli, b, cli.env.get("ARCA_PASSWORD"), src,
                work.resolve("restore-b")));

        String mirror = server.newLocation("mirror");
        JsonNode sync = EndToEndTest.lastJsonLine(cli.expect(0, "--json", "sync", "--to", mirror).out());
        assertTrue(sync.get("files_sent").asLong() > 5, sync.toString());
        assertEquals(0, sync.get("errors").asLong());
        JsonNode again = EndToEndTest.lastJsonLine(cli.expect(0, "--json", "sync", "--to", mirror).out());
        assertEquals(0, again.get("bytes_sent").asLong(), again.toString());
        cli.expect(0, "-r", mirror, "check", "--read-data");

        // A pack damaged in the mirror's bucket (same size): check finds it, sync --verify-existing
        // sends it again, and the mirror checks clean.
        dev.arca.backend.s3.S3Location m = dev.arca.backend.s3.S3Location.parse(mirror);
        String packKey = null;
        for (var meta : server.blobStore().list(m.bucket(),
                org.jclouds.blobstore.options.ListContainerOptions.Builder.prefix("mirror/data/").recursive())) {
            if (meta.getName().length() > "mirror/data/xx/".length()) {
                packKey = meta.getName();
                break;
            }
        }
        byte[] bytes;
        try (var in = server.blobStore().getBlob(m.bucket(), packKey).getPayload().openStream()) {
            bytes = in.readAllBytes();
        }
        bytes[bytes.length / 3] ^= 0x10;
        server.blobStore().putBlob(m.bucket(), server.blobStore().blobBuilder(packKey).payload(bytes).build());
        cli.expect(ExitCodes.INTEGRITY, "-r", mirror, "check", "--read-data");
        JsonNode repaired = EndToEndTest.lastJsonLine(cli.expect(0, "--json", "sync", "--to", mirror,
                "--verify-existing").out());
        assertEquals(1, repaired.get("damaged_at_target").asLong(), repaired.toString());
        assertEquals(1, repaired.get("files_sent").asLong());
        cli.expect(0, "-r", mirror, "check", "--read-data");
    }

    @Test
    void localRepositorySyncsAndCopiesToS3(@TempDir Path work) throws Exception {
        Cli cli = new Cli(work);
        cli.env.putAll(server.env());
        Path src = work.resolve("src");
        List<Map<String, String>> states = ReplicationTest.twoSnapshots(cli, src);
        String mirror = server.newLocation("mirror");
        cli.expect(0, "sync", "--to", mirror);
        cli.expect(0, "-r", mirror, "check", "--read-data");
        assertEquals(states, ReplicationTest.restoreAll(cli, mirror, cli.env.get("ARCA_PASSWORD"), src,
                work.resolve("restore-mirror")));
    }

    @Test
    void aBucketThatDoesNotExistIsAClearError(@TempDir Path work) {
        String missing = "s3:" + server.endpoint() + "/no-such-bucket/arca";
        Cli cli = cli(work, missing);
        Cli.Run init = cli.expect(ExitCodes.ERROR, "init");
        assertTrue(init.err().contains("the bucket 'no-such-bucket' does not exist"), init.err());
        Cli.Run snaps = cli.expect(ExitCodes.ERROR, "snapshots");
        assertTrue(snaps.err().contains("does not exist"), snaps.err());
        Cli local = new Cli(work.resolve("l"));
        local.expect(0, "init");
        Cli.Run noCredentials = local.expect(ExitCodes.ERROR, "sync", "--to", server.newLocation(""));
        assertTrue(noCredentials.err().contains("no credentials for s3:"), noCredentials.err());
        local.env.putAll(server.env());
        Cli.Run sync = local.expect(ExitCodes.ERROR, "sync", "--to", missing);
        assertTrue(sync.err().contains("does not exist"), sync.err());
        Cli.Run noRepo = cli(work, server.newLocation("empty")).expect(ExitCodes.NO_REPOSITORY, "snapshots");
        assertTrue(noRepo.err().contains("no arca repository"), noRepo.err());
    }
}
