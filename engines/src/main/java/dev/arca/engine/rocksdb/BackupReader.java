package dev.arca.engine.rocksdb;

import dev.arca.engine.files.ContentStream;
import dev.arca.engine.files.SnapshotWalker;
import dev.arca.format.CorruptObjectException;
import dev.arca.format.MissingObjectException;
import dev.arca.format.id.BlobId;
import dev.arca.format.id.FileId;
import dev.arca.format.index.BlobLocation;
import dev.arca.format.repo.Repository;
import dev.arca.format.tree.Node;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

/**
 * Gives stored backups back: into a database directory (as {@code RestoreDBFromBackup} does),
 * into a native BackupEngine directory, or only reads them to verify.
 *
 * <p>Every file is written under a temporary name, its size and CRC-32C checked against the
 * backup, then renamed into place; CURRENT is renamed last, after everything else is on disk. So
 * a failed restore never leaves a file with wrong content under its final name, and never a
 * CURRENT that names an incomplete database.
 */
final class BackupReader {
    private final Repository repo;
    /** Bytes written or verified so far, for progress displays. */
    final AtomicLong bytes = new AtomicLong();

    BackupReader(Repository repo) {
        this.repo = repo;
    }

    /** The files of a backup's tree by path ({@code private/3/CURRENT}). */
    private Map<String, Node> nodes(RocksBackup b) throws IOException {
        Map<String, Node> out = new HashMap<>();
        new SnapshotWalker(repo).walk(b.snapshot().treeId(), "", (path, n) -> {
            if (n.isFile()) {
                out.put(path.substring(1), n);
            }
            return true;
        });
        return out;
    }

    private static String object(RocksBackup b, String path) {
        return "rocksdb backup " + b.name() + " #" + b.backupId() + " (snapshot " + b.snapshotId().shortHex() + ") file "
                + path;
    }

    private static Node need(Map<String, Node> nodes, RocksBackup b, String path, long size) throws IOException {
        Node n = nodes.get(path);
        if (n == null) {
            throw new MissingObjectException(object(b, path), "not in the snapshot's tree");
        }
        if (n.size() != size) {
            throw new CorruptObjectException(object(b, path), "size is " + n.size() + " in the tree, " + size
                    + " in the backup's file list");
        }
        return n;
    }

    /**
     * Checks that every file of the backup is present with its size and that the repository holds
     * all its blobs and their packs; with {@code checksum}, also reads every file and compares its
     * CRC-32C.
     */
    void verify(RocksBackup b, boolean checksum) throws IOException {
        Map<String, Node> nodes = nodes(b);
        Set<FileId> packsSeen = new HashSet<>();
        need(nodes, b, "meta/" + b.backupId(), b.meta().length);
        for (RocksBackup.FileEntry f : b.files()) {
            Node n = need(nodes, b, f.path(), f.size());
            if (checksum) {
                CRC32C crc = new CRC32C();
                byte[] buf = new byte[1 << 16];
                long size = 0;
                try (InputStream in = new ContentStream(repo, n)) {
                    for (int r = in.read(buf); r >= 0; r = in.read(buf)) {
                        crc.update(buf, 0, r);
                        size += r;
                        bytes.addAndGet(r);
                    }
                }
                check(b, f, size, crc.getValue());
            } else {
                for (BlobId id : repo.contentOf(n)) {
                    BlobLocation loc = repo.index().find(id);
                    if (loc == null) {
                        throw new MissingObjectException(object(b, f.path()), "blob " + id.hex() + " is not in the repository");
                    }
                    if (packsSeen.add(loc.pack()) && !repo.backend().exists(Repository.packHandle(loc.pack()))) {
                        throw new MissingObjectException(object(b, f.path()), "pack "
                                + Repository.packHandle(loc.pack()).path() + " is missing");
                    }
                }
            }
        }
    }

    private static void check(RocksBackup b, RocksBackup.FileEntry f, long size, long crc) throws CorruptObjectException {
        if (size != f.size()) {
            throw new CorruptObjectException(object(b, f.path()), "has " + size + " bytes, expected " + f.size());
        }
        if (crc != f.crc32c()) {
            throw new CorruptObjectException(object(b, f.path()), "checksum mismatch: expected CRC-32C " + f.crc32c()
                    + " while computed CRC-32C is " + crc);
        }
    }

    /**
     * Restores into {@code dbDir} (WAL files into {@code walDir}). Unless {@code keepLogFiles},
     * the files already in both directories are removed first, as RocksDB's default
     * {@code kPurgeAllFiles} does; subdirectories are left alone.
     */
    void toDb(RocksBackup b, Path dbDir, Path walDir, boolean keepLogFiles) throws IOException {
        // Nothing in the targets is removed before every blob the backup needs is known to be here.
        verify(b, false);
        Map<String, Node> nodes = nodes(b);
        Files.createDirectories(dbDir);
        Files.createDirectories(walDir);
        purge(dbDir, keepLogFiles);
        if (!walDir.equals(dbDir)) {
            purge(walDir, keepLogFiles);
        }
        RocksBackup.FileEntry current = null;
        for (RocksBackup.FileEntry f : b.files()) {
            String name = RocksFiles.dbName(f.path());
            RocksFiles.Parsed p = RocksFiles.parse(name);
            if (p.kind() == RocksFiles.Kind.OTHER) {
                // as RocksDB's restore: only names it parses, which also keeps every file inside the targets
                throw new CorruptObjectException(object(b, f.path()), "'" + name + "' is not a RocksDB file name");
            }
            if (p.kind() == RocksFiles.Kind.CURRENT) {
                current = f;
                continue;
            }
            Node n = need(nodes, b, f.path(), f.size());
            Path dir = p.kind() == RocksFiles.Kind.WAL ? walDir : dbDir;
            place(b, f, n, dir.resolve("." + name + ".arca.tmp"), dir.resolve(name));
        }
        fsyncDir(dbDir);
        fsyncDir(walDir);
        if (current == null) {
            throw new CorruptObjectException(object(b, "CURRENT"), "the backup has no CURRENT file");
        }
        place(b, current, need(nodes, b, current.path(), current.size()), dbDir.resolve("CURRENT.tmp"),
                dbDir.resolve("CURRENT"));
        fsyncDir(dbDir);
    }

    /**
     * Writes backups into a native BackupEngine directory: shared files once (an existing one of
     * the same size is kept, as BackupEngine does), private files, and each meta file last, under
     * {@code meta/.<id>.tmp} first. Refuses a backup id the directory already has.
     */
    void toBackupDir(List<RocksBackup> backups, Path dir) throws IOException {
        for (RocksBackup b : backups) {
            if (Files.exists(dir.resolve("meta").resolve(Integer.toString(b.backupId())), LinkOption.NOFOLLOW_LINKS)) {
                throw new RocksdbException(dir.resolve("meta").resolve(Integer.toString(b.backupId()))
                        + ": backup " + b.backupId() + " already exists in the target directory");
            }
        }
        for (RocksBackup b : backups) {
            Map<String, Node> nodes = nodes(b);
            for (RocksBackup.FileEntry f : b.files()) {
                Path target = safe(dir, f.path());
                Files.createDirectories(target.getParent());
                if (!f.path().startsWith("private/") && Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
                        && Files.size(target) == f.size()) {
                    continue;
                }
                Node n = need(nodes, b, f.path(), f.size());
                place(b, f, n, target.resolveSibling("." + target.getFileName() + ".tmp"), target);
            }
            Path metaDir = dir.resolve("meta");
            Files.createDirectories(metaDir);
            Path tmp = metaDir.resolve("." + b.backupId() + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(b.meta()));
                ch.force(true);
            }
            Files.move(tmp, metaDir.resolve(Integer.toString(b.backupId())), StandardCopyOption.ATOMIC_MOVE);
            fsyncDir(metaDir);
        }
    }

    /** {@code dir/rel}, refusing anything that would leave {@code dir}. */
    private static Path safe(Path dir, String rel) throws CorruptObjectException {
        Path p = dir.resolve(rel).normalize();
        if (!p.startsWith(dir.normalize()) || rel.startsWith("/") || rel.contains("..")) {
            throw new CorruptObjectException(rel, "path leaves the target directory");
        }
        return p;
    }

    private void place(RocksBackup b, RocksBackup.FileEntry f, Node n, Path tmp, Path target) throws IOException {
        CRC32C crc = new CRC32C();
        long size = 0;
        boolean ok = false;
        try {
            try (InputStream in = new ContentStream(repo, n);
                 FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                         StandardOpenOption.WRITE);
                 OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
                byte[] buf = new byte[1 << 16];
                for (int r = in.read(buf); r >= 0; r = in.read(buf)) {
                    crc.update(buf, 0, r);
                    out.write(buf, 0, r);
                    size += r;
                    bytes.addAndGet(r);
                }
                out.flush();
                ch.force(true);
            }
            check(b, f, size, crc.getValue());
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            ok = true;
        } finally {
            if (!ok) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private static void purge(Path dir, boolean keepLogFiles) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                if (keepLogFiles && RocksFiles.parse(p.getFileName().toString()).kind() == RocksFiles.Kind.WAL) {
                    continue;
                }
                Files.delete(p);
            }
        }
    }

    private static void fsyncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems cannot open or sync a directory; the files themselves are synced
        }
    }
}
