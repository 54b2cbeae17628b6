package dev.arca.engine.aerospike;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;

/** Random valid {@code .asb} content for tests: every bin type, raw bytes with LF and NUL, escapes. */
final class AsbGen {
    static final String BYTE_TYPES = "BJCPRHEYML";

    private AsbGen() {
    }

    static byte[] bytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(10);
            b[i] = k == 0 ? 0 : k == 1 ? (byte) '\n' : k == 2 ? (byte) ' ' : (byte) r.nextInt(256);
        }
        return b;
    }

    static byte[] name(SplittableRandom r, int max) {
        String alphabet = "abcxyz_09 \\\nAé";
        StringBuilder b = new StringBuilder();
        int n = 1 + r.nextInt(max);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        byte[] out = b.toString().getBytes(StandardCharsets.UTF_8);
        return out.length > max ? java.util.Arrays.copyOf(out, max) : out;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] b64(byte[] raw) {
        return Base64.getEncoder().encode(raw);
    }

    static String doubleText(SplittableRandom r) {
        return switch (r.nextInt(8)) {
            case 0 -> "nan";
            case 1 -> "-inf";
            case 2 -> "0";
            default -> String.valueOf(r.nextDouble() * Math.pow(10, r.nextInt(40) - 20) * (r.nextBoolean() ? 1 : -1));
        };
    }

    static AsbItem.Bin bin(SplittableRandom r, byte[] name, int maxSize) {
        String types = "NZIDSXG" + BYTE_TYPES;
        char t = types.charAt(r.nextInt(types.length()));
        int n = r.nextInt(maxSize + 1);
        return switch (t) {
            case 'N' -> new AsbItem.Bin((byte) t, false, name, new byte[0]);
            case 'Z' -> new AsbItem.Bin((byte) t, false, name, ascii(r.nextBoolean() ? "T" : "F"));
            case 'I' -> new AsbItem.Bin((byte) t, false, name, ascii(Long.toString(r.nextLong())));
            case 'D' -> new AsbItem.Bin((byte) t, false, name, ascii(doubleText(r)));
            case 'S', 'G' -> new AsbItem.Bin((byte) t, false, name, bytes(r, n));
            case 'X' -> new AsbItem.Bin((byte) t, false, name, b64(bytes(r, n)));
            default -> {
                boolean compact = r.nextBoolean();
                byte[] raw = bytes(r, n);
                yield new AsbItem.Bin((byte) t, compact, name, compact ? raw : b64(raw));
            }
        };
    }

    static AsbItem.Key key(SplittableRandom r) {
        return switch (r.nextInt(7)) {
            case 0 -> null;
            case 1 -> new AsbItem.Key((byte) 'I', false, ascii(Long.toString(r.nextLong())));
            case 2 -> new AsbItem.Key((byte) 'D', false, ascii(doubleText(r)));
            case 3 -> new AsbItem.Key((byte) 'S', false, bytes(r, r.nextInt(30)));
            case 4 -> new AsbItem.Key((byte) 'X', false, b64(bytes(r, r.nextInt(30))));
            case 5 -> new AsbItem.Key((byte) 'B', true, bytes(r, r.nextInt(30)));
            default -> new AsbItem.Key((byte) 'B', false, b64(bytes(r, r.nextInt(30))));
        };
    }

    static byte[] digest(SplittableRandom r) {
        byte[] d = new byte[20];
        for (int i = 0; i < 20; i++) {
            d[i] = (byte) r.nextInt(256);
        }
        return d;
    }

    static AsbItem.Record record(SplittableRandom r, byte[] ns, byte[][] sets, int maxBins, int maxSize) {
        List<AsbItem.Bin> bins = new ArrayList<>();
        int n = 1 + r.nextInt(maxBins);
        for (int i = 0; i < n; i++) {
            bins.add(bin(r, name(r, 14), maxSize));
        }
        return new AsbItem.Record(key(r), ns, digest(r), sets[r.nextInt(sets.length)], 1 + r.nextInt(65535),
                r.nextBoolean() ? 0 : r.nextLong(1L << 32), bins);
    }

    static List<AsbItem> globals(SplittableRandom r, byte[] ns) {
        List<AsbItem> g = new ArrayList<>();
        g.add(new AsbItem.SecondaryIndex(ns, new byte[0], name(r, 20), (byte) 'N',
                List.of(name(r, 10), new byte[] {'N'}), null));
        g.add(new AsbItem.SecondaryIndex(ns, name(r, 10), name(r, 20), (byte) 'L',
                List.of(name(r, 10), new byte[] {'S'}), b64(bytes(r, 9))));
        g.add(new AsbItem.Udf((byte) 'L', name(r, 20), bytes(r, 200)));
        return g;
    }

    /** A whole file: header, namespace, [first-file and globals], records. */
    static byte[] file(byte[] ns, boolean first, List<AsbItem> globals, List<AsbItem.Record> records)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, ns, first, globals, records);
        return out.toByteArray();
    }

    static void write(OutputStream out, byte[] ns, boolean first, List<AsbItem> globals,
            List<AsbItem.Record> records) throws IOException {
        AsbWriter w = new AsbWriter(out);
        w.header("3.1");
        w.write(new AsbItem.Namespace(ns));
        if (first) {
            w.write(new AsbItem.FirstFile());
            for (AsbItem g : globals) {
                w.write(g);
            }
        }
        for (AsbItem.Record rec : records) {
            w.write(rec);
        }
    }
}
