package dev.arca.engine.doris;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.format.NoSuchSnapshotException;
import dev.arca.format.RepositoryException;
import dev.arca.format.id.FileId;
import dev.arca.format.repo.Repository;
import dev.arca.format.repo.SnapshotRef;
import dev.arca.format.snapshot.Snapshot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A stored Doris snapshot: an arca snapshot with engine {@code doris} whose engine metadata is
 * the job info ({@link JobInfo#toMetadata()}) plus where it came from: {@code repository},
 * {@code timestamp} (of the info file's name), {@code info_file} and {@code meta_file}.
 */
public record DorisSnapshot(FileId id, Snapshot snapshot, String repository, String label, String timestamp,
                            String database, long databaseId, long backupTimeMillis, String infoFile, String metaFile) {
    public static final String ENGINE = "doris";

    /** The Doris view of an arca snapshot, or null if it is not a (well-formed) Doris one. */
    public static DorisSnapshot of(FileId id, Snapshot s) {
        if (!ENGINE.equals(s.engine) || s.engineMetadata == null) {
            return null;
        }
        ObjectNode m = s.engineMetadata;
        String repository = m.path("repository").asText(null);
        String label = m.path("label").asText(null);
        String infoFile = m.path("info_file").asText(null);
        String metaFile = m.path("meta_file").asText(null);
        if (!DorisLayout.validName(repository) || !DorisLayout.validName(label) || infoFile == null || metaFile == null) {
            return null;
        }
        return new DorisSnapshot(id, s, repository, label, m.path("timestamp").asText(""), m.path("database").asText(""),
                m.path("database_id").asLong(), m.path("backup_time").asLong(), infoFile, metaFile);
    }

    /** The Doris snapshots in {@code repo}, oldest first; of one Doris repository unless the name is null. */
    public static List<DorisSnapshot> list(Repository repo, String repositoryName, Consumer<RepositoryException> problems)
            throws IOException {
        List<DorisSnapshot> out = new ArrayList<>();
        for (SnapshotRef r : repo.snapshots(problems)) {
            DorisSnapshot d = of(r.id(), r.snapshot());
            if (d != null && (repositoryName == null || repositoryName.equals(d.repository))) {
                out.add(d);
            }
        }
        return out;
    }

    /**
     * What a user typed: a Doris label, or an arca snapshot id, id prefix or {@code latest} (the
     * latest Doris snapshot).
     *
     * @throws NoSuchSnapshotException if nothing matches
     * @throws IllegalArgumentException if a label matches several snapshots
     */
    public static DorisSnapshot resolve(Repository repo, String spec, String repositoryName) throws IOException {
        List<DorisSnapshot> all = list(repo, repositoryName, e -> { });
        List<DorisSnapshot> byLabel = all.stream().filter(d -> d.label.equals(spec)).toList();
        if (byLabel.size() == 1) {
            return byLabel.get(0);
        }
        if (byLabel.size() > 1) {
            throw new IllegalArgumentException("label '" + spec + "' names " + byLabel.size() + " snapshots ("
                    + byLabel.stream().map(d -> d.repository + "/" + d.id.shortHex()).toList()
                    + "); give --repository-name or the snapshot id");
        }
        if (spec.equals("latest") || spec.length() >= 4 && spec.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
            FileId id = repo.resolveSnapshot(spec, s -> {
                DorisSnapshot d = of(null, s);
                return d != null && (repositoryName == null || repositoryName.equals(d.repository));
            });
            DorisSnapshot d = of(id, repo.loadSnapshot(id));
            if (d == null) {
                throw new NoSuchSnapshotException("snapshot " + id.shortHex() + " is not a Doris snapshot");
            }
            if (repositoryName != null && !repositoryName.equals(d.repository)) {
                throw new NoSuchSnapshotException("snapshot " + id.shortHex() + " is of Doris repository '"
                        + d.repository + "', not '" + repositoryName + "'");
            }
            return d;
        }
        throw new NoSuchSnapshotException("no Doris snapshot has the label '" + spec + "'"
                + (repositoryName == null ? "" : " in repository '" + repositoryName + "'"));
    }

    /** {@code __palo_repository_<repository>}. */
    public String repositoryDirName() {
        return DorisLayout.REPOSITORY_PREFIX + repository;
    }

    /** {@code __ss_<label>}. */
    public String snapshotDirName() {
        return DorisLayout.SNAPSHOT_PREFIX + label;
    }

    /** The tables with partitions, indexes and tablet ids, as stored in the engine metadata. */
    public JsonNode tables() {
        return snapshot.engineMetadata.path("tables");
    }

    /** "OK" like {@code SHOW SNAPSHOT}: arca stores only snapshots whose every md5 was checked. */
    public String status() {
        return "OK";
    }
}
