package dev.arca.engine.redis;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.engine.RecordView;
import dev.arca.format.repo.Repository;
import dev.arca.format.snapshot.Snapshot;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;

/**
 * {@code /records/db<N>/<key>} over a Redis snapshot, read from its key index (the RDB itself is
 * read only to show one key's value). Keys are named as {@link KeyNames} encodes them; a listing
 * shows each key's type, TTL and stored size.
 */
public final class RedisRecordView implements RecordView {
    /** Values up to this size are included (base64 DUMP payload) when one key is dumped. */
    static final int MAX_SHOWN_VALUE = 1 << 20;

    /** Receives keys. */
    public interface KeySink {
        /** Returns false to stop. */
        boolean accept(RdbKey k) throws IOException;
    }

    /** Every key of the snapshot that {@code filter} accepts, in RDB order. */
    public static void keys(Repository repo, Snapshot s, RedisRestore.Filter filter, KeySink sink) throws IOException {
        try (KeyIndex.Reader r = new RedisSnapshot(repo, s).keys()) {
            for (RdbKey k = r.next(); k != null; k = r.next()) {
                if (filter.accepts(k) && !sink.accept(k)) {
                    return;
                }
            }
        }
    }

    @Override
    public boolean list(Repository repo, Snapshot s, String path, Sink out) throws IOException {
        if (dev.arca.engine.redis.aof.AofBackup.isAof(s)) {
            return false;   // an AOF directory holds commands, not a key index
        }
        List<String> parts = parts(path);
        if (parts.isEmpty()) {
            Iterator<String> dbs = s.engineMetadata.path("keys_per_db").fieldNames();
            while (dbs.hasNext()) {
                String p = "/" + ROOT + "/db" + dbs.next();
                ObjectNode o = JsonNodeFactory.instance.objectNode();
                o.put("path", p);
                o.put("type", "dir");
                out.accept(new Entry(p, true, "", o));
            }
            return true;
        }
        Integer db = db(s, parts.get(0));
        if (db == null || parts.size() > 2) {
            return false;
        }
        byte[] wanted = parts.size() == 2 ? KeyNames.decode(parts.get(1)) : null;
        boolean[] found = {false};
        long now = System.currentTimeMillis();
        keys(repo, s, new RedisRestore.Filter(null, db), k -> {
            if (wanted == null || java.util.Arrays.equals(wanted, k.key())) {
                found[0] = true;
                out.accept(new Entry(path(k), false, summary(k, now), json(k, now)));
                return wanted == null;
            }
            return true;
        });
        return wanted == null || found[0];
    }

    @Override
    public ObjectNode record(Repository repo, Snapshot s, String path) throws IOException {
        if (dev.arca.engine.redis.aof.AofBackup.isAof(s)) {
            return null;
        }
        List<String> parts = parts(path);
        if (parts.size() != 2) {
            return null;
        }
        Integer db = db(s, parts.get(0));
        if (db == null) {
            return null;
        }
        byte[] wanted = KeyNames.decode(parts.get(1));
        RdbKey[] hit = {null};
        keys(repo, s, new RedisRestore.Filter(null, db), k -> {
            if (java.util.Arrays.equals(wanted, k.key())) {
                hit[0] = k;
                return false;
            }
            return true;
        });
        if (hit[0] == null) {
            return null;
        }
        RdbKey k = hit[0];
        ObjectNode o = json(k, System.currentTimeMillis());
        if (k.valueSize() <= MAX_SHOWN_VALUE) {
            RedisSnapshot rs = new RedisSnapshot(repo, s);
            byte[] value = rs.ranges().read(k.valueStart(), (int) k.valueSize());
            o.put("dump_payload_base64", Base64.getEncoder().encodeToString(
                    DumpPayload.build(k.type(), value, rs.rdbVersion())));
        }
        return o;
    }

    private static Integer db(Snapshot s, String dir) {
        if (!dir.startsWith("db") || dir.length() < 3 || !dir.substring(2).chars().allMatch(Character::isDigit)
                || dir.length() > 11) {
            return null;
        }
        if (!s.engineMetadata.path("keys_per_db").has(dir.substring(2))) {
            return null;
        }
        return Integer.parseInt(dir.substring(2));
    }

    private static List<String> parts(String path) {
        List<String> out = new ArrayList<>();
        for (String p : path.split("/")) {
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return out.isEmpty() ? out : out.subList(1, out.size());
    }

    public static String path(RdbKey k) {
        return "/" + ROOT + "/db" + k.db() + "/" + KeyNames.encode(k.key());
    }

    /** "hash  ttl 35s  size 120" */
    public static String summary(RdbKey k, long nowMs) {
        return String.format("%-6s  ttl %-8s  size %d", k.typeName(), ttl(k, nowMs), k.valueSize());
    }

    static String ttl(RdbKey k, long nowMs) {
        if (!k.hasExpiry()) {
            return "none";
        }
        long left = k.expireMs() - nowMs;
        return left <= 0 ? "expired" : ((left + 999) / 1000) + "s";
    }

    /** A key as JSON: db, key, type, encoding, expire (ISO time or null), ttl_ms, size. */
    public static ObjectNode json(RdbKey k, long nowMs) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("db", k.db());
        String text = KeyNames.utf8(k.key());
        if (text != null) {
            o.put("key", text);
        } else {
            o.put("key", KeyNames.encode(k.key()));
            o.put("key_base64", Base64.getEncoder().encodeToString(k.key()));
        }
        o.put("type", k.typeName());
        o.put("encoding", RdbType.encoding(k.type()));
        if (k.hasExpiry()) {
            o.put("expire", Instant.ofEpochMilli(k.expireMs()).toString());
            o.put("expire_ms", k.expireMs());
            o.put("ttl_ms", k.expireMs() - nowMs);
        } else {
            o.putNull("expire");
        }
        o.put("size", k.valueSize());
        o.put("path", path(k));
        return o;
    }
}
