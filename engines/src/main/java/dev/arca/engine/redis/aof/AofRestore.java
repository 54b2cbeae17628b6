package dev.arca.engine.redis.aof;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.engine.files.ContentStream;
import dev.arca.format.CorruptObjectException;
import dev.arca.format.repo.Repository;
import dev.arca.format.snapshot.Snapshot;
import dev.arca.format.tree.Node;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Gives an AOF snapshot back as a multi-part AOF directory that {@code redis-server} loads:
 * either as stored, byte for byte, or cut at a moment (point-in-time restore).
 *
 * <p>Cut at moment T (unix seconds), as {@code redis-check-aof --truncate-to-timestamp} would but
 * across files: the base is kept, and every incr command up to (not including) the first
 * {@code #TS:} annotation whose time is after T (if that annotation falls inside a MULTI block, the
 * cut moves to the MULTI); the incr file holding the cut is truncated there, later incr files (and
 * history files) are left out of the directory and its manifest, whose other lines stay as they
 * were. T must lie between the base's time (its RDB {@code ctime}, or its first annotation) and the
 * last annotation stored; a snapshot without annotations cannot be cut.
 *
 * <p>Every file is checked again as it is written (RESP, RDB CRC64, sizes against the metadata);
 * the directory is written under a temporary name beside the target and renamed at the end, and a
 * target that exists and is not an empty directory is refused.
 */
public final class AofRestore {
    /** The moments a snapshot can be cut at, in unix seconds (inclusive). */
    public record Range(long from, long to) {
    }

    /** The moment is outside what the snapshot holds. */
    public static final class OutOfRangeException extends IOException {
        private static final long serialVersionUID = 1L;
        private final long at;
        private final transient Range range;

        OutOfRangeException(long at, Range range) {
            super("the moment " + Instant.ofEpochSecond(at) + " is outside what the snapshot holds: "
                    + Instant.ofEpochSecond(range.from()) + " to " + Instant.ofEpochSecond(range.to()));
            this.at = at;
            this.range = range;
        }

        public long at() {
            return at;
        }

        public Range range() {
            return range;
        }
    }

    /** What was written: file names in manifest order, their bytes, and for a cut where it fell. */
    public record Result(List<String> files, long bytes, String cutFile, long cutOffset, List<String> dropped) {
    }

    private final Repository repo;
    private final AtomicLong bytesWritten = new AtomicLong();

    public AofRestore(Repository repo) {
        this.repo = repo;
    }

    /** Bytes written so far, for progress. */
    public long bytesWritten() {
        return bytesWritten.get();
    }

    /**
     * The moments {@code s} can be cut at: from the base's time (else the first annotation) to
     * the last annotation.
     *
     * @throws AofFormatException if the snapshot holds no {@code #TS:} annotation
     */
    public static Range range(Snapshot s) throws IOException {
        requireAof(s);
        JsonNode m = s.engineMetadata;
        Long first = null;
        Long last = null;
        Long base = null;
        for (JsonNode j : m.path("files")) {
            AofFile f = AofFile.fromJson(j);
            if (f.type.equals("h")) {
                continue;
            }
            if (f.firstTs != null) {
                first = first == null ? f.firstTs : Math.min(first, f.firstTs);
                last = last == null ? f.lastTs : Math.max(last, f.lastTs);
            }
            if (f.type.equals("b")) {
                base = f.rdbCtime != null ? f.rdbCtime : f.firstTs;
            }
        }
        if (last == null) {
            throw new AofFormatException(m.path("manifest_name").asText("the AOF"), "holds no #TS: annotations, so it "
                    + "cannot be cut at a moment: the server must run with 'aof-timestamp-enabled yes' (CONFIG SET "
                    + "aof-timestamp-enabled yes, then BGREWRITEAOF); restore without --at for the whole directory");
        }
        long from = base != null ? Math.min(base, first) : first;
        return new Range(from, last);
    }

    static void requireAof(Snapshot s) throws IOException {
        if (!AofBackup.isAof(s)) {
            throw new IOException("snapshot is not a Redis AOF snapshot (engine '" + s.engine + "'"
                    + (s.engineMetadata != null && s.engineMetadata.has("source")
                    ? ", source '" + s.engineMetadata.path("source").asText() + "'" : "") + ")");
        }
    }

    /**
     * Writes the snapshot's AOF directory to {@code out}, cut at {@code at} (unix seconds) or whole
     * when {@code at} is null.
     */
    public Result restore(Snapshot s, Path out, Long at) throws IOException {
        requireAof(s);
        Range range = at == null ? null : range(s);
        if (range != null && (at < range.from() || at > range.to())) {
            throw new OutOfRangeException(at, range);
        }
        refuseNonEmpty(out);
        JsonNode m = s.engineMetadata;
        String manifestName = m.path("manifest_name").asText();
        Map<String, Node> nodes = new HashMap<>();
        for (Node n : repo.loadTree(s.treeId()).nodes()) {
            nodes.put(n.name(), n);
        }
        List<AofFile> files = new ArrayList<>();
        for (JsonNode j : m.path("files")) {
            files.add(AofFile.fromJson(j));
        }
        Node manifestNode = nodes.get(manifestName);
        if (manifestNode == null) {
            throw new CorruptObjectException("snapshot tree " + s.tree, "has no manifest file '" + manifestName + "'");
        }
        byte[] manifestBytes = readAll(manifestNode);
        if (!new String(manifestBytes, StandardCharsets.UTF_8).equals(m.path("manifest").asText())) {
            throw new CorruptObjectException(manifestName, "the stored manifest differs from the one in the snapshot's metadata");
        }
        AofManifest manifest = AofManifest.parse(manifestBytes, manifestName);
        // names come from the repository: only plain names the manifest lists may be written
        java.util.Set<String> listed = new java.util.HashSet<>();
        manifest.entries().forEach(e -> listed.add(e.name()));
        if (Node.nameProblem(manifestName) != null || manifestName.contains("/")) {
            throw new CorruptObjectException("snapshot " + s.tree, "manifest name '" + manifestName + "' is not a plain name");
        }
        for (AofFile f : files) {
            if (!listed.contains(f.name)) {
                throw new CorruptObjectException("snapshot " + s.tree, "the metadata lists '" + f.name
                        + "', which the manifest does not");
            }
        }

        Path parent = out.toAbsolutePath().normalize().getParent();
        Files.createDirectories(parent);
        // created like mkdir (mode from the umask), unlike createTempDirectory's 0700, since Redis may run as another user
        Path tmp = Files.createDirectory(parent.resolve("." + out.getFileName() + ".arca-tmp-"
                + Long.toUnsignedString(new java.security.SecureRandom().nextLong(), 36)));
        try {
            List<String> written = new ArrayList<>();
            List<String> dropped = new ArrayList<>();
            String cutFile = null;
            long cutOffset = -1;
            long total = 0;
            boolean cut = false;
            for (AofFile f : files) {
                Node n = nodes.get(f.name);
                if (n == null) {
                    throw new CorruptObjectException("snapshot tree " + s.tree, "has no file '" + f.name
                            + "' though the snapshot's metadata lists it");
                }
                if (at != null && (cut || f.type.equals("h"))) {
                    dropped.add(f.name);
                    continue;
                }
                Path target = tmp.resolve(f.name);
                Kept k = write(n, f, target, f.type.equals("i") ? at : null);
                long keep = k.keep();
                if (keep < f.size) {
                    // a torn tail, or the first annotation after the moment: later incr files go
                    cut = k.cut();
                    try (FileChannel ch = FileChannel.open(target, StandardOpenOption.WRITE)) {
                        ch.truncate(keep);
                        ch.force(true);
                    }
                    if (cut) {
                        cutFile = f.name;
                        cutOffset = keep;
                    }
                    if (keep == 0 && cut) {
                        Files.delete(target);
                        dropped.add(f.name);
                        continue;
                    }
                }
                Files.setLastModifiedTime(target, FileTime.from(n.mtime()));
                written.add(f.name);
                total += keep;
            }
            byte[] manifestOut = at == null ? manifestBytes : manifest.keeping(new LinkedHashSet<>(written));
            Path mt = tmp.resolve(manifestName);
            Files.write(mt, manifestOut, StandardOpenOption.CREATE_NEW);
            fsync(mt);
            total += manifestOut.length;
            fsync(tmp);
            if (Files.isDirectory(out)) {
                Files.delete(out);   // empty, as checked; a file appearing meanwhile makes this fail
            }
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
            fsync(parent);
            return new Result(written, total, cutFile, cutOffset, dropped);
        } catch (IOException | RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
    }

    /**
     * Writes a stored file, checking it as it goes; returns how many of its bytes to keep: its
     * size, or for a cut (incr files with {@code at}) the offset of the first annotation after
     * {@code at} (a torn tail is dropped too), and whether that was a cut.
     */
    private Kept write(Node n, AofFile f, Path target, Long at) throws IOException {
        if (n.size() != f.size) {
            throw new CorruptObjectException(f.name, "stored with " + n.size() + " bytes, but the backup recorded " + f.size);
        }
        try (InputStream in = new ContentStream(repo, n);
             OutputStream out = new BufferedOutputStream(Files.newOutputStream(target, StandardOpenOption.CREATE_NEW), 1 << 16)) {
            long keep;
            long cutAt = -1;
            if (f.format.equals("rdb")) {
                RdbCheck check = new RdbCheck(in, f.name);
                byte[] b = new byte[1 << 16];
                for (int r = check.read(b); r >= 0; r = check.read(b)) {
                    out.write(b, 0, r);
                    bytesWritten.addAndGet(r);
                }
                RdbCheck.Result res;
                try {
                    res = check.verify();
                } catch (AofFormatException e) {
                    throw new CorruptObjectException(f.name, "as restored: " + e.getMessage());
                }
                if (f.rdbCrc64 != null && !f.rdbCrc64.equals(res.crc64())) {
                    throw new CorruptObjectException(f.name, "RDB CRC64 " + res.crc64() + " differs from the "
                            + f.rdbCrc64 + " recorded at backup");
                }
                keep = check.length();
            } else {
                RespScanner sc = new RespScanner(in, f.name, (b, off, len) -> {
                    out.write(b, off, len);
                    bytesWritten.addAndGet(len);
                });
                try {
                    for (RespScanner.Item it = sc.next(); it != null; it = sc.next()) {
                        if (cutAt < 0 && at != null && it instanceof RespScanner.Annotation a
                                && a.timestamp() != null && a.timestamp() > at) {
                            cutAt = sc.inMulti() ? sc.multiStart() : a.start();
                        }
                    }
                } catch (AofFormatException e) {
                    throw new CorruptObjectException(f.name, "as restored: " + e.getMessage());
                }
                long complete = sc.truncated() ? sc.lastComplete() : sc.offset();
                if (sc.offset() != f.size || complete != f.lastCompleteOffset) {
                    throw new CorruptObjectException(f.name, "as restored it has " + sc.offset() + " bytes, complete up to "
                            + complete + ", but the backup recorded " + f.size + " and " + f.lastCompleteOffset);
                }
                keep = cutAt >= 0 ? cutAt : at != null ? complete : sc.offset();
            }
            return new Kept(keep, cutAt >= 0);
        } finally {
            fsync(target);
        }
    }

    private record Kept(long keep, boolean cut) {
    }

    private byte[] readAll(Node n) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (InputStream in = new ContentStream(repo, n)) {
            in.transferTo(b);
        }
        return b.toByteArray();
    }

    static void refuseNonEmpty(Path out) throws IOException {
        if (Files.isDirectory(out)) {
            try (Stream<Path> s = Files.list(out)) {
                if (s.findAny().isPresent()) {
                    throw new DirectoryNotEmptyException(out + ": not empty; restore into a new or empty directory");
                }
            }
        } else if (Files.exists(out, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(out + ": exists and is not a directory");
        }
    }

    private static void fsync(Path p) {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some filesystems cannot sync a directory; the data files were synced
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: a temporary directory left behind is named as such
                }
            });
        } catch (IOException e) {
            // as above
        }
    }
}
