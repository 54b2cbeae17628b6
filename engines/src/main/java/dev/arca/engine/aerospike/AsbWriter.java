package dev.arca.engine.aerospike;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes items in the grammar {@link AsbParser} reads (format 3.1, the C tool's escaping: a
 * backslash before each backslash, space and LF of a name). An item read by the parser and written
 * back gives the bytes it was read from, unless its names used escapes the C tool does not write.
 */
public final class AsbWriter {
    private final OutputStream out;

    public AsbWriter(OutputStream out) {
        this.out = out;
    }

    public void header(String version) throws IOException {
        ascii("Version " + version + "\n");
    }

    public void write(AsbItem item) throws IOException {
        if (item instanceof AsbItem.Namespace n) {
            ascii("# namespace ");
            escaped(n.name());
            out.write('\n');
        } else if (item instanceof AsbItem.FirstFile) {
            ascii("# first-file\n");
        } else if (item instanceof AsbItem.SecondaryIndex s) {
            ascii("* i ");
            escaped(s.namespace());
            out.write(' ');
            escaped(s.set());
            out.write(' ');
            escaped(s.name());
            out.write(' ');
            out.write(s.indexType());
            ascii(" " + s.paths().size() / 2);
            for (int i = 0; i < s.paths().size(); i += 2) {
                out.write(' ');
                escaped(s.paths().get(i));
                out.write(' ');
                out.write(s.paths().get(i + 1));
            }
            if (s.context() != null) {
                out.write(' ');
                out.write(s.context());
            }
            out.write('\n');
        } else if (item instanceof AsbItem.Udf u) {
            ascii("* u ");
            out.write(u.type());
            out.write(' ');
            escaped(u.name());
            ascii(" " + u.body().length + " ");
            out.write(u.body());
            out.write('\n');
        } else {
            record((AsbItem.Record) item);
        }
    }

    private void record(AsbItem.Record r) throws IOException {
        if (r.key() != null) {
            AsbItem.Key k = r.key();
            ascii("+ k ");
            out.write(k.type());
            if (k.compact()) {
                out.write('!');
            }
            out.write(' ');
            if (k.type() == 'I' || k.type() == 'D') {
                out.write(k.value());
            } else {
                sized(k.value());
            }
            out.write('\n');
        }
        ascii("+ n ");
        escaped(r.namespace());
        ascii("\n+ d ");
        ascii(java.util.Base64.getEncoder().encodeToString(r.digest()));
        out.write('\n');
        if (r.set() != null) {
            ascii("+ s ");
            escaped(r.set());
            out.write('\n');
        }
        ascii("+ g " + r.generation() + "\n+ t " + r.voidTime() + "\n+ b " + r.bins().size() + "\n");
        for (AsbItem.Bin b : r.bins()) {
            ascii("- ");
            out.write(b.type());
            if (b.compact()) {
                out.write('!');
            }
            out.write(' ');
            escaped(b.name());
            switch (b.type()) {
                case 'N' -> {
                }
                case 'Z', 'I', 'D' -> {
                    out.write(' ');
                    out.write(b.value());
                }
                default -> {
                    out.write(' ');
                    sized(b.value());
                }
            }
            out.write('\n');
        }
    }

    private void sized(byte[] v) throws IOException {
        ascii(v.length + " ");
        out.write(v);
    }

    private void escaped(byte[] name) throws IOException {
        for (byte b : name) {
            if (b == '\\' || b == ' ' || b == '\n') {
                out.write('\\');
            }
            out.write(b);
        }
    }

    private void ascii(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.US_ASCII));
    }
}
