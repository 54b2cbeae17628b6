package dev.arca.engine.aerospike;

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
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Backs up {@code asbackup} output: every {@code *.asb} file of a directory, or one file or stream.
 * Each file is stored verbatim under its own name in the snapshot's root, chunked on record starts
 * ({@link AsbChunker}) while it is validated; a malformed file fails the backup before a snapshot
 * is recorded. The snapshot has engine {@code aerospike} and metadata: format version, namespace,
 * and per file its counts of records, secondary indexes and UDFs.
 */
public final class AerospikeBackup {
    public static final String ENGINE = "aerospike";

    /** What to back up; {@code namespace}, when given, must be the files' namespace. */
    public record Options(String host, String user, List<String> tags, String namespace) {
    }

    /** What one file held. */
    public static final class FileInfo {
        public String name;
        public long size;
        public String version;
        public String namespace;
        public boolean firstFile;
        public long records;
        public long secondaryIndexes;
        public long udfs;
    }

    private final Repository repo;
    private final Options options;
    private final BackupStats stats;

    public AerospikeBackup(Repository repo, Options options, BackupStats stats) {
        this.repo = repo;
        this.options = options;
        this.stats = stats;
    }

    /** Every {@code *.asb} file directly in {@code dir}, in name order. */
    public FileBackup.Result directory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new java.nio.file.NoSuchFileException(dir + ": not a directory");
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.asb")) {
            for (Path p : ds) {
                if (Files.isRegularFile(p)) {
                    files.add(p);
                }
            }
        }
        if (files.isEmpty()) {
            throw new IOException(dir + ": no .asb files in this directory");
        }
        files.sort(null);
        try (BackupSession session = new BackupSession(repo, stats)) {
            List<Node> nodes = new ArrayList<>();
            List<FileInfo> infos = new ArrayList<>();
            for (Path f : files) {
                BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                try (InputStream in = Files.newInputStream(f)) {
                    FileInfo info = new FileInfo();
                    info.name = f.getFileName().toString();
                    nodes.add(node(session, info.name, store(session, in, f.toString(), info),
                            a.lastModifiedTime().toInstant()));
                    infos.add(info);
                }
            }
            return commit(session, nodes, infos, List.of(dir.toAbsolutePath().normalize().toString()));
        }
    }

    /**
     * One file or stream. {@code name} is the stored file name; null means
     * {@code <namespace>.asb} from the stream's own {@code # namespace} line.
     */
    public FileBackup.Result stream(InputStream in, String name, String shownName) throws IOException {
        try (BackupSession session = new BackupSession(repo, stats)) {
            FileInfo info = new FileInfo();
            info.name = name;
            Stored stored = store(session, in, shownName, info);
            if (info.name == null) {
                info.name = Node.nameProblem(info.namespace + ".asb") == null ? info.namespace + ".asb" : "stdin.asb";
            }
            Node n = node(session, info.name, stored, Instant.now());
            return commit(session, List.of(n), List.of(info), List.of("/" + info.name));
        }
    }

    private record Stored(long length, List<BlobId> ids) {
    }

    private static Node node(BackupSession session, String name, Stored s, Instant mtime) throws IOException {
        return session.withContent(Node.builder(name, NodeKind.FILE).mode(0644).mtime(mtime).ctime(mtime)
                .size(s.length()), s.ids());
    }

    private Stored store(BackupSession session, InputStream in, String shownName, FileInfo info) throws IOException {
        AsbChunker chunker = new AsbChunker(repo.chunker(), in, shownName, item -> count(info, item));
        BackupSession.Content content = session.saveChunks(chunker::next);
        List<BlobId> ids;
        try {
            ids = content.ids().join();
        } catch (RuntimeException e) {
            throw BackupSession.unwrap(e);
        }
        info.version = chunker.parser().version();
        info.size = content.length();
        if (info.namespace == null) {
            throw new AsbFormatException(shownName, "no '# namespace' line");
        }
        if (options.namespace() != null && !options.namespace().equals(info.namespace)) {
            throw new AsbFormatException(shownName, "holds namespace '" + info.namespace + "', not '"
                    + options.namespace() + "' as --namespace says");
        }
        stats.filesProcessed.incrementAndGet();
        stats.filesNew.incrementAndGet();
        return new Stored(content.length(), ids);
    }

    private static void count(FileInfo info, AsbItem item) {
        if (item instanceof AsbItem.Namespace n) {
            info.namespace = AsbItem.text(n.name());
        } else if (item instanceof AsbItem.FirstFile) {
            info.firstFile = true;
        } else if (item instanceof AsbItem.SecondaryIndex) {
            info.secondaryIndexes++;
        } else if (item instanceof AsbItem.Udf) {
            info.udfs++;
        } else if (item instanceof AsbItem.Record) {
            info.records++;
        }
    }

    private FileBackup.Result commit(BackupSession session, List<Node> nodes, List<FileInfo> infos, List<String> paths)
            throws IOException {
        String ns = infos.get(0).namespace;
        for (FileInfo i : infos) {
            if (!i.namespace.equals(ns)) {
                throw new IOException("the files hold different namespaces ('" + ns + "' in " + infos.get(0).name
                        + ", '" + i.namespace + "' in " + i.name + "); back up one namespace per snapshot");
            }
        }
        BlobId root = session.saveTree(Tree.of(nodes));
        Instant now = Instant.now();
        Snapshot s = new Snapshot();
        s.time = now.toString();
        s.tree = root.hex();
        s.paths = paths;
        s.host = options.host();
        s.user = options.user();
        s.tags = options.tags();
        s.engine = ENGINE;
        s.engineMetadata = metadata(ns, infos);
        s.programVersion = Version.PROGRAM;
        FileId id = session.commit(s);
        return new FileBackup.Result(id, s, List.of());
    }

    static ObjectNode metadata(String ns, List<FileInfo> infos) {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("namespace", ns);
        m.put("format_version", infos.stream().map(i -> i.version).distinct().reduce((a, b) -> a + "," + b).orElse(""));
        long records = 0;
        long sindexes = 0;
        long udfs = 0;
        ArrayNode files = m.putArray("files");
        for (FileInfo i : infos) {
            ObjectNode f = files.addObject();
            f.put("name", i.name);
            f.put("size", i.size);
            f.put("format_version", i.version);
            f.put("first_file", i.firstFile);
            f.put("records", i.records);
            f.put("secondary_indexes", i.secondaryIndexes);
            f.put("udfs", i.udfs);
            records += i.records;
            sindexes += i.secondaryIndexes;
            udfs += i.udfs;
        }
        m.put("records", records);
        m.put("secondary_indexes", sindexes);
        m.put("udfs", udfs);
        return m;
    }
}
