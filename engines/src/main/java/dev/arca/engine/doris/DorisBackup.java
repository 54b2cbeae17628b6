package dev.arca.engine.doris;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.engine.files.BackupStats;
import dev.arca.format.id.FileId;
import dev.arca.format.io.Json;
import dev.arca.format.repo.Repository;
import dev.arca.format.snapshot.Snapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Ingests the snapshots of a Doris backup repository tree, one arca snapshot per
 * {@code __ss_<label>} directory, oldest first.
 *
 * <p>Per snapshot: the job info is read, its md5 checked and parsed; then the content tree is
 * walked in name order, every name checked against the layout and the job info, and every file
 * streamed once through MD5 and the chunker. A file whose md5 differs from its name, a file or
 * directory the layout or the job info does not know, a file the job info lists but that is
 * missing: each is an error naming the file, and that snapshot is not recorded.
 *
 * <p>The arca tree mirrors the repository: {@code /__palo_repository_<name>/__repo_info} and
 * {@code /__palo_repository_<name>/__ss_<label>/…}. Files get as time the backup time of the
 * first stored Doris snapshot in which they appeared with this name and content (found in the
 * parent snapshot: the latest earlier one of the same repository and database), directories the
 * newest time below them; so the trees of unchanged partitions and tablets are the same blobs
 * from one snapshot to the next, and a day's backup stores only what changed.
 *
 * <p>A snapshot already stored (same repository, label and info file) is skipped, so running the
 * backup again is harmless.
 */
public final class DorisBackup {
    /** What to record in each snapshot, and which label to ingest (null: all). */
    public record Options(String host, String user, List<String> tags, String label) {
        public Options {
            tags = List.copyOf(tags);
        }
    }

    /** What became of one Doris snapshot. */
    public record Outcome(String label, Status status, FileId snapshotId, Snapshot snapshot, String error) {
    }

    public enum Status { SAVED, SKIPPED, FAILED }

    /** What a run did: one outcome per Doris snapshot, oldest first. */
    public record Result(String repository, List<Outcome> outcomes) {
        public boolean failed() {
            return outcomes.stream().anyMatch(o -> o.status == Status.FAILED);
        }
    }

    /**
     * Job info and meta files are parsed whole: 16 MiB of JSON (a 13 MB job info lists ~120k
     * tablet files) still fits arca's 128 MiB heap with its parsed tree.
     */
    private static final int MAX_SMALL_FILE = 16 << 20;
    private static final Comparator<String> BYTE_ORDER = (a, b) -> Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private final Repository repo;
    private final Path dir;
    private final Options options;
    private volatile BackupStats current = new BackupStats();
    private volatile long bytesBefore;

    public DorisBackup(Repository repo, Path dir, Options options) {
        this.repo = repo;
        this.dir = dir;
        this.options = options;
    }

    /** Bytes of Doris files read so far over all snapshots, for progress. */
    public long bytesProcessed() {
        return bytesBefore + current.bytesProcessed.get();
    }

    /** A snapshot directory with its info and meta files found, not yet read. */
    record Candidate(String label, Path ssDir, Path infoFile, String timestamp, Path metaFile) {
        String infoName() {
            return infoFile.getFileName().toString();
        }
    }

    /** A candidate whose job info has been read, checked and parsed. */
    record Prepared(Candidate c, byte[] infoBytes, JobInfo info) {
    }

    /**
     * Ingests the snapshot named in the options, or all of them; reports each outcome to
     * {@code listener} as it happens.
     *
     * @throws DorisFormatException if the repository itself breaks the layout ({@code __repo_info}
     *                              missing or damaged, an unknown entry at its top, the label absent)
     */
    public Result run(Consumer<Outcome> listener) throws IOException {
        Path repoDir = DorisLayout.findRepository(dir);
        String name = DorisLayout.repositoryName(repoDir);
        byte[] repoInfo = readRepoInfo(repoDir, name);
        List<Path> ssDirs = snapshotDirs(repoDir);
        if (options.label() != null) {
            Path wanted = repoDir.resolve(DorisLayout.SNAPSHOT_PREFIX + options.label());
            if (!DorisLayout.validName(options.label()) || !ssDirs.contains(wanted)) {
                throw new DorisFormatException(wanted.toString(), "no snapshot with the label '" + options.label()
                        + "' in repository '" + name + "'");
            }
            ssDirs = List.of(wanted);
        }
        List<Outcome> outcomes = new ArrayList<>();
        List<Candidate> candidates = new ArrayList<>();
        for (Path ss : ssDirs) {
            String label = ss.getFileName().toString().substring(DorisLayout.SNAPSHOT_PREFIX.length());
            try {
                candidates.add(locate(ss, label));
            } catch (DorisFormatException e) {
                Outcome o = new Outcome(label, Status.FAILED, null, null, e.getMessage());
                outcomes.add(o);
                listener.accept(o);
            }
        }
        // The info file's timestamp sorts like the time: oldest first, so each finds its parent stored.
        candidates.sort(Comparator.comparing(Candidate::timestamp).thenComparing(Candidate::label));
        List<DorisSnapshot> stored = new ArrayList<>(DorisSnapshot.list(repo, name, e -> { }));
        for (Candidate c : candidates) {
            DorisSnapshot same = stored.stream()
                    .filter(d -> d.label().equals(c.label) && d.infoFile().equals(c.infoName())).findFirst().orElse(null);
            Outcome o;
            if (same != null) {
                o = new Outcome(c.label, Status.SKIPPED, same.id(), same.snapshot(), null);
            } else {
                try {
                    Prepared p = prepare(c);
                    DorisSnapshot parent = parentOf(stored, p);
                    FileId id = new SnapshotIngest(repo, options, current).ingest(name, repoInfo, p, parent);
                    Snapshot s = repo.loadSnapshot(id);
                    stored.add(DorisSnapshot.of(id, s));
                    o = new Outcome(c.label, Status.SAVED, id, s, null);
                } catch (DorisFormatException e) {
                    o = new Outcome(c.label, Status.FAILED, null, null, e.getMessage());
                } finally {
                    bytesBefore += current.bytesProcessed.get();
                    current = new BackupStats();
                }
            }
            outcomes.add(o);
            listener.accept(o);
        }
        return new Result(name, outcomes);
    }

    /** The latest stored snapshot of the same Doris database taken before {@code p}. */
    private static DorisSnapshot parentOf(List<DorisSnapshot> stored, Prepared p) {
        DorisSnapshot best = null;
        for (DorisSnapshot d : stored) {
            if (d.databaseId() == p.info.databaseId() && d.backupTimeMillis() <= p.info.backupTimeMillis()
                    && (best == null || d.backupTimeMillis() >= best.backupTimeMillis())) {
                best = d;
            }
        }
        return best;
    }

    private static byte[] readRepoInfo(Path repoDir, String name) throws IOException {
        Path p = repoDir.resolve(DorisLayout.REPO_INFO);
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new DorisFormatException(p.toString(), "missing: every Doris repository has a " + DorisLayout.REPO_INFO);
        }
        byte[] bytes = readSmall(p);
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new DorisFormatException(p.toString(), "not valid JSON (truncated or damaged?)", e);
        }
        if (n == null || !n.isObject() || !n.path("name").isTextual()) {
            throw new DorisFormatException(p.toString(), "not a repository info object {\"name\", \"create_time\"}");
        }
        if (!n.path("name").asText().equals(name)) {
            throw new DorisFormatException(p.toString(), "names the repository '" + n.path("name").asText()
                    + "', but its directory is " + repoDir.getFileName());
        }
        return bytes;
    }

    private static List<Path> snapshotDirs(Path repoDir) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String entry : sortedNames(repoDir)) {
            Path p = repoDir.resolve(entry);
            if (entry.equals(DorisLayout.REPO_INFO)) {
                continue;
            }
            String label = entry.startsWith(DorisLayout.SNAPSHOT_PREFIX)
                    ? entry.substring(DorisLayout.SNAPSHOT_PREFIX.length()) : null;
            if (label == null || !DorisLayout.validName(label) || !isDirectory(p)) {
                throw new DorisFormatException(p.toString(), "outside the Doris repository layout (expected "
                        + DorisLayout.REPO_INFO + " and " + DorisLayout.SNAPSHOT_PREFIX + "<label> directories)");
            }
            out.add(p);
        }
        return out;
    }

    /** Finds the info and meta files of a snapshot directory; anything else but the content is an error. */
    private static Candidate locate(Path ss, String label) throws IOException {
        Path info = null;
        Path meta = null;
        String timestamp = null;
        for (String entry : sortedNames(ss)) {
            Path p = ss.resolve(entry);
            if (entry.equals(DorisLayout.CONTENT) && isDirectory(p)) {
                continue;
            }
            Md5Name n = Md5Name.parse(entry);
            String ts = n == null ? null : DorisLayout.infoTimestamp(n.base());
            if (n != null && n.base().equals(DorisLayout.META) && isRegularFile(p)) {
                if (meta != null) {
                    throw new DorisFormatException(p.toString(), "a second meta file (the other is " + meta.getFileName() + ")");
                }
                meta = p;
            } else if (ts != null && isRegularFile(p)) {
                if (info != null) {
                    throw new DorisFormatException(p.toString(), "a second job info file (the other is "
                            + info.getFileName() + ")");
                }
                info = p;
                timestamp = ts;
            } else {
                throw new DorisFormatException(p.toString(), "outside the Doris snapshot layout (expected "
                        + DorisLayout.META + ".<md5>, " + DorisLayout.INFO_PREFIX + "<yyyy-MM-dd-HH-mm-ss>.<md5> and "
                        + DorisLayout.CONTENT + "/)");
            }
        }
        if (info == null) {
            throw new DorisFormatException(ss.toString(), "no job info file (" + DorisLayout.INFO_PREFIX
                    + "<yyyy-MM-dd-HH-mm-ss>.<md5>): not a complete Doris snapshot");
        }
        if (meta == null) {
            throw new DorisFormatException(ss.toString(), "no meta file (" + DorisLayout.META
                    + ".<md5>): not a complete Doris snapshot");
        }
        return new Candidate(label, ss, info, timestamp, meta);
    }

    /** Reads the job info, checks its md5 and parses it. */
    private static Prepared prepare(Candidate c) throws IOException {
        byte[] bytes = readSmall(c.infoFile);
        checkMd5(c.infoFile, Md5Name.hex(Md5Name.newDigest().digest(bytes)));
        JobInfo job = JobInfo.parse(bytes, c.infoFile.toString());
        if (!job.label().equals(c.label)) {
            throw new DorisFormatException(c.infoFile.toString(), "job info has the label '" + job.label()
                    + "', but its directory is " + c.ssDir.getFileName());
        }
        return new Prepared(c, bytes, job);
    }

    static void checkMd5(Path p, String actual) throws DorisFormatException {
        Md5Name n = Md5Name.parse(p.getFileName().toString());
        if (!n.md5().equals(actual)) {
            throw new DorisFormatException(p.toString(), "md5 mismatch: the name says " + n.md5() + ", the content has "
                    + actual);
        }
    }

    static List<String> sortedNames(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path c : ds) {
                names.add(c.getFileName().toString());
            }
        } catch (NoSuchFileException e) {
            throw new DorisFormatException(dir.toString(), "vanished during the backup");
        }
        names.sort(BYTE_ORDER);
        return names;
    }

    static boolean isDirectory(Path p) {
        return Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
    }

    static boolean isRegularFile(Path p) {
        return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS);
    }

    private static byte[] readSmall(Path p) throws IOException {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.size() > MAX_SMALL_FILE) {
            throw new DorisFormatException(p.toString(), "too large for a metadata file (" + a.size()
                    + " bytes; arca reads job info and meta files of up to " + (MAX_SMALL_FILE >> 20) + " MiB)");
        }
        return Files.readAllBytes(p);
    }
}
