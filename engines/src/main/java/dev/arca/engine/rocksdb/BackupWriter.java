package dev.arca.engine.rocksdb;

import dev.arca.engine.Version;
import dev.arca.engine.files.BackupSession;
import dev.arca.engine.files.BackupStats;
import dev.arca.format.id.BlobId;
import dev.arca.format.id.FileId;
import dev.arca.format.io.LimitedInputStream;
import dev.arca.format.repo.Repository;
import dev.arca.format.repo.SnapshotRef;
import dev.arca.format.snapshot.Snapshot;
import dev.arca.format.tree.Node;
import dev.arca.format.tree.NodeKind;
import dev.arca.format.tree.Tree;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.SstFileReader;
import org.rocksdb.Status;

/**
 * Stores one backup as a snapshot: every file as its own content stream (so an SST that another
 * backup or database already holds deduplicates whole), a tree in BackupEngine layout, and the
 * meta file. A shared file whose name (number, session id or CRC, size) matches one already
 * stored for the database is not read again unless asked to verify unchanged files.
 *
 * <p>Every file read is checked: its length against the size recorded for it and, for imported
 * backups, its CRC-32C against the meta file. Any error throws before the snapshot is written,
 * so no snapshot refers to a partial backup.
 */
final class BackupWriter {
    /** A file to store; {@code path} null means a legacy-named shared file named after its CRC. */
    record Item(String path, String dbName, Path file, byte[] inline, long size, Long expectedCrc) {
    }

    /** A shared file an earlier backup stored, reusable by path. */
    record Stored(Node node, long crc32c, long size) {
    }

    /** Who makes the snapshot. */
    record Origin(String host, String user, List<String> tags) {
    }

    private final Repository repo;
    private final BackupStats stats;
    private final Map<String, Stored> stored;
    private final boolean verifyUnchanged;

    BackupWriter(Repository repo, BackupStats stats, Map<String, Stored> stored, boolean verifyUnchanged) {
        this.repo = repo;
        this.stats = stats;
        this.stored = stored;
        this.verifyUnchanged = verifyUnchanged;
    }

    /** The shared files of a stored backup, to offer to the next one. */
    static void collectShared(Repository repo, RocksBackup b, Map<String, Stored> into) throws IOException {
        Node dir = new dev.arca.engine.files.SnapshotWalker(repo).resolve(b.snapshot().treeId(), "shared_checksum");
        if (dir == null || !dir.isDir()) {
            return;
        }
        Map<String, RocksBackup.FileEntry> byPath = new TreeMap<>();
        for (RocksBackup.FileEntry f : b.files()) {
            byPath.put(f.path(), f);
        }
        for (Node n : repo.loadTree(dir.subtree()).nodes()) {
            RocksBackup.FileEntry f = byPath.get("shared_checksum/" + n.name());
            if (f != null && n.isFile() && n.size() == f.size()) {
                into.put(f.path(), new Stored(n, f.crc32c(), f.size()));
            }
        }
    }

    /**
     * Stores {@code items} and a meta file; {@code meta} null means arca writes one (schema 1)
     * from what it read, else the given one is stored verbatim and every file checked against it.
     */
    RocksBackup write(String name, int id, List<Item> items, BackupMeta meta, long timestamp, long sequence,
                      byte[] app, String source, String sourcePath, Origin origin, FileId parent, Instant time)
            throws IOException {
        if (app != null && app.length > BackupMeta.MAX_APP_METADATA) {
            throw new RocksdbException("app metadata too large (" + app.length + " bytes; RocksDB allows 1 MiB)");
        }
        try (BackupSession session = new BackupSession(repo, stats)) {
            List<Pending> pending = new ArrayList<>();
            for (Item it : items) {
                pending.add(store(session, it));
            }
            Map<String, Node> nodes = new TreeMap<>();
            List<RocksBackup.FileEntry> entries = new ArrayList<>();
            List<BackupMeta.Entry> metaEntries = new ArrayList<>();
            for (Pending p : pending) {
                Node n;
                if (p.reused != null) {
                    n = p.reused.node();
                } else {
                    List<BlobId> ids;
                    try {
                        ids = p.content.ids().join();
                    } catch (RuntimeException e) {
                        throw BackupSession.unwrap(e);
                    }
                    n = session.withContent(fileNode(p.path, p.size, time), ids);
                    stored.put(p.path, new Stored(n, p.crc, p.size));
                }
                nodes.put(p.path, n);
                entries.add(new RocksBackup.FileEntry(p.path, p.size, p.crc));
                metaEntries.add(new BackupMeta.Entry(p.path, p.crc));
            }
            if (meta == null) {
                meta = BackupMeta.create(timestamp, sequence, app, metaEntries);
            }
            byte[] metaBytes = meta.bytes();
            BackupSession.Content mc = session.saveContent(new ByteArrayInputStream(metaBytes));
            List<BlobId> metaIds;
            try {
                metaIds = mc.ids().join();
            } catch (RuntimeException e) {
                throw BackupSession.unwrap(e);
            }
            nodes.put("meta/" + id, session.withContent(fileNode("meta/" + id, metaBytes.length, time), metaIds));
            BlobId root = saveDir(session, nodes, "", time);

            Snapshot s = new Snapshot();
            s.time = Instant.now().toString();
            s.tree = root.hex();
            s.paths = List.of(name);
            s.host = origin.host();
            s.user = origin.user();
            s.tags = new ArrayList<>(origin.tags());
            s.engine = RocksBackup.ENGINE;
            s.engineMetadata = RocksBackup.metadata(name, id, meta, source, sourcePath, entries);
            s.parent = parent == null ? null : parent.hex();
            s.programVersion = Version.PROGRAM;
            FileId sid = session.commit(s);
            return RocksBackup.of(new SnapshotRef(sid, s));
        }
    }

    /** A file on its way into the repository. */
    private static final class Pending {
        String path;
        long size;
        long crc;
        Stored reused;
        BackupSession.Content content;
    }

    private Pending store(BackupSession session, Item it) throws IOException {
        Pending p = new Pending();
        p.path = it.path();
        p.size = it.size();
        if (it.path() != null) {
            Stored prev = stored.get(it.path());
            if (prev != null && prev.size() == it.size() && !verifyUnchanged
                    && (it.expectedCrc() == null || it.expectedCrc() == prev.crc32c())
                    && session.hasContent(prev.node())) {   // not in packs a prune marked (spec §13.1)
                p.reused = prev;
                p.crc = prev.crc32c();
                stats.filesProcessed.incrementAndGet();
                stats.filesUnmodified.incrementAndGet();
                stats.bytesProcessed.addAndGet(it.size());
                return p;
            }
        }
        String what = it.file() != null ? it.file().toString() : it.dbName();
        CRC32C crc = new CRC32C();
        try (InputStream raw = it.file() != null ? Files.newInputStream(it.file()) : new ByteArrayInputStream(it.inline());
             InputStream in = new CheckedInputStream(new LimitedInputStream(raw, it.size()), crc)) {
            p.content = session.saveContent(in);
        } catch (NoSuchFileException e) {
            throw new RocksdbException(what + ": vanished during the backup");
        }
        if (p.content.length() != it.size()) {
            throw new RocksdbException(what + ": has " + p.content.length() + " bytes, expected " + it.size());
        }
        p.crc = crc.getValue();
        if (it.expectedCrc() != null && it.expectedCrc() != p.crc) {
            throw new RocksdbException(what + ": checksum mismatch: expected CRC-32C " + it.expectedCrc()
                    + " while computed CRC-32C is " + p.crc + "; no snapshot was made");
        }
        if (it.file() != null && it.expectedCrc() == null && it.dbName().endsWith(".sst")) {
            verifyBlocks(it.file());
        }
        if (p.path == null) {
            p.path = "shared_checksum/" + RocksFiles.sharedName(it.dbName(), null, p.crc, it.size());
            Stored prev = stored.get(p.path);
            if (prev != null && prev.size() == it.size()) {
                // same content by name (number, CRC, size); the blobs deduplicate anyway
                stats.filesUnmodified.incrementAndGet();
            } else {
                stats.filesNew.incrementAndGet();
            }
        } else {
            stats.filesNew.incrementAndGet();
        }
        stats.filesProcessed.incrementAndGet();
        return p;
    }

    /**
     * RocksDB's own check of a table file that no earlier checksum vouches for: every block's
     * checksum, through RocksDB's reader. A file RocksDB calls corrupt stops the backup; one it
     * cannot open with default options (a custom comparator, say) keeps only the CRC-32C taken
     * while storing it.
     */
    static void verifyBlocks(Path sst) throws IOException {
        RocksDB.loadLibrary();
        try (Options o = new Options(); SstFileReader r = new SstFileReader(o)) {
            r.open(sst.toString());
            r.verifyChecksum();
        } catch (RocksDBException e) {
            if (e.getStatus() != null && e.getStatus().getCode() == Status.Code.Corruption) {
                throw new RocksdbException(sst + ": RocksDB finds it corrupt (" + e.getMessage()
                        + "); no snapshot was made");
            }
        }
    }

    private static Node.Builder fileNode(String path, long size, Instant time) {
        return Node.builder(path.substring(path.lastIndexOf('/') + 1), NodeKind.FILE).mode(0644).mtime(time)
                .ctime(time).size(size);
    }

    /** Stores the directory {@code prefix} ("" for the root) of the files in {@code nodes}. */
    private static BlobId saveDir(BackupSession session, Map<String, Node> nodes, String prefix, Instant time)
            throws IOException {
        Map<String, Map<String, Node>> subdirs = new TreeMap<>();
        List<Node> here = new ArrayList<>();
        for (Map.Entry<String, Node> e : nodes.entrySet()) {
            String rest = e.getKey();
            int slash = rest.indexOf('/');
            if (slash < 0) {
                here.add(e.getValue());
            } else {
                subdirs.computeIfAbsent(rest.substring(0, slash), k -> new TreeMap<>())
                        .put(rest.substring(slash + 1), e.getValue());
            }
        }
        for (Map.Entry<String, Map<String, Node>> d : subdirs.entrySet()) {
            BlobId sub = saveDir(session, d.getValue(), prefix + d.getKey() + "/", time);
            here.add(Node.builder(d.getKey(), NodeKind.DIR).mode(0755).mtime(time).ctime(time).subtree(sub).build());
        }
        here.sort(Tree.BY_NAME);
        return session.saveTree(Tree.of(here));
    }
}
