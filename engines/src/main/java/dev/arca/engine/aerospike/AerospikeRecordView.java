package dev.arca.engine.aerospike;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.engine.RecordView;
import dev.arca.engine.files.ContentStream;
import dev.arca.format.repo.Repository;
import dev.arca.format.snapshot.Snapshot;
import dev.arca.format.tree.Node;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code /records/<namespace>/<set>/<record>} over an Aerospike snapshot's files. Records without a
 * set are under {@value #NO_SET}. A record is named by its user key when it has a string or integer
 * key that is a usable file name, otherwise by its digest in hex; {@code dump} accepts either.
 * Each listing reads the snapshot's files through once.
 */
public final class AerospikeRecordView implements RecordView {
    /** The set directory of records that have no set (as aql shows them). */
    public static final String NO_SET = "null";

    private interface RecordSink {
        /** Returns false to stop. */
        boolean accept(AsbItem.Record r) throws IOException;
    }

    private void scan(Repository repo, Snapshot s, boolean values, RecordSink sink) throws IOException {
        for (Node n : new AerospikeRestore(repo).files(s)) {
            try (InputStream in = new BufferedInputStream(new ContentStream(repo, n), 1 << 16)) {
                AsbParser p = new AsbParser(in, n.name(), values, null);
                for (AsbItem it = p.next(); it != null; it = p.next()) {
                    if (it instanceof AsbItem.Record r && !sink.accept(r)) {
                        return;
                    }
                }
            }
        }
    }

    static String setDir(AsbItem.Record r) {
        return r.set() == null ? NO_SET : r.setText();
    }

    /** The record's name in the view. */
    public static String name(AsbItem.Record r) {
        AsbItem.Key k = r.key();
        if (k != null && (k.type() == 'S' || k.type() == 'I')) {
            String t = utf8(k.value());
            if (t != null && !t.isEmpty() && !t.equals(".") && !t.equals("..") && !t.contains("/")
                    && t.chars().noneMatch(c -> c < 0x20 || c == 0x7f) && k.value().length <= 255) {
                return t;
            }
        }
        return r.digestHex();
    }

    @Override
    public boolean list(Repository repo, Snapshot s, String path, Sink out) throws IOException {
        List<String> parts = parts(path);
        String ns = s.engineMetadata == null ? null : s.engineMetadata.path("namespace").asText(null);
        if (parts.isEmpty()) {
            out.accept(dir("/" + ROOT + "/" + ns));
            return true;
        }
        if (!parts.get(0).equals(ns) || parts.size() > 3) {
            return false;
        }
        String prefix = "/" + ROOT + "/" + ns;
        if (parts.size() == 1) {
            TreeSet<String> sets = new TreeSet<>();
            scan(repo, s, false, r -> {
                sets.add(setDir(r));
                return true;
            });
            for (String set : sets) {
                out.accept(dir(prefix + "/" + set));
            }
            return true;
        }
        String set = parts.get(1);
        String wanted = parts.size() == 3 ? parts.get(2) : null;
        boolean[] found = {false};
        scan(repo, s, false, r -> {
            if (setDir(r).equals(set) && (wanted == null || matches(r, wanted))) {
                found[0] = true;
                String p = prefix + "/" + set + "/" + name(r);
                out.accept(new Entry(p, false, summary(r), json(r, false)));
                return wanted == null;
            }
            return true;
        });
        return found[0] || wanted == null && setExists(repo, s, set);
    }

    private boolean setExists(Repository repo, Snapshot s, String set) throws IOException {
        boolean[] found = {false};
        scan(repo, s, false, r -> {
            found[0] = setDir(r).equals(set);
            return !found[0];
        });
        return found[0];
    }

    @Override
    public ObjectNode record(Repository repo, Snapshot s, String path) throws IOException {
        List<String> parts = parts(path);
        String ns = s.engineMetadata == null ? null : s.engineMetadata.path("namespace").asText(null);
        if (parts.size() != 3 || !parts.get(0).equals(ns)) {
            return null;
        }
        ObjectNode[] out = {null};
        scan(repo, s, true, r -> {
            if (setDir(r).equals(parts.get(1)) && matches(r, parts.get(2))) {
                out[0] = json(r, true);
                return false;
            }
            return true;
        });
        return out[0];
    }

    private static boolean matches(AsbItem.Record r, String wanted) {
        return wanted.equalsIgnoreCase(r.digestHex()) || wanted.equals(name(r));
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

    private static Entry dir(String path) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("path", path);
        o.put("type", "dir");
        return new Entry(path, true, "", o);
    }

    static String summary(AsbItem.Record r) {
        StringBuilder b = new StringBuilder();
        b.append("gen ").append(r.generation()).append("  ttl ").append(ttlText(r.voidTime())).append("  bins ");
        for (int i = 0; i < r.bins().size(); i++) {
            b.append(i == 0 ? "" : ",").append(r.bins().get(i).nameText());
        }
        return b.toString();
    }

    static String ttlText(long voidTime) {
        if (voidTime == 0) {
            return "never";
        }
        long left = voidTime + AerospikeRestore.CITRUSLEAF_EPOCH - Instant.now().getEpochSecond();
        return left <= 0 ? "expired" : left + "s";
    }

    /** A record as JSON; with {@code values}, the bins' values too (else their names and types). */
    public static ObjectNode json(AsbItem.Record r, boolean values) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("type", "record");
        o.put("name", name(r));
        o.put("namespace", AsbItem.text(r.namespace()));
        if (r.set() == null) {
            o.putNull("set");
        } else {
            o.put("set", r.setText());
        }
        o.put("digest", r.digestHex());
        if (r.key() != null) {
            ObjectNode k = o.putObject("key");
            k.put("type", String.valueOf((char) r.key().type()));
            putValue(k, r.key().type(), r.key().compact(), r.key().value());
        }
        o.put("generation", r.generation());
        o.put("void_time", r.voidTime());
        if (r.voidTime() == 0) {
            o.putNull("expires");
        } else {
            o.put("expires", Instant.ofEpochSecond(r.voidTime() + AerospikeRestore.CITRUSLEAF_EPOCH).toString());
        }
        ObjectNode bins = o.putObject("bins");
        for (AsbItem.Bin b : r.bins()) {
            ObjectNode v = bins.putObject(b.nameText());
            v.put("type", String.valueOf((char) b.type()));
            if (values) {
                putValue(v, b.type(), b.compact(), b.value());
            }
        }
        return o;
    }

    private static void putValue(ObjectNode o, byte type, boolean compact, byte[] v) {
        String text = new String(v, StandardCharsets.ISO_8859_1);
        switch (type) {
            case 'N' -> o.putNull("value");
            case 'Z' -> o.put("value", text.equals("T"));
            case 'I' -> o.put("value", Long.parseLong(text));
            case 'D' -> {
                double d = Double.parseDouble(text.replaceAll("(?i)^([+-]?)inf(inity)?$", "$1Infinity")
                        .replaceAll("(?i)^[+-]?nan$", "NaN"));
                if (Double.isFinite(d)) {
                    o.put("value", d);
                } else {
                    o.put("value", text);
                }
            }
            case 'S', 'G' -> putText(o, v);
            case 'X' -> putText(o, Base64.getDecoder().decode(v));
            default -> {
                o.put("encoding", "base64");
                o.put("value", compact ? Base64.getEncoder().encodeToString(v) : text);
            }
        }
    }

    private static void putText(ObjectNode o, byte[] raw) {
        String t = utf8(raw);
        if (t != null) {
            o.put("value", t);
        } else {
            o.put("encoding", "base64");
            o.put("value", Base64.getEncoder().encodeToString(raw));
        }
    }

    private static String utf8(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
