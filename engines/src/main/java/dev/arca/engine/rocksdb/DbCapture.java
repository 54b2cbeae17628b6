package dev.arca.engine.rocksdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.LogFile;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WalFileType;

/** Finds the files of one backup: of a closed database directory, or of an open database. */
final class DbCapture {
    /** The files to store and the database's sequence number at capture time. */
    record Captured(List<BackupWriter.Item> items, long sequence) {
    }

    /** What to do with the files while they are guaranteed to stay. */
    @FunctionalInterface
    interface Work<T> {
        T apply(Captured c) throws IOException;
    }

    private DbCapture() {
    }

    /**
     * The live set of a closed database: CURRENT, the MANIFEST it names, the table and blob
     * files the MANIFEST keeps, WALs from its minimum log number on, the newest OPTIONS file and
     * IDENTITY. Old MANIFESTs, older OPTIONS, LOG*, LOCK are not part of the database. The
     * sequence number is the newest of the MANIFEST's last sequence and the WALs' batches.
     */
    static Captured closedDir(Path dir, int id) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new RocksdbException(dir + ": not a directory");
        }
        ManifestReader.LiveSet live = ManifestReader.read(dir);
        String priv = "private/" + id + "/";
        List<BackupWriter.Item> items = new ArrayList<>();
        for (long n : live.tables()) {
            Path f = dir.resolve(RocksFiles.table(n));
            if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                Path ldb = dir.resolve(String.format("%06d.ldb", n));
                if (!Files.isRegularFile(ldb, LinkOption.NOFOLLOW_LINKS)) {
                    throw new RocksdbException(dir.resolve(live.manifest()) + " names table file " + f.getFileName()
                            + ", which is missing from " + dir);
                }
                f = ldb;
            }
            items.add(shared(f));
        }
        for (long n : live.blobs()) {
            Path f = dir.resolve(RocksFiles.blob(n));
            if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                throw new RocksdbException(dir.resolve(live.manifest()) + " names blob file " + f.getFileName()
                        + ", which is missing from " + dir);
            }
            items.add(shared(f));
        }
        items.add(priv(priv, dir.resolve(live.manifest())));
        Path options = null;
        long optionsNumber = -1;
        List<Path> wals = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                RocksFiles.Parsed parsed = RocksFiles.parse(p.getFileName().toString());
                if (parsed.kind() == RocksFiles.Kind.OPTIONS && parsed.number() > optionsNumber) {
                    options = p;
                    optionsNumber = parsed.number();
                } else if (parsed.kind() == RocksFiles.Kind.WAL && live.walIsLive(parsed.number())) {
                    wals.add(p);
                }
            }
        }
        if (options != null) {
            Path walDir = separateWalDir(dir, options);
            if (walDir != null) {
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(walDir)) {
                    for (Path p : ds) {
                        RocksFiles.Parsed parsed = RocksFiles.parse(p.getFileName().toString());
                        if (parsed.kind() == RocksFiles.Kind.WAL && live.walIsLive(parsed.number())
                                && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                            wals.add(p);
                        }
                    }
                }
            }
        }
        wals.sort(java.util.Comparator.comparing(Path::getFileName));
        if (options != null) {
            items.add(priv(priv, options));
        }
        long sequence = live.lastSequence();
        for (Path w : wals) {
            items.add(priv(priv, w));
            sequence = Math.max(sequence, ManifestReader.lastWalSequence(w));
        }
        Path identity = dir.resolve("IDENTITY");
        if (Files.isRegularFile(identity, LinkOption.NOFOLLOW_LINKS)) {
            items.add(priv(priv, identity));
        }
        items.add(priv(priv, dir.resolve("CURRENT")));
        return new Captured(items, sequence);
    }

    /**
     * The directory the OPTIONS name as {@code wal_dir} when it is another existing directory:
     * the database's unflushed writes are there, and leaving them out would lose them silently.
     * A relative {@code wal_dir} was relative to the opening process's directory; it is taken
     * relative to the database's parent here. A {@code wal_dir} that no longer exists (a database
     * copied from elsewhere) is ignored.
     */
    static Path separateWalDir(Path dir, Path options) throws IOException {
        for (String line : Files.readAllLines(options, java.nio.charset.StandardCharsets.UTF_8)) {
            String t = line.strip();
            if (!t.startsWith("wal_dir=")) {
                continue;
            }
            String walDir = t.substring("wal_dir=".length()).strip();
            if (walDir.isEmpty()) {
                return null;
            }
            Path db = dir.toAbsolutePath().normalize();
            Path w = db.getParent().resolve(walDir).normalize();
            return !w.equals(db) && Files.isDirectory(w) ? w : null;
        }
        return null;
    }

    private static BackupWriter.Item shared(Path f) throws IOException {
        long size = Files.size(f);
        String name = f.getFileName().toString();
        RocksFiles.Parsed p = RocksFiles.parse(name);
        String session = p.kind() == RocksFiles.Kind.TABLE ? SstInfo.sessionId(f, size) : null;
        String path = session == null ? null : "shared_checksum/" + RocksFiles.sharedName(name, session, 0, size);
        return new BackupWriter.Item(path, name, f, null, size, null);
    }

    private static BackupWriter.Item priv(String prefix, Path f) throws IOException {
        String name = f.getFileName().toString();
        return new BackupWriter.Item(prefix + name, name, f, null, Files.size(f), null);
    }

    /**
     * Captures an open database as BackupEngine does: file deletions are disabled, the live files
     * listed (after a flush if asked), the MANIFEST taken up to its size at that moment, CURRENT
     * synthesised from the MANIFEST's name, the alive WALs up to their current size; {@code work}
     * runs before deletions are enabled again.
     */
    static <T> T live(RocksDB db, boolean flush, int id, Work<T> work) throws IOException {
        Path dir = Path.of(db.getName());
        String priv = "private/" + id + "/";
        try {
            db.disableFileDeletions();
        } catch (RocksDBException e) {
            throw new RocksdbException(dir + ": cannot disable file deletions: " + e.getMessage(), e);
        }
        try {
            RocksDB.LiveFiles lf = db.getLiveFiles(flush);
            long sequence = db.getLatestSequenceNumber();
            List<LogFile> logs = db.getSortedWalFiles();
            List<BackupWriter.Item> items = new ArrayList<>();
            List<BackupWriter.Item> privs = new ArrayList<>();
            String manifest = null;
            Path options = null;
            for (String f : lf.files) {
                String name = f.startsWith("/") ? f.substring(1) : f;
                RocksFiles.Parsed p = RocksFiles.parse(name);
                Path file = dir.resolve(name);
                switch (p.kind()) {
                    case CURRENT -> {
                        // synthesised below, as BackupEngine does
                    }
                    case MANIFEST -> {
                        manifest = name;
                        privs.add(new BackupWriter.Item(priv + name, name, file, null, lf.manifestFileSize, null));
                    }
                    case TABLE, BLOB -> items.add(shared(file));
                    case OPTIONS -> {
                        options = file;
                        privs.add(priv(priv, file));
                    }
                    default -> privs.add(priv(priv, file));
                }
            }
            if (manifest == null) {
                throw new RocksdbException(dir + ": RocksDB listed no MANIFEST among the live files");
            }
            // alive WALs are in the database's wal_dir, which the OPTIONS file names when it is elsewhere
            Path walDir = options == null ? null : separateWalDir(dir, options);
            for (LogFile log : logs) {
                if (log.type() != WalFileType.kAliveLogFile) {
                    continue;
                }
                String name = log.pathName().substring(log.pathName().lastIndexOf('/') + 1);
                Path file = walDir != null && Files.exists(walDir.resolve(name)) ? walDir.resolve(name) : dir.resolve(name);
                privs.add(new BackupWriter.Item(priv + name, name, file, null, log.sizeFileBytes(), null));
            }
            byte[] current = (manifest + "\n").getBytes(StandardCharsets.US_ASCII);
            privs.add(new BackupWriter.Item(priv + "CURRENT", "CURRENT", null, current, current.length, null));
            items.addAll(privs);
            return work.apply(new Captured(items, sequence));
        } catch (RocksDBException e) {
            throw new RocksdbException(dir + ": " + e.getMessage(), e);
        } finally {
            try {
                db.enableFileDeletions();
            } catch (RocksDBException e) {
                // the backup itself is complete; RocksDB re-enables deletions on reopen
            }
        }
    }

    /**
     * Whether a process holds the database's LOCK (RocksDB takes a POSIX record lock on it).
     * Read from {@code /proc/locks}, because taking the lock ourselves would, within one process,
     * release RocksDB's own lock on close; where that file does not exist, a lock attempt decides.
     */
    static boolean lockHeld(Path dir) throws IOException {
        Path lock = dir.resolve("LOCK");
        if (!Files.exists(lock)) {
            return false;
        }
        long inode = (Long) Files.getAttribute(lock, "unix:ino");
        Path procLocks = Path.of("/proc/locks");
        if (Files.isReadable(procLocks)) {
            for (String line : Files.readAllLines(procLocks, StandardCharsets.ISO_8859_1)) {
                String[] f = line.trim().split("\\s+");
                // "1: POSIX  ADVISORY  WRITE 1234 08:01:5678 0 EOF"; blocked waiters have "->" after the index
                for (String field : f) {
                    String[] parts = field.split(":");
                    if (parts.length == 3 && !field.endsWith(":") && parts[2].chars().allMatch(Character::isDigit)
                            && !parts[2].isEmpty() && Long.parseLong(parts[2]) == inode) {
                        return true;
                    }
                }
            }
            return false;
        }
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(lock,
                java.nio.file.StandardOpenOption.WRITE);
             java.nio.channels.FileLock l = ch.tryLock()) {
            return l == null;
        } catch (java.nio.channels.OverlappingFileLockException e) {
            return true;
        }
    }
}
