package dev.arca.engine.redis;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.engine.Version;
import dev.arca.engine.files.BackupSession;
import dev.arca.engine.files.BackupStats;
import dev.arca.engine.files.FileBackup;
import dev.arca.format.id.BlobId;
import dev.arca.format.id.FileId;
import dev.arca.format.repo.Repository;
import dev.arca.format.snapshot.Snapshot;
import dev.arca.format.tree.Node;
import dev.arca.format.tree.NodeKind;
import dev.arca.format.tree.Tree;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Backs up one RDB — a file, or a live server's over the replication protocol — into a snapshot
 * of engine {@value #ENGINE}: the RDB verbatim (chunked on key records by {@link RdbChunker}
 * while {@link RdbParser} checks it) and its {@link KeyIndex} at {@value KeyIndex#PATH}. Nothing
 * is written to a temporary file but the key index (a few dozen bytes a key). A malformed RDB, a
 * wrong CRC64 or a broken transfer fails the backup before a snapshot is recorded.
 *
 * <p>Metadata: the RDB version, its aux fields (redis-ver, repl-id, repl-offset…), its keys and
 * expiring keys per database, the CRC64, functions and module aux counts, what part of it (if
 * any) is opaque, and warnings.
 */
public final class RedisBackup {
    public static final String ENGINE = "redis";
    /** The stored name of an RDB received from a server. */
    public static final String SYNC_NAME = "dump.rdb";

    public record Options(String host, String user, List<String> tags) {
    }

    private final Repository repo;
    private final Options options;
    private final BackupStats stats;
    private final Consumer<String> warn;

    /** @param warn receives each warning (an opaque tail, trailing bytes) as it is found */
    public RedisBackup(Repository repo, Options options, BackupStats stats, Consumer<String> warn) {
        this.repo = repo;
        this.options = options;
        this.stats = stats;
        this.warn = warn;
    }

    /** An RDB file, stored under its own name. */
    public FileBackup.Result file(Path rdb) throws IOException {
        if (!Files.isRegularFile(rdb)) {
            throw new java.nio.file.NoSuchFileException(rdb + ": no such RDB file");
        }
        Instant mtime = Files.getLastModifiedTime(rdb).toInstant();
        String name = rdb.getFileName().toString();
        if (Node.nameProblem(name) != null) {
            name = SYNC_NAME;
        }
        try (InputStream in = Files.newInputStream(rdb)) {
            ObjectNode source = JsonNodeFactory.instance.objectNode();
            source.put("kind", "file");
            source.put("path", rdb.toAbsolutePath().normalize().toString());
            return store(in, rdb.toString(), name, mtime, source,
                    List.of(rdb.toAbsolutePath().normalize().toString()));
        }
    }

    /** A live server's RDB over SYNC, stored as {@value #SYNC_NAME}. */
    public FileBackup.Result server(RedisUri uri, int readTimeoutMs, Consumer<Long> expectedLength) throws IOException {
        try (ReplicationSync sync = ReplicationSync.start(uri, readTimeoutMs)) {
            expectedLength.accept(sync.length());
            ObjectNode source = JsonNodeFactory.instance.objectNode();
            source.put("kind", "sync");
            source.put("uri", uri.redacted());
            source.put("transfer", sync.diskless() ? "diskless" : "disk");
            if (sync.redisVersion() != null) {
                source.put("redis_version", sync.redisVersion());
            }
            return store(sync.rdb(), uri.redacted(), SYNC_NAME, Instant.now(), source, List.of(uri.redacted()));
        }
    }

    private FileBackup.Result store(InputStream in, String shownName, String name, Instant mtime, ObjectNode source,
                                    List<String> paths) throws IOException {
        Path indexFile = Files.createTempFile("arca-redis-keys", ".tmp");
        try (BackupSession session = new BackupSession(repo, stats)) {
            RdbChunker chunker;
            BackupSession.Content rdb;
            List<BlobId> rdbIds;
            try (OutputStream idx = new BufferedOutputStream(Files.newOutputStream(indexFile), 1 << 16)) {
                KeyIndex.Writer w = new KeyIndex.Writer(idx);
                chunker = new RdbChunker(repo.chunker(), in, shownName, w::add);
                try (chunker) {
                    rdb = session.saveChunks(chunker::next);
                    rdbIds = join(rdb);
                }
            }
            RdbParser p = chunker.parser();
            p.warnings().forEach(warn);
            BackupSession.Content index;
            try (InputStream idx = Files.newInputStream(indexFile)) {
                index = session.saveContent(idx);
            }
            List<BlobId> indexIds = join(index);
            stats.filesProcessed.addAndGet(2);
            stats.filesNew.addAndGet(2);
            stats.dirsNew.addAndGet(2);
            Node rdbNode = session.withContent(Node.builder(name, NodeKind.FILE).mode(0644).mtime(mtime).ctime(mtime)
                    .size(rdb.length()), rdbIds);
            Instant now = Instant.now();
            Node idxNode = session.withContent(Node.builder(KeyIndex.NAME, NodeKind.FILE).mode(0644).mtime(now)
                    .ctime(now).size(index.length()), indexIds);
            BlobId arcaDir = session.saveTree(Tree.of(List.of(idxNode)));
            Node dir = Node.builder(KeyIndex.DIR, NodeKind.DIR).mode(0755).mtime(now).ctime(now).subtree(arcaDir).build();
            BlobId root = session.saveTree(Tree.of(new ArrayList<>(List.of(rdbNode, dir))));
            Snapshot s = new Snapshot();
            s.time = now.toString();
            s.tree = root.hex();
            s.paths = paths;
            s.host = options.host();
            s.user = options.user();
            s.tags = options.tags();
            s.engine = ENGINE;
            s.engineMetadata = metadata(p, name, rdb.length(), source);
            s.programVersion = Version.PROGRAM;
            FileId id = session.commit(s);
            return new FileBackup.Result(id, s, p.warnings());
        } finally {
            Files.deleteIfExists(indexFile);
        }
    }

    private static List<BlobId> join(BackupSession.Content c) throws IOException {
        try {
            return c.ids().join();
        } catch (RuntimeException e) {
            throw BackupSession.unwrap(e);
        }
    }

    static ObjectNode metadata(RdbParser p, String name, long size, ObjectNode source) {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("rdb_file", name);
        m.put("key_index", KeyIndex.PATH);
        m.put("rdb_size", size);
        m.put("rdb_version", p.version());
        m.put("magic", p.magic());
        Map<String, String> aux = p.aux();
        if (aux.containsKey("redis-ver")) {
            m.put("redis_ver", aux.get("redis-ver"));
        }
        if (aux.containsKey("repl-id")) {
            m.put("repl_id", aux.get("repl-id"));
        }
        if (aux.containsKey("repl-offset")) {
            m.put("repl_offset", aux.get("repl-offset"));
        }
        ObjectNode a = m.putObject("aux");
        aux.forEach(a::put);
        m.put("keys", p.keys());
        ObjectNode dbs = m.putObject("keys_per_db");
        p.keysPerDb().forEach((db, n) -> dbs.put(Integer.toString(db), n));
        ObjectNode exp = m.putObject("expires_per_db");
        p.expiresPerDb().forEach((db, n) -> exp.put(Integer.toString(db), n));
        m.put("functions", p.functions());
        m.put("module_aux", p.moduleAux());
        if (p.crcOk() == null) {
            m.put("crc64", p.version() >= 5 && p.opaqueFrom() < 0 ? "none (stored as 0)" : "none");
        } else {
            m.put("crc64", Crc64.hex(p.crcStored()));
        }
        m.put("crc64_checked", p.crcOk() != null);
        if (p.opaqueFrom() >= 0) {
            m.put("opaque_from", p.opaqueFrom());
        }
        if (p.trailingBytes() > 0) {
            m.put("trailing_bytes", p.trailingBytes());
        }
        ArrayNode w = m.putArray("warnings");
        p.warnings().forEach(w::add);
        m.set("source", source);
        return m;
    }
}
