package dev.arca.engine.redis.aof;

import dev.arca.format.tree.Node;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The manifest of a Redis 7 multi-part AOF directory ({@code <appendfilename>.manifest}).
 *
 * <p>Grammar ({@code aof.c aofLoadManifestFromFile}): one line per file,
 * {@code file <name> seq <n> type <b|h|i>\n}, keys case-insensitive, further key/value pairs
 * allowed (kept, not interpreted), values split as {@code sdssplitargs} does (a name needing quotes
 * is written in double quotes with C escapes). Lines starting with {@code #} and blank lines are
 * ignored. The base ({@code b}) comes first, then history ({@code h}) files, then the incr
 * ({@code i}) files with strictly increasing seq. At most one base.
 *
 * <p>Each entry keeps its line as written, so a manifest cut for point-in-time restore is the
 * original with lines left out.
 */
public final class AofManifest {
    /** The type of a file in the manifest. */
    public enum Type {
        BASE('b'), HISTORY('h'), INCR('i');

        final char code;

        Type(char code) {
            this.code = code;
        }

        public char code() {
            return code;
        }

        static Type of(String s) {
            if (s.length() == 1) {
                for (Type t : values()) {
                    if (t.code == s.charAt(0)) {
                        return t;
                    }
                }
            }
            return null;
        }
    }

    /** One file line: the file's name, seq, type, and the line as written (without its newline). */
    public record Entry(String name, long seq, Type type, String line) {
    }

    private final List<Entry> entries;
    /** Every line as written (the text split at newlines), and for each the file it lists or null. */
    private final List<String> lines;
    private final List<String> lineFiles;

    private AofManifest(List<Entry> entries, List<String> lines, List<String> lineFiles) {
        this.entries = List.copyOf(entries);
        this.lines = List.copyOf(lines);
        this.lineFiles = java.util.Collections.unmodifiableList(new ArrayList<>(lineFiles));
    }

    public List<Entry> entries() {
        return entries;
    }

    public Entry base() {
        return entries.stream().filter(e -> e.type() == Type.BASE).findFirst().orElse(null);
    }

    public List<Entry> incrs() {
        return entries.stream().filter(e -> e.type() == Type.INCR).toList();
    }

    /** Parses and validates a manifest; {@code fileName} names it in errors. */
    public static AofManifest parse(byte[] content, String fileName) throws AofFormatException {
        String text = new String(content, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') >= 0) {
            throw new AofFormatException(fileName, "is not a Redis AOF manifest (not text)");
        }
        List<Entry> entries = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        List<String> lineFiles = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int lineNo = 0;
        long lastIncr = Long.MIN_VALUE;
        boolean sawHistoryOrIncr = false;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            lines.add(line);
            lineFiles.add(null);
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String where = "line " + lineNo;
            List<String> args = splitArgs(t, fileName, where);
            if (args.size() < 6 || args.size() % 2 != 0) {
                throw new AofFormatException(fileName, where + ": expected 'file NAME seq N type b|h|i', got '" + t + "'");
            }
            String name = null;
            Long seq = null;
            Type type = null;
            for (int i = 0; i < args.size(); i += 2) {
                String k = args.get(i).toLowerCase(Locale.ROOT);
                String v = args.get(i + 1);
                switch (k) {
                    case "file" -> name = v;
                    case "seq" -> {
                        try {
                            seq = Long.parseLong(v);
                        } catch (NumberFormatException e) {
                            throw new AofFormatException(fileName, where + ": seq '" + v + "' is not a number");
                        }
                    }
                    case "type" -> {
                        type = Type.of(v);
                        if (type == null) {
                            throw new AofFormatException(fileName, where + ": unknown file type '" + v + "' (b, h or i)");
                        }
                    }
                    default -> {
                        // later Redis versions add keys; Redis itself ignores the ones it does not know
                    }
                }
            }
            if (name == null || seq == null || type == null) {
                throw new AofFormatException(fileName, where + ": a file line needs file, seq and type, got '" + t + "'");
            }
            String problem = Node.nameProblem(name);
            if (problem != null || name.contains("/")) {
                throw new AofFormatException(fileName, where + ": file name '" + name + "' is not a plain file name");
            }
            if (!names.add(name)) {
                throw new AofFormatException(fileName, where + ": file '" + name + "' is listed twice");
            }
            switch (type) {
                case BASE -> {
                    if (entries.stream().anyMatch(e -> e.type() == Type.BASE)) {
                        throw new AofFormatException(fileName, where + ": a second base file '" + name + "'");
                    }
                    if (sawHistoryOrIncr) {
                        throw new AofFormatException(fileName, where + ": the base file '" + name
                                + "' must come before the history and incr files");
                    }
                }
                case INCR -> {
                    if (seq <= lastIncr) {
                        throw new AofFormatException(fileName, where + ": incr file '" + name + "' has seq " + seq
                                + ", not above the previous incr file's " + lastIncr);
                    }
                    lastIncr = seq;
                    sawHistoryOrIncr = true;
                }
                case HISTORY -> sawHistoryOrIncr = true;
                default -> throw new IllegalStateException();
            }
            entries.add(new Entry(name, seq, type, line));
            lineFiles.set(lineFiles.size() - 1, name);
        }
        if (entries.isEmpty()) {
            throw new AofFormatException(fileName, "the manifest lists no file");
        }
        return new AofManifest(entries, lines, lineFiles);
    }

    /**
     * The manifest as written, with only the file lines of {@code keep} (by name): comments and
     * the kept lines stay exactly as they were.
     */
    public byte[] keeping(Set<String> keep) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            boolean last = i == lines.size() - 1;
            if (lineFiles.get(i) != null && !keep.contains(lineFiles.get(i))) {
                continue;
            }
            if (last && line.isEmpty()) {
                break;   // the empty string after the final newline
            }
            out.writeBytes(line.getBytes(StandardCharsets.UTF_8));
            if (!last) {
                out.write('\n');
            }
        }
        return out.toByteArray();
    }

    /** {@code sdssplitargs}: whitespace-separated words, double quotes with C escapes, single quotes. */
    static List<String> splitArgs(String s, String fileName, String where) throws AofFormatException {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (true) {
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i == n) {
                return out;
            }
            StringBuilder cur = new StringBuilder();
            ByteArrayOutputStream bytes = null;
            char q = s.charAt(i);
            if (q == '"' || q == '\'') {
                bytes = new ByteArrayOutputStream();
                i++;
                while (true) {
                    if (i == n) {
                        throw new AofFormatException(fileName, where + ": unbalanced quotes");
                    }
                    char c = s.charAt(i);
                    if (q == '"' && c == '\\' && i + 3 < n && s.charAt(i + 1) == 'x'
                            && isHex(s.charAt(i + 2)) && isHex(s.charAt(i + 3))) {
                        bytes.write(Integer.parseInt(s.substring(i + 2, i + 4), 16));
                        i += 4;
                    } else if (c == '\\' && i + 1 < n) {
                        char d = s.charAt(i + 1);
                        char r = q == '\'' ? (d == '\'' ? '\'' : 0) : switch (d) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> (char) 7;
                            default -> d;
                        };
                        if (r == 0) {
                            bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                            i++;
                        } else {
                            bytes.writeBytes(String.valueOf(r).getBytes(StandardCharsets.UTF_8));
                            i += 2;
                        }
                    } else if (c == q) {
                        i++;
                        if (i < n && !Character.isWhitespace(s.charAt(i))) {
                            throw new AofFormatException(fileName, where + ": a closing quote must be followed by a space");
                        }
                        break;
                    } else {
                        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                        i++;
                    }
                }
                out.add(bytes.toString(StandardCharsets.UTF_8));
            } else {
                while (i < n && !Character.isWhitespace(s.charAt(i))) {
                    cur.append(s.charAt(i++));
                }
                out.add(cur.toString());
            }
        }
    }

    private static boolean isHex(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
