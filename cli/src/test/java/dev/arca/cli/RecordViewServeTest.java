package dev.arca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine snapshot's record view (here Aerospike records) under {@code records/} in serve's
 * WebDAV tree, on its pages and through the nio provider, with the JSON {@code arca dump} prints.
 */
class RecordViewServeTest {
    @Test
    void aerospikeRecordsAreFilesOfJson(@TempDir Path work) throws Exception {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        Path src = AerospikeCliTest.fixtures(work);
        cli.expect(0, "aerospike", "backup", "--directory", src.toString(), "--namespace", "test");
        String dumped = cli.expect(0, "dump", "latest", "/records/test/demo/key1").out();
        String base = "/latest/" + Hosts.hostname();
        HttpClient http = HttpClient.newHttpClient();
        try (Served served = new Served(cli)) {
            HttpResponse<String> root = http.send(HttpRequest.newBuilder(served.at(base + "/")).header("Depth", "1")
                    .method("PROPFIND", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(207, root.statusCode());
            assertTrue(root.body().contains("<d:href>" + base + "/records/</d:href>"), root.body());

            HttpResponse<String> set = http.send(HttpRequest.newBuilder(served.at(base + "/records/test/demo/"))
                    .header("Depth", "1").method("PROPFIND", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(207, set.statusCode());
            assertTrue(set.body().contains("<d:href>" + base + "/records/test/demo/key1</d:href>"), set.body());

            HttpResponse<String> rec = http.send(HttpRequest.newBuilder(served.at(base + "/records/test/demo/key1")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, rec.statusCode());
            assertEquals("application/json", rec.headers().firstValue("Content-Type").orElseThrow());
            assertEquals(dumped, rec.body());

            HttpResponse<String> page = http.send(HttpRequest.newBuilder(served.at(base + "/records/test/demo/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(page.body().contains("gen 1"), "the page shows each record's summary: " + page.body());
        }

        URI uri = URI.create("arca://" + cli.repo.toUri().getRawPath() + "!/");
        try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of("password", cli.env.get("ARCA_PASSWORD"),
                "cacheDir", work.resolve("cache").toString()))) {
            Path records = fs.getPath(base, "records");
            try (Stream<Path> sets = Files.list(records.resolve("test"))) {
                assertEquals(List.of("demo", "test-set"), sets.map(p -> p.getFileName().toString()).sorted().toList());
            }
            assertEquals(dumped, Files.readString(records.resolve("test/demo/key1")));
            assertEquals(dumped.length(), Files.size(records.resolve("test/demo/key1")));
        }
    }
}
