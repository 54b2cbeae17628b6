package dev.arca.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.format.repo.Repository;
import dev.arca.format.snapshot.Snapshot;
import java.io.IOException;

/**
 * A read-only view of the records inside a database snapshot's native files, shown by {@code ls}
 * and {@code dump} under {@code /records/...} (a path that is not in the snapshot's tree). An
 * engine that has records implements it and is named in {@link #of}.
 */
public interface RecordView {
    /** The first path element of the view. */
    String ROOT = "records";

    /** A listed entry: a directory (a namespace, a set, a database) or a record with a summary. */
    record Entry(String path, boolean directory, String summary, ObjectNode json) {
    }

    /** Receives entries one at a time. */
    interface Sink {
        void accept(Entry e) throws IOException;
    }

    /**
     * Lists the entries directly under {@code path} ({@code "/records/..."} as
     * {@code SnapshotWalker.normalize} gives it), or the record itself if {@code path} names one.
     * Returns false if there is no such path.
     */
    boolean list(Repository repo, Snapshot snapshot, String path, Sink out) throws IOException;

    /** The record at {@code path} as JSON, or null if there is none. */
    ObjectNode record(Repository repo, Snapshot snapshot, String path) throws IOException;

    /** Whether {@code normalizedPath} is in the view. */
    static boolean isViewPath(String normalizedPath) {
        return normalizedPath.equals("/" + ROOT) || normalizedPath.startsWith("/" + ROOT + "/");
    }

    /** The view of an engine's snapshots, or null if the engine has none. */
    static RecordView of(String engine) {
        if (engine == null) {
            return null;
        }
        return switch (engine) {
            case "aerospike" -> new dev.arca.engine.aerospike.AerospikeRecordView();
            case "redis" -> new dev.arca.engine.redis.RedisRecordView();
            default -> null;
        };
    }
}
