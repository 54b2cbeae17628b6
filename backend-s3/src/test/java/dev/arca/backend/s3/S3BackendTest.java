package dev.arca.backend.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arca.format.backend.Backend;
import dev.arca.format.backend.BackendConformanceTest;
import dev.arca.format.backend.FileType;
import dev.arca.format.backend.Handle;
import dev.arca.format.backend.PermanentBackendException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The backend conformance suite against a real S3 server (S3Proxy), plus what only S3 shows. */
class S3BackendTest extends BackendConformanceTest {
    private static S3TestServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = new S3TestServer();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected Backend newBackend() throws IOException {
        // Under a prefix, so the suite also shows that nothing escapes it.
        return S3Backend.open(server.newLocation("team/repo"), server.env());
    }

    @Test
    void aBucketThatDoesNotExistIsAClearPermanentError() {
        PermanentBackendException e = assertThrows(PermanentBackendException.class,
                () -> S3Backend.open("s3:" + server.endpoint() + "/no-such-bucket/x", server.env()));
        assertTrue(e.getMessage().contains("'no-such-bucket' does not exist"), e.getMessage());
    }

    @Test
    void wrongCredentialsAreAClearPermanentError() {
        PermanentBackendException e = assertThrows(PermanentBackendException.class,
                () -> S3Backend.open(server.newLocation(""), Map.of("AWS_ACCESS_KEY_ID", "someone",
                        "AWS_SECRET_ACCESS_KEY", "wrong")));
        assertTrue(e.getMessage().contains("refused"), e.getMessage());
    }

    @Test
    void credentialsComeFromTheProfileFilesUnderHome(@org.junit.jupiter.api.io.TempDir java.nio.file.Path home)
            throws IOException {
        java.nio.file.Path aws = java.nio.file.Files.createDirectories(home.resolve(".aws"));
        java.nio.file.Files.writeString(aws.resolve("credentials"), "[default]\naws_access_key_id = wrong\n"
                + "aws_secret_access_key = wrong\n\n[arca]\naws_access_key_id = " + S3TestServer.ACCESS_KEY
                + "\naws_secret_access_key = " + S3TestServer.SECRET_KEY + "\n");
        String loc = server.newLocation("p");
        try (Backend b = S3Backend.open(loc, Map.of("HOME", home.toString(), "AWS_PROFILE", "arca"))) {
            assertTrue(b.isEmpty());
        }
        assertThrows(PermanentBackendException.class, () -> S3Backend.open(loc, Map.of("HOME", home.toString())),
                "the default profile's credentials are refused");
        PermanentBackendException none = assertThrows(PermanentBackendException.class,
                () -> S3Backend.open(loc, Map.of("HOME", home.resolve("nobody").toString())));
        assertTrue(none.getMessage().contains("no credentials"), none.getMessage());
    }

    @Test
    void filesLiveUnderThePrefixWithTheLocalLayout() throws IOException {
        String bucket = server.newBucket();
        String name = "ab" + "0".repeat(62);
        try (Backend b = S3Backend.open("s3:" + server.endpoint() + "/" + bucket + "/p/q", server.env())) {
            b.save(new Handle(FileType.PACK, name), dev.arca.format.backend.Payload.of(new byte[] {1, 2, 3}));
            b.save(Handle.CONFIG, dev.arca.format.backend.Payload.of(new byte[] {4}));
        }
        List<String> keys = new java.util.ArrayList<>();
        server.blobStore().list(bucket, org.jclouds.blobstore.options.ListContainerOptions.Builder.recursive())
                .forEach(m -> keys.add(m.getName()));
        java.util.Collections.sort(keys);
        assertEquals(List.of("p/q/config", "p/q/data/ab/" + name), keys);
        // A sibling prefix sees none of it.
        try (Backend other = S3Backend.open("s3:" + server.endpoint() + "/" + bucket + "/p", server.env())) {
            assertTrue(other.exists(Handle.CONFIG) == false);
            List<Handle> packs = new java.util.ArrayList<>();
            other.list(FileType.PACK, f -> packs.add(f.handle()));
            assertEquals(List.of(), packs);
        }
    }

    @Test
    void locationsParse() {
        S3Location l = S3Location.parse("s3:https://s3.example.net:9000/backups/site-a/arca/");
        assertEquals("https://s3.example.net:9000", l.endpoint().toString());
        assertEquals("backups", l.bucket());
        assertEquals("site-a/arca", l.prefix());
        assertEquals("site-a/arca/index/x", l.key("index/x"));
        S3Location aws = S3Location.parse("s3:my-bucket");
        assertEquals(null, aws.endpoint());
        assertEquals("", aws.prefix());
        assertThrows(IllegalArgumentException.class, () -> S3Location.parse("s3:http://host:9000"));
        assertThrows(IllegalArgumentException.class, () -> S3Location.parse("s3:http://host/UPPER"));
        assertThrows(IllegalArgumentException.class, () -> S3Location.parse("s3:http://host/b1b/a//c"));
    }
}
