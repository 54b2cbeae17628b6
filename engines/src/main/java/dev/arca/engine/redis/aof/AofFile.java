package dev.arca.engine.redis.aof;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a backup learnt about one file of an AOF directory; kept per file in the snapshot's
 * engine metadata ({@code files[]}).
 */
public final class AofFile {
    /** The file's name, its manifest type (b, h or i) and seq. */
    public String name;
    public String type;
    public long seq;
    public long size;
    /** "rdb" (a base RDB) or "aof" (RESP, maybe with an RDB preamble). */
    public String format;
    /** Where {@code redis-check-aof --fix} would cut; equals size unless the tail is torn. */
    public long lastCompleteOffset;
    public boolean truncated;
    public long commands;
    public long annotations;
    /** First and last {@code #TS:} annotation (unix seconds), or null. */
    public Long firstTs;
    public Long lastTs;
    /** RDB version and {@code ctime} aux (unix seconds) of a base RDB or an RDB preamble, or null. */
    public Integer rdbVersion;
    public Long rdbCtime;
    /** CRC64 of the RDB as stored (hex), when it has one. */
    public String rdbCrc64;

    ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("name", name);
        o.put("type", type);
        o.put("seq", seq);
        o.put("size", size);
        o.put("format", format);
        o.put("last_complete_offset", lastCompleteOffset);
        o.put("truncated", truncated);
        if (format.equals("aof")) {
            o.put("commands", commands);
            o.put("annotations", annotations);
            putNullable(o, "first_ts", firstTs);
            putNullable(o, "last_ts", lastTs);
        }
        if (rdbVersion != null) {
            o.put("rdb_version", rdbVersion);
            putNullable(o, "rdb_ctime", rdbCtime);
            if (rdbCrc64 != null) {
                o.put("rdb_crc64", rdbCrc64);
            }
        }
        return o;
    }

    private static void putNullable(ObjectNode o, String k, Long v) {
        if (v == null) {
            o.putNull(k);
        } else {
            o.put(k, v);
        }
    }

    static AofFile fromJson(JsonNode o) {
        AofFile f = new AofFile();
        f.name = o.path("name").asText();
        f.type = o.path("type").asText();
        f.seq = o.path("seq").asLong();
        f.size = o.path("size").asLong();
        f.format = o.path("format").asText();
        f.lastCompleteOffset = o.path("last_complete_offset").asLong(f.size);
        f.truncated = o.path("truncated").asBoolean();
        f.commands = o.path("commands").asLong();
        f.annotations = o.path("annotations").asLong();
        f.firstTs = longOrNull(o.get("first_ts"));
        f.lastTs = longOrNull(o.get("last_ts"));
        f.rdbVersion = o.hasNonNull("rdb_version") ? o.get("rdb_version").asInt() : null;
        f.rdbCtime = longOrNull(o.get("rdb_ctime"));
        f.rdbCrc64 = o.hasNonNull("rdb_crc64") ? o.get("rdb_crc64").asText() : null;
        return f;
    }

    private static Long longOrNull(JsonNode n) {
        return n == null || n.isNull() ? null : n.asLong();
    }
}
