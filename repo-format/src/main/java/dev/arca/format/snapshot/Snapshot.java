package dev.arca.format.snapshot;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.format.CorruptObjectException;
import dev.arca.format.id.BlobId;
import dev.arca.format.io.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A snapshot manifest (spec §11), the content of a sealed file with magic {@code ARCS}. A mutable
 * bean for JSON mapping; the repository hands out copies.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class Snapshot {
    public static final String MAGIC = "ARCS";
    public static final int VERSION_START = 1;
    public static final int VERSION_CURRENT = 1;

    @JsonProperty("time") public String time;
    @JsonProperty("tree") public String tree;
    @JsonProperty("paths") public List<String> paths = new ArrayList<>();
    @JsonProperty("host") public String host;
    @JsonProperty("user") public String user;
    @JsonProperty("tags") public List<String> tags = new ArrayList<>();
    @JsonProperty("engine") public String engine;
    @JsonProperty("engine_metadata") public ObjectNode engineMetadata;
    @JsonProperty("parent") public String parent;
    @JsonProperty("program_version") public String programVersion;
    @JsonProperty("summary") public Summary summary;

    /** Counters of the backup that made the snapshot. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static final class Summary {
        @JsonProperty("files_new") public long filesNew;
        @JsonProperty("files_changed") public long filesChanged;
        @JsonProperty("files_unmodified") public long filesUnmodified;
        @JsonProperty("dirs_new") public long dirsNew;
        @JsonProperty("dirs_changed") public long dirsChanged;
        @JsonProperty("dirs_unmodified") public long dirsUnmodified;
        @JsonProperty("data_blobs") public long dataBlobs;
        @JsonProperty("tree_blobs") public long treeBlobs;
        @JsonProperty("data_added") public long dataAdded;
        @JsonProperty("data_added_packed") public long dataAddedPacked;
        @JsonProperty("total_files_processed") public long totalFilesProcessed;
        @JsonProperty("total_bytes_processed") public long totalBytesProcessed;
        @JsonProperty("backup_start") public String backupStart;
        @JsonProperty("backup_end") public String backupEnd;
    }

    @JsonIgnore
    public Instant instant() {
        return Instant.parse(time);
    }

    @JsonIgnore
    public BlobId treeId() {
        return BlobId.fromHex(tree);
    }

    public byte[] encode() {
        return Json.write(this);
    }

    public static Snapshot decode(byte[] content, String object) throws CorruptObjectException {
        Snapshot s = Json.read(content, 0, content.length, Snapshot.class, object);
        if (s.time == null || s.tree == null) {
            throw new CorruptObjectException(object, "snapshot lacks time or tree");
        }
        try {
            s.instant();
            s.treeId();
        } catch (RuntimeException e) {
            throw new CorruptObjectException(object, "snapshot has an invalid time or tree id");
        }
        if (s.paths == null) {
            s.paths = new ArrayList<>();
        }
        if (s.tags == null) {
            s.tags = new ArrayList<>();
        }
        return s;
    }

    public Snapshot copy() {
        try {
            return decode(encode(), "copy");
        } catch (CorruptObjectException e) {
            throw new IllegalStateException(e);
        }
    }
}
