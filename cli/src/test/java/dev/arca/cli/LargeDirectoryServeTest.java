package dev.arca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arca.cli.serve.ArcaServer;
import dev.arca.cli.serve.Auth;
import dev.arca.engine.files.BackupSession;
import dev.arca.engine.files.BackupStats;
import dev.arca.format.id.BlobId;
import dev.arca.format.repo.Repository;
import dev.arca.format.snapshot.Snapshot;
import dev.arca.format.testing.TestRepos;
import dev.arca.format.tree.Node;
import dev.arca.format.tree.NodeKind;
import dev.arca.format.tree.Tree;
import dev.arca.nio.RepositoryTree;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A directory of 100,000 files of 1 MiB whose content blobs do not exist at all: listing it over
 * PROPFIND and as a page works, so listings read no file content. Many clients at once are served.
 */
class LargeDirectoryServeTest {
    static final int ENTRIES = 100_000;

    @Test
    void aHundredThousandEntriesListWithoutReadingContent() throws Exception {
        try (Repository repo = TestRepos.memory()) {
            BlobId missing = BlobId.fromBytes(new byte[32]);
            List<Node> nodes = new ArrayList<>(ENTRIES);
            for (int i = 0; i < ENTRIES; i++) {
                nodes.add(Node.builder(String.format("file-%06d.bin", i), NodeKind.FILE).mode(0644)
                        .mtime(Instant.ofEpochSecond(1_700_000_000L + i)).size(1 << 20).content(List.of(missing)).build());
            }
            String id;
            try (BackupSession session = new BackupSession(repo, new BackupStats())) {
                BlobId big = session.saveTree(Tree.of(nodes));
                BlobId root = session.saveTree(Tree.of(List.of(Node.builder("big", NodeKind.DIR).mode(0755)
                        .mtime(Instant.ofEpochSecond(1_700_000_000L)).subtree(big).build())));
                Snapshot s = new Snapshot();
                s.time = "2024-01-02T03:04:05Z";
                s.tree = root.hex();
                s.host = "h";
                id = session.commit(s).hex();
            }
            try (ArcaServer server = ArcaServer.start(new RepositoryTree(repo), new InetSocketAddress("127.0.0.1", 0),
                    Auth.none(), 8, System.err)) {
                URI base = URI.create("http://127.0.0.1:" + server.address().getPort());
                HttpClient http = HttpClient.newHttpClient();
                HttpRequest propfind = HttpRequest.newBuilder(base.resolve("/latest/h/big/")).header("Depth", "1")
                        .method("PROPFIND", HttpRequest.BodyPublishers.noBody()).build();
                HttpResponse<java.io.InputStream> r = http.send(propfind, HttpResponse.BodyHandlers.ofInputStream());
                assertEquals(207, r.statusCode());
                long responses = 0;
                long lengths = 0;
                try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        if (line.startsWith("<d:response>")) {
                            responses++;
                        }
                        if (line.contains("<d:getcontentlength>1048576</d:getcontentlength>")) {
                            lengths++;
                        }
                    }
                }
                assertEquals(ENTRIES + 1, responses);
                assertEquals(ENTRIES, lengths);

                HttpResponse<String> page = http.send(HttpRequest.newBuilder(base.resolve("/snapshots/" + id + "/big/"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, page.statusCode());
                assertTrue(page.body().contains("file-099999.bin"));

                // The content really is missing: only reading a file touches it.
                assertEquals(500, http.send(HttpRequest.newBuilder(base.resolve("/latest/h/big/file-000001.bin")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode());

                // Many clients at once, each on its own connection.
                ExecutorService clients = Executors.newFixedThreadPool(32);
                HttpClient[] pool = new HttpClient[32];
                for (int i = 0; i < pool.length; i++) {
                    pool[i] = HttpClient.newHttpClient();
                }
                try {
                    List<Future<Integer>> codes = new ArrayList<>();
                    for (int i = 0; i < 200; i++) {
                        int n = i;
                        codes.add(clients.submit(() -> pool[n % pool.length].send(HttpRequest.newBuilder(
                                base.resolve(String.format("/latest/h/big/file-%06d.bin", n * 97))).header("Depth", "0")
                                .method("PROPFIND", HttpRequest.BodyPublishers.noBody()).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode()));
                    }
                    for (Future<Integer> c : codes) {
                        assertEquals(207, c.get());
                    }
                } finally {
                    clients.shutdownNow();
                }
            }
        }
    }
}
