package dev.arca.engine.mysql;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Picks tables out of a {@code mariadb-dump} stream by its section comments: the lines from
 * {@code -- Table structure for table `t`} (in the database of the last {@code USE `db`;}) up to
 * the next section comment that is not {@code -- Dumping data for table `t`} — the table's DROP,
 * CREATE, data and triggers. The dump's {@code SET} preamble and footer are kept; its
 * {@code CREATE DATABASE} and {@code USE} lines are replaced by one {@code USE} of the target
 * database, so the tables land there (statements in a dump name tables without their database).
 */
final class TableExtractor {
    private static final Pattern USE = Pattern.compile("^USE `((?:[^`]|``)+)`;");
    private static final Pattern STRUCTURE = Pattern.compile("^-- Table structure for table `((?:[^`]|``)+)`");
    private static final Pattern DATA = Pattern.compile("^-- Dumping data for table `((?:[^`]|``)+)`");
    private static final Pattern FOOTER = Pattern.compile("^/\\*!\\d+ SET .*=@OLD_");

    private final Set<String> wanted;
    private final Set<String> found = new LinkedHashSet<>();

    /** {@code wanted}: {@code db.table} names. */
    TableExtractor(Set<String> wanted) {
        this.wanted = wanted;
    }

    /** The wanted tables seen so far, as {@code db.table}. */
    Set<String> found() {
        return found;
    }

    /** Copies the wanted tables' sections of {@code dump} to {@code out} (null: only note which are there). */
    void extract(InputStream dump, OutputStream out, String into) throws IOException {
        if (out != null) {
            out.write(("CREATE DATABASE IF NOT EXISTS " + quote(into) + ";\nUSE " + quote(into) + ";\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        String db = null;
        String table = null;
        boolean keep = false;
        boolean preamble = true;
        byte[] buf = new byte[65536];
        int pos = 0;
        int end = 0;
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            line.reset();
            boolean eof = false;
            while (true) {
                if (pos == end) {
                    end = dump.read(buf);
                    pos = 0;
                    if (end < 0) {
                        end = 0;
                        eof = true;
                        break;
                    }
                }
                int i = pos;
                while (i < end && buf[i] != '\n') {
                    i++;
                }
                boolean nl = i < end;
                line.write(buf, pos, (nl ? i + 1 : i) - pos);
                pos = nl ? i + 1 : i;
                if (nl) {
                    break;
                }
            }
            if (eof && line.size() == 0) {
                return;
            }
            byte[] raw = line.toByteArray();
            String text = raw.length < 4096 ? new String(raw, StandardCharsets.UTF_8).stripTrailing() : "";
            if (text.startsWith("-- ")) {
                Matcher d = DATA.matcher(text);
                if (!(d.find() && unquote(d.group(1)).equals(table))) {
                    Matcher s = STRUCTURE.matcher(text);
                    if (s.find()) {
                        preamble = false;
                        table = unquote(s.group(1));
                        keep = wanted.contains(db + "." + table);
                        if (keep) {
                            found.add(db + "." + table);
                        }
                    } else {
                        keep = false;
                        table = null;
                        if (text.startsWith("-- Current Database:")) {
                            preamble = false;
                        }
                    }
                }
            } else {
                Matcher u = USE.matcher(text);
                if (u.find()) {
                    db = unquote(u.group(1));
                    keep = false;
                    continue;
                }
            }
            if (out != null && (keep || (preamble && text.startsWith("/*")) || FOOTER.matcher(text).find())) {
                if (!(keep && text.startsWith("CREATE DATABASE"))) {
                    out.write(raw);
                }
            }
            if (eof) {
                return;
            }
        }
    }

    static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    private static String unquote(String name) {
        return name.replace("``", "`");
    }
}
