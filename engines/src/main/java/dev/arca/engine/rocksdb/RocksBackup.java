package dev.arca.engine.rocksdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.format.CorruptObjectException;
import dev.arca.format.id.FileId;
import dev.arca.format.repo.SnapshotRef;
import dev.arca.format.snapshot.Snapshot;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One RocksDB backup as recorded in a snapshot's engine metadata:
 * <pre>
 * { "name": "orders", "backup_id": 3, "timestamp": 1732240000, "sequence_number": 1234,
 *   "app_metadata": "text" (when it is UTF-8) / "app_metadata_base64": "…",
 *   "source": "db" | "live-db" | "backup-dir", "source_path": "/srv/orders",
 *   "meta": "&lt;the meta/&lt;id&gt; file, base64&gt;",
 *   "files": [ { "path": "shared_checksum/000010_s…_4233.sst", "size": 4233, "crc32c": 123 }, … ] }
 * </pre>
 * The files appear in the snapshot's tree under the same paths, with the meta file at
 * {@code meta/<id>}.
 */
public record RocksBackup(FileId snapshotId, Snapshot snapshot, String name, int backupId, long timestamp,
                          long sequenceNumber, byte[] appMetadata, String source, byte[] meta, List<FileEntry> files) {
    public static final String ENGINE = "rocksdb";

    /** A file of the backup: its path in the backup directory layout, size and CRC-32C. */
    public record FileEntry(String path, long size, long crc32c) {
    }

    public long totalSize() {
        return files.stream().mapToLong(FileEntry::size).sum();
    }

    /** The app metadata as RocksDB's Java API returns it (bytes as UTF-8), or null. */
    public String appMetadataString() {
        return appMetadata == null ? null : new String(appMetadata, StandardCharsets.UTF_8);
    }

    static boolean isRocks(Snapshot s) {
        return ENGINE.equals(s.engine) && s.engineMetadata != null && s.engineMetadata.has("name")
                && s.engineMetadata.has("backup_id");
    }

    static ObjectNode metadata(String name, int id, BackupMeta meta, String source, String sourcePath,
                               List<FileEntry> files) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("name", name);
        o.put("backup_id", id);
        o.put("timestamp", meta.timestamp());
        o.put("sequence_number", meta.sequence());
        byte[] app = meta.appMetadata();
        if (app != null) {
            String text = new String(app, StandardCharsets.UTF_8);
            if (java.util.Arrays.equals(text.getBytes(StandardCharsets.UTF_8), app)) {
                o.put("app_metadata", text);
            } else {
                o.put("app_metadata_base64", Base64.getEncoder().encodeToString(app));
            }
        }
        o.put("source", source);
        if (sourcePath != null) {
            o.put("source_path", sourcePath);
        }
        o.put("meta", Base64.getEncoder().encodeToString(meta.bytes()));
        ArrayNode arr = o.putArray("files");
        for (FileEntry f : files) {
            arr.addObject().put("path", f.path()).put("size", f.size()).put("crc32c", f.crc32c());
        }
        return o;
    }

    /** Reads the engine metadata of a rocksdb snapshot. */
    static RocksBackup of(SnapshotRef ref) throws CorruptObjectException {
        Snapshot s = ref.snapshot();
        String object = "snapshots/" + ref.id().hex();
        try {
            JsonNode m = s.engineMetadata;
            byte[] app = null;
            if (m.hasNonNull("app_metadata")) {
                app = m.get("app_metadata").asText().getBytes(StandardCharsets.UTF_8);
            } else if (m.hasNonNull("app_metadata_base64")) {
                app = Base64.getDecoder().decode(m.get("app_metadata_base64").asText());
            }
            List<FileEntry> files = new ArrayList<>();
            for (JsonNode f : m.get("files")) {
                files.add(new FileEntry(f.get("path").asText(), f.get("size").asLong(), f.get("crc32c").asLong()));
            }
            return new RocksBackup(ref.id(), s, m.get("name").asText(), m.get("backup_id").asInt(),
                    m.get("timestamp").asLong(), m.get("sequence_number").asLong(), app,
                    m.path("source").asText(""), Base64.getDecoder().decode(m.get("meta").asText()), List.copyOf(files));
        } catch (RuntimeException e) {
            throw new CorruptObjectException(object, "rocksdb engine metadata is malformed: " + e);
        }
    }
}
