package dev.arca.engine.doris;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.format.io.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Doris job info file ({@code BackupJobInfo}, compact Gson JSON), reduced to what arca checks
 * and shows: the label, database, backup time, and the tables with their partitions, indexes and
 * tablets, each tablet with the md5-suffixed names of its files.
 *
 * <pre>
 * {"name": label, "database": db, "id": dbId, "backup_time": epochMillis, "content": "ALL"|"METADATA_ONLY",
 *  "backup_objects": {tbl: {"id", "partitions": {part: {"id", "version",
 *      "indexes": {idx: {"id", "schema_hash", "tablets": {tabletId: ["file.md5", …]}, "tablets_order": […]}}}}}},
 *  "new_backup_objects": {"views": [{"id", "name"}], …}, "backup_result": "succeed", …}
 * </pre>
 */
public record JobInfo(String label, String database, long databaseId, long backupTimeMillis, String content,
                      String result, List<Table> tables, List<String> views) {
    public record Table(String name, long id, List<Partition> partitions) {
        public Partition partition(long partitionId) {
            return partitions.stream().filter(p -> p.id == partitionId).findFirst().orElse(null);
        }

        public Partition partition(String partitionName) {
            return partitions.stream().filter(p -> p.name.equals(partitionName)).findFirst().orElse(null);
        }
    }

    public record Partition(String name, long id, long version, List<Index> indexes) {
        public Index index(long indexId) {
            return indexes.stream().filter(i -> i.id == indexId).findFirst().orElse(null);
        }
    }

    /** An index (the base table or a rollup) of a partition; tablets in {@code tablets_order}. */
    public record Index(String name, long id, long schemaHash, Map<Long, List<String>> tablets) {
    }

    public Table table(long tableId) {
        return tables.stream().filter(t -> t.id == tableId).findFirst().orElse(null);
    }

    public Table table(String tableName) {
        return tables.stream().filter(t -> t.name.equals(tableName)).findFirst().orElse(null);
    }

    /** Number of tablet files the job info lists. */
    public long fileCount() {
        long n = 0;
        for (Table t : tables) {
            for (Partition p : t.partitions) {
                for (Index i : p.indexes) {
                    for (List<String> files : i.tablets.values()) {
                        n += files.size();
                    }
                }
            }
        }
        return n;
    }

    /**
     * Parses and checks a job info file's bytes.
     *
     * @param file the file's name, for errors
     * @throws DorisFormatException if it is not JSON or lacks a field, naming {@code file}
     */
    public static JobInfo parse(byte[] json, String file) throws DorisFormatException {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (IOException e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            throw new DorisFormatException(file, "not valid job info JSON (truncated or damaged?): " + m, e);
        }
        if (root == null || !root.isObject()) {
            throw new DorisFormatException(file, "not valid job info JSON: not an object");
        }
        Reader r = new Reader(file);
        String label = r.text(root, "name", "");
        String database = r.text(root, "database", "");
        long dbId = r.number(root, "id", "");
        long time = r.number(root, "backup_time", "");
        String content = root.path("content").asText("ALL");
        String result = root.path("backup_result").asText("");
        if (!DorisLayout.validName(label)) {
            throw new DorisFormatException(file, "job info has an invalid label '" + label + "'");
        }
        List<Table> tables = new ArrayList<>();
        JsonNode objects = r.object(root, "backup_objects", "");
        for (Iterator<Map.Entry<String, JsonNode>> it = objects.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> te = it.next();
            String tw = "backup_objects." + te.getKey();
            JsonNode t = r.object(te.getValue(), null, tw);
            List<Partition> parts = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> pit = r.object(t, "partitions", tw).fields(); pit.hasNext(); ) {
                Map.Entry<String, JsonNode> pe = pit.next();
                String pw = tw + ".partitions." + pe.getKey();
                JsonNode p = r.object(pe.getValue(), null, pw);
                List<Index> indexes = new ArrayList<>();
                for (Iterator<Map.Entry<String, JsonNode>> iit = r.object(p, "indexes", pw).fields(); iit.hasNext(); ) {
                    Map.Entry<String, JsonNode> ie = iit.next();
                    String iw = pw + ".indexes." + ie.getKey();
                    JsonNode i = r.object(ie.getValue(), null, iw);
                    indexes.add(new Index(ie.getKey(), r.number(i, "id", iw), r.number(i, "schema_hash", iw),
                            tablets(r, i, iw)));
                }
                parts.add(new Partition(pe.getKey(), r.number(p, "id", pw), r.number(p, "version", pw),
                        List.copyOf(indexes)));
            }
            tables.add(new Table(te.getKey(), r.number(t, "id", tw), List.copyOf(parts)));
        }
        List<String> views = new ArrayList<>();
        for (JsonNode v : root.path("new_backup_objects").path("views")) {
            views.add(v.path("name").asText());
        }
        return new JobInfo(label, database, dbId, time, content, result, List.copyOf(tables), List.copyOf(views));
    }

    private static Map<Long, List<String>> tablets(Reader r, JsonNode index, String where) throws DorisFormatException {
        JsonNode tablets = r.object(index, "tablets", where);
        Map<Long, List<String>> out = new LinkedHashMap<>();
        List<Long> order = new ArrayList<>();
        for (JsonNode o : index.path("tablets_order")) {
            order.add(o.asLong());
        }
        Map<Long, List<String>> byId = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = tablets.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String tw = where + ".tablets." + e.getKey();
            long id = DorisLayout.idAfter("", e.getKey());
            if (id < 0 || !e.getValue().isArray()) {
                throw new DorisFormatException(r.file, "job info: " + tw + " is not a tablet id with a list of files");
            }
            List<String> files = new ArrayList<>();
            for (JsonNode f : e.getValue()) {
                if (!f.isTextual() || Md5Name.parse(f.asText()) == null || f.asText().contains("/")) {
                    throw new DorisFormatException(r.file, "job info: " + tw + " lists '" + f.asText()
                            + "', which is not a file name with an md5 suffix");
                }
                files.add(f.asText());
            }
            byId.put(id, List.copyOf(files));
        }
        for (Long id : order) {
            List<String> f = byId.remove(id);
            if (f != null) {
                out.put(id, f);
            }
        }
        out.putAll(byId);
        return Collections.unmodifiableMap(out);
    }

    /** Typed field access with errors that name the file and the field. */
    private record Reader(String file) {
        JsonNode object(JsonNode parent, String field, String where) throws DorisFormatException {
            JsonNode n = field == null ? parent : parent.get(field);
            if (n == null || !n.isObject()) {
                throw new DorisFormatException(file, "job info: " + path(where, field) + " is missing or not an object");
            }
            return n;
        }

        String text(JsonNode parent, String field, String where) throws DorisFormatException {
            JsonNode n = parent.get(field);
            if (n == null || !n.isTextual()) {
                throw new DorisFormatException(file, "job info: " + path(where, field) + " is missing or not a string");
            }
            return n.asText();
        }

        long number(JsonNode parent, String field, String where) throws DorisFormatException {
            JsonNode n = parent.get(field);
            if (n == null || !n.canConvertToLong() || !n.isIntegralNumber()) {
                throw new DorisFormatException(file, "job info: " + path(where, field) + " is missing or not a number");
            }
            return n.asLong();
        }

        private static String path(String where, String field) {
            return field == null ? where : where.isEmpty() ? field : where + "." + field;
        }
    }

    /** The snapshot's engine metadata: everything but the file lists (tablets by id only). */
    public ObjectNode toMetadata() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        o.put("label", label);
        o.put("database", database);
        o.put("database_id", databaseId);
        o.put("backup_time", backupTimeMillis);
        o.put("content", content);
        o.put("backup_result", result);
        ArrayNode ts = o.putArray("tables");
        for (Table t : tables) {
            ObjectNode tn = ts.addObject().put("name", t.name).put("id", t.id);
            ArrayNode ps = tn.putArray("partitions");
            for (Partition p : t.partitions) {
                ObjectNode pn = ps.addObject().put("name", p.name).put("id", p.id).put("version", p.version);
                ArrayNode is = pn.putArray("indexes");
                for (Index i : p.indexes) {
                    ObjectNode in = is.addObject().put("name", i.name).put("id", i.id).put("schema_hash", i.schemaHash);
                    ArrayNode tablets = in.putArray("tablets");
                    i.tablets.keySet().forEach(tablets::add);
                }
            }
        }
        ArrayNode vs = o.putArray("views");
        views.forEach(vs::add);
        return o;
    }
}
