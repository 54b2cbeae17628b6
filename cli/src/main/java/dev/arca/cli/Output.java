package dev.arca.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.format.id.FileId;
import dev.arca.format.snapshot.Snapshot;
import dev.arca.format.tree.Node;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Rendering helpers shared by commands: sizes, times, JSON. */
public final class Output {
    public static final ObjectMapper JSON = JsonMapper.builder().disable(SerializationFeature.INDENT_OUTPUT).build();
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private Output() {
    }

    public static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** 1.5 KiB, 3.2 GiB: binary units, one decimal. */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format("%.1f %s", v, units[u]);
    }

    public static String localTime(Instant t) {
        return LOCAL.format(t);
    }

    /** The JSON object of a snapshot in {@code snapshots --json} and {@code backup --json}. */
    public static ObjectNode snapshotJson(FileId id, Snapshot s) {
        ObjectNode o = (ObjectNode) JSON.valueToTree(s);
        ObjectNode out = object();
        out.put("id", id.hex());
        out.put("short_id", id.shortHex());
        out.setAll(o);
        if (!out.has("engine")) {
            out.put("engine", "files");
        }
        return out;
    }

    /** {@code drwxr-xr-x}-style mode string. */
    public static String mode(Node n) {
        char type = switch (n.kind()) {
            case DIR -> 'd';
            case SYMLINK -> 'l';
            case FIFO -> 'p';
            case CHAR_DEVICE -> 'c';
            case BLOCK_DEVICE -> 'b';
            case SOCKET -> 's';
            default -> '-';
        };
        StringBuilder b = new StringBuilder().append(type);
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            b.append((n.mode() & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
        }
        return b.toString();
    }

    /** A tree node as JSON, for {@code ls}, {@code find} and {@code diff}. */
    public static ObjectNode nodeJson(String path, Node n) {
        ObjectNode o = object();
        o.put("path", path);
        o.put("name", n.name());
        o.put("type", switch (n.kind()) {
            case FILE -> "file";
            case DIR -> "dir";
            case SYMLINK -> "symlink";
            default -> n.kind().name().toLowerCase();
        });
        o.put("size", n.size());
        o.put("mode", n.mode());
        o.put("permissions", mode(n));
        o.put("uid", n.uid());
        o.put("gid", n.gid());
        o.put("user", n.user());
        o.put("group", n.group());
        o.put("mtime", n.mtime().toString());
        if (n.linkTarget() != null) {
            o.put("link_target", n.linkTarget());
        }
        return o;
    }
}
