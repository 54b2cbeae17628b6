package dev.arca.bench.corpus;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.bouncycastle.crypto.digests.RIPEMD160Digest;

/**
 * The "aerospike" corpus: an {@code asbackup} directory backup in the text format "Version 3.1"
 * (see shared/reference/engine-formats.md §2), then the backup of the same namespace later.
 *
 * <pre>
 *   v1: namespace "bench", records until ~TARGET bytes of text, in partition order (partition id =
 *       12 bits of the RIPEMD-160 digest, then digest), split into {@code bench_NNNNN.asb} files of
 *       at most FILE_LIMIT bytes (asbackup's default is 250 MiB) like asbackup's directory mode;
 *       every file has the Version and namespace header, the first one also "# first-file", two
 *       secondary indexes and a Lua UDF.
 *   v2: 1.5% of the records updated (generation + 1, 1–3 bins given new values, sometimes one bin
 *       added), 0.75% deleted, 0.75% new: the same layout, so file boundaries shift.
 * </pre>
 * Sets: users (string keys stored; S, I, D, Z, M, L, G bins), events (integer keys, half stored; S,
 * I, D, L bins), profiles (string keys; B bytes 1–16 KiB, S, I, M), and no set (integer keys, not
 * stored). Digests are Aerospike's: RIPEMD-160(set || key particle type || key bytes). Doubles are
 * written like C's "%.17g", bytes and CDTs (MessagePack) in base64, strings raw.
 */
final class AsbBackup {
    static final String NS = "bench";
    static final String[] SETS = {"users", "events", "profiles", ""};
    static final double[] SET_SHARE = {0.40, 0.75, 0.85, 1.0};   // cumulative

    private final long seed;
    private final long target;
    private final long fileLimit;

    AsbBackup(long seed, long target, long fileLimit) {
        this.seed = seed;
        this.target = target;
        this.fileLimit = fileLimit;
    }

    record Bin(String name, char type, byte[] payload) {
    }

    // ---- formatting helpers --------------------------------------------------------------------

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || c == ' ' || c == '\n') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    /** C's printf("%.17g", v). */
    static String g17(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return (1 / v < 0) ? "-0" : "0";
        }
        BigDecimal bd = new BigDecimal(v).round(new MathContext(17, RoundingMode.HALF_EVEN));
        int exp = bd.precision() - bd.scale() - 1;
        if (exp >= -4 && exp < 17) {
            String s = bd.setScale(Math.max(0, 16 - exp), RoundingMode.HALF_EVEN).toPlainString();
            return stripZeros(s);
        }
        String digits = bd.unscaledValue().abs().toString();
        digits = (digits + "00000000000000000").substring(0, 17);
        String mant = stripZeros(digits.charAt(0) + "." + digits.substring(1));
        String e = String.format("%02d", Math.abs(exp));
        return (v < 0 ? "-" : "") + mant + "e" + (exp < 0 ? "-" : "+") + e;
    }

    private static String stripZeros(String s) {
        if (s.indexOf('.') < 0) {
            return s;
        }
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        return s.substring(0, end);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] lenPrefixed(byte[] raw) {
        byte[] len = ascii(raw.length + " ");
        byte[] out = Arrays.copyOf(len, len.length + raw.length);
        System.arraycopy(raw, 0, out, len.length, raw.length);
        return out;
    }

    static byte[] b64(byte[] raw) {
        return lenPrefixed(Base64.getEncoder().encode(raw));
    }

    /** Minimal MessagePack, with Aerospike's particle-type byte (3 = string) in front of strings. */
    static final class MsgPack {
        final Content.Buf b = new Content.Buf(256);

        MsgPack array(int n) {
            if (n < 16) {
                b.put((byte) (0x90 | n));
            } else {
                b.put((byte) 0xdc).put((byte) (n >>> 8)).put((byte) n);
            }
            return this;
        }

        MsgPack map(int n) {
            if (n < 16) {
                b.put((byte) (0x80 | n));
            } else {
                b.put((byte) 0xde).put((byte) (n >>> 8)).put((byte) n);
            }
            return this;
        }

        MsgPack str(String s) {
            byte[] u = s.getBytes(StandardCharsets.UTF_8);
            int n = u.length + 1;
            if (n < 32) {
                b.put((byte) (0xa0 | n));
            } else if (n < 256) {
                b.put((byte) 0xd9).put((byte) n);
            } else {
                b.put((byte) 0xda).put((byte) (n >>> 8)).put((byte) n);
            }
            b.put((byte) 3).put(u);
            return this;
        }

        MsgPack integer(long v) {
            if (v >= 0 && v < 128) {
                b.put((byte) v);
            } else if (v < 0 && v >= -32) {
                b.put((byte) v);
            } else if (v >= 0 && v < 65536) {
                b.put((byte) 0xcd).put((byte) (v >>> 8)).put((byte) v);
            } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                b.put((byte) 0xd2);
                for (int k = 3; k >= 0; k--) {
                    b.put((byte) (v >>> (8 * k)));
                }
            } else {
                b.put((byte) 0xd3);
                for (int k = 7; k >= 0; k--) {
                    b.put((byte) (v >>> (8 * k)));
                }
            }
            return this;
        }

        byte[] bytes() {
            return b.bytes();
        }
    }

    // ---- records ------------------------------------------------------------------------------

    static byte[] digest(String set, Object key) {
        RIPEMD160Digest d = new RIPEMD160Digest();
        byte[] s = ascii(set);
        d.update(s, 0, s.length);
        byte[] k;
        if (key instanceof Long l) {
            d.update((byte) 1);
            k = ByteBuffer.allocate(8).putLong(l).array();
        } else {
            d.update((byte) 3);
            k = ascii((String) key);
        }
        d.update(k, 0, k.length);
        byte[] out = new byte[20];
        d.doFinal(out, 0);
        return out;
    }

    int setOf(long i) {
        double u = Content.rng(seed, 401, i).nextDouble();
        for (int s = 0; s < SETS.length; s++) {
            if (u < SET_SHARE[s]) {
                return s;
            }
        }
        return SETS.length - 1;
    }

    static Object keyOf(int set, long i) {
        return switch (set) {
            case 0 -> "user-" + i;
            case 2 -> "p-" + Long.toString(Content.mix(i) & 0xffffffffffL, 36);
            default -> i;
        };
    }

    Bin bin(int set, int which, SplittableRandom r) {
        Content.Buf t = new Content.Buf(2048);
        switch (set) {
            case 0 -> {
                return switch (which) {
                    case 0 -> new Bin("name", 'S', lenPrefixed(ascii(cap(Content.wordString(r)) + " " + cap(Content.wordString(r)))));
                    case 1 -> new Bin("email", 'S', lenPrefixed(ascii(Content.wordString(r) + "." + Content.wordString(r) + r.nextInt(100) + "@example.org")));
                    case 2 -> new Bin("age", 'I', ascii(Integer.toString(16 + r.nextInt(70))));
                    case 3 -> new Bin("score", 'D', ascii(g17(r.nextInt(10_000_000) / 1000.0)));
                    case 4 -> new Bin("active", 'Z', ascii(r.nextInt(5) == 0 ? "F" : "T"));
                    case 5 -> {
                        MsgPack m = new MsgPack();
                        int n = 3 + r.nextInt(8);
                        m.map(n);
                        for (int j = 0; j < n; j++) {
                            m.str(new String(Content.WORDS[j * 7 + r.nextInt(7)]));
                            if (r.nextBoolean()) {
                                m.integer(r.nextInt(200_000) - 1000);
                            } else {
                                m.str(Content.wordString(r));
                            }
                        }
                        yield new Bin("prefs", 'M', b64(m.bytes()));
                    }
                    case 6 -> {
                        Content.prose(r, t, Content.logUniform(r, 60, 1500));
                        yield new Bin("bio", 'S', lenPrefixed(t.bytes()));
                    }
                    case 7 -> {
                        MsgPack m = new MsgPack();
                        int n = 2 + r.nextInt(9);
                        m.array(n);
                        for (int j = 0; j < n; j++) {
                            m.str(Content.wordString(r));
                        }
                        yield new Bin("tags", 'L', b64(m.bytes()));
                    }
                    default -> {
                        String geo = String.format(Locale.ROOT, "{\"type\":\"Point\",\"coordinates\":[%.6f,%.6f]}",
                            r.nextInt(360_000_000) / 1e6 - 180, r.nextInt(180_000_000) / 1e6 - 90);
                        yield new Bin("loc", 'G', lenPrefixed(ascii(geo)));
                    }
                };
            }
            case 1 -> {
                return switch (which) {
                    case 0 -> new Bin("ts", 'I', ascii(Long.toString(1_700_000_000_000L + r.nextLong(50_000_000_000L))));
                    case 1 -> new Bin("kind", 'S', lenPrefixed(Content.WORDS[r.nextInt(40)]));
                    case 2 -> {
                        Content.json(r, t, 200 + r.nextInt(600));
                        yield new Bin("payload", 'S', lenPrefixed(t.bytes()));
                    }
                    case 3 -> new Bin("value", 'D', ascii(g17((r.nextInt(2_000_000) - 1_000_000) / 7.0)));
                    default -> {
                        MsgPack m = new MsgPack();
                        int n = 5 + r.nextInt(46);
                        m.array(n);
                        for (int j = 0; j < n; j++) {
                            m.integer(r.nextInt(3) == 0 ? r.nextLong() >> r.nextInt(60) : r.nextInt(1000));
                        }
                        yield new Bin("samples", 'L', b64(m.bytes()));
                    }
                };
            }
            case 2 -> {
                return switch (which) {
                    case 0 -> {
                        Content.random(r, t, Content.logUniform(r, 1024, 16384));
                        yield new Bin("avatar", 'B', b64(t.bytes()));
                    }
                    case 1 -> new Bin("name", 'S', lenPrefixed(ascii(cap(Content.wordString(r)))));
                    case 2 -> new Bin("ver", 'I', ascii(Integer.toString(r.nextInt(50))));
                    default -> {
                        MsgPack m = new MsgPack();
                        m.map(4).str("w").integer(64 + r.nextInt(960)).str("h").integer(64 + r.nextInt(960))
                            .str("fmt").str(r.nextBoolean() ? "png" : "jpeg").str("by").str(Content.wordString(r));
                        yield new Bin("attrs", 'M', b64(m.bytes()));
                    }
                };
            }
            default -> {
                if (which == 0) {
                    if (r.nextBoolean()) {
                        Content.prose(r, t, 100 + r.nextInt(500));
                    } else {
                        Content.token(r, t, 100 + r.nextInt(500));
                    }
                    return new Bin("v", 'S', lenPrefixed(t.bytes()));
                }
                return new Bin("n", 'I', ascii(Long.toString(r.nextLong(1L << 40))));
            }
        }
    }

    static String cap(String w) {
        return Character.toUpperCase(w.charAt(0)) + w.substring(1);
    }

    static int binCount(int set, SplittableRandom r) {
        return switch (set) {
            case 0 -> r.nextInt(5) == 0 ? 9 : 8;   // loc only on some users
            case 1 -> 5;
            case 2 -> 4;
            default -> 2;
        };
    }

    /** Renders record i into b; {@code updated} applies the v2 change. */
    void render(long i, boolean updated, Content.Buf b) {
        int set = setOf(i);
        Object key = keyOf(set, i);
        SplittableRandom r = Content.rng(seed, 402, i);
        int gen = 1 + r.nextInt(20);
        long ttl = r.nextInt(10) < 4 ? 0 : 400_000_000L + r.nextInt(200_000_000);
        boolean storeKey = set == 0 || set == 2 || (set == 1 && r.nextBoolean());
        List<Bin> bins = new ArrayList<>();
        int n = binCount(set, r);
        for (int w = 0; w < n; w++) {
            bins.add(bin(set, w, r));
        }
        if (updated) {
            SplittableRandom u = Content.rng(seed, 403, i);
            gen++;
            int changes = 1 + u.nextInt(3);
            for (int c = 0; c < changes; c++) {
                int w = u.nextInt(n);
                bins.set(w, bin(set, w, u));
            }
            if (set == 0 && n == 8 && u.nextInt(4) == 0) {
                bins.add(bin(set, 8, u));
            }
            if (ttl != 0) {
                ttl += 86_400L * (1 + u.nextInt(30));
            }
        }
        if (storeKey) {
            if (key instanceof Long l) {
                b.put("+ k I ").putNum(l).put('\n');
            } else {
                byte[] k = ascii((String) key);
                b.put("+ k S ").putNum(k.length).put(' ').put(k).put('\n');
            }
        }
        b.put("+ n ").put(escape(NS)).put('\n');
        b.put("+ d ").put(Base64.getEncoder().encode(digest(SETS[set], key))).put('\n');
        if (!SETS[set].isEmpty()) {
            b.put("+ s ").put(escape(SETS[set])).put('\n');
        }
        b.put("+ g ").putNum(gen).put('\n');
        b.put("+ t ").putNum(ttl).put('\n');
        b.put("+ b ").putNum(bins.size()).put('\n');
        for (Bin bin : bins) {
            b.put("- ").put(bin.type()).put(' ').put(escape(bin.name())).put(' ').put(bin.payload()).put('\n');
        }
    }

    static byte[] header(boolean first) {
        StringBuilder h = new StringBuilder("Version 3.1\n# namespace ").append(escape(NS)).append('\n');
        if (first) {
            h.append("# first-file\n");
            h.append("* i bench users age-idx N 1 age N\n");
            h.append("* i bench events kind-idx N 1 kind S\n");
            String udf = "-- bench UDF\nfunction touch(rec)\n  return aerospike:update(rec)\nend\n";
            h.append("* u L bench.lua ").append(udf.length()).append(' ').append(udf).append('\n');
        }
        return ascii(h.toString());
    }

    static long sortKey(byte[] d) {
        long pid = (d[0] & 0xff) | ((d[1] & 0x0f) << 8);
        long rest = 0;
        for (int k = 2; k < 9; k++) {
            rest = (rest << 8) | (d[k] & 0xff);
        }
        return (pid << 52) | (rest >>> 4);
    }

    /** Writes the records in partition order into dir; returns {files, bytes}. */
    long[] write(Path dir, long[] ids, boolean[] updated) throws IOException {
        Files.createDirectories(dir);
        long[] keys = new long[ids.length];
        Integer[] order = new Integer[ids.length];
        for (int j = 0; j < ids.length; j++) {
            int set = setOf(ids[j]);
            keys[j] = sortKey(digest(SETS[set], keyOf(set, ids[j])));
            order[j] = j;
        }
        Arrays.sort(order, (a, c) -> keys[a] != keys[c] ? Long.compareUnsigned(keys[a], keys[c]) : Long.compare(ids[a], ids[c]));
        Content.Buf b = new Content.Buf(1 << 16);
        long files = 0;
        long total = 0;
        long inFile = 0;
        OutputStream out = null;
        try {
            for (Integer j : order) {
                if (out == null || inFile >= fileLimit) {
                    if (out != null) {
                        out.close();
                    }
                    out = new BufferedOutputStream(Files.newOutputStream(dir.resolve(String.format("%s_%05d.asb", NS, files))), 1 << 20);
                    byte[] h = header(files == 0);
                    out.write(h);
                    inFile = h.length;
                    total += h.length;
                    files++;
                }
                b.clear();
                render(ids[j], updated != null && updated[j], b);
                out.write(b.a, 0, b.len);
                inFile += b.len;
                total += b.len;
            }
        } finally {
            if (out != null) {
                out.close();
            }
        }
        return new long[] {files, total};
    }

    void generate(Path v1, Path v2) throws IOException {
        Content.Buf b = new Content.Buf(1 << 16);
        long n = 0;
        long bytes = 0;
        while (bytes < target) {
            b.clear();
            render(n++, false, b);
            bytes += b.len;
        }
        long[] ids1 = new long[(int) n];
        for (int j = 0; j < n; j++) {
            ids1[j] = j;
        }
        Map<String, Long> st = new TreeMap<>();
        long[] w1 = write(v1, ids1, null);
        st.put("v1_records", n);
        st.put("v1_files", w1[0]);
        st.put("v1_bytes", w1[1]);

        List<Long> ids2 = new ArrayList<>();
        List<Boolean> upd = new ArrayList<>();
        long updated = 0;
        long deleted = 0;
        for (long i = 0; i < n; i++) {
            double u = Content.rng(seed, 404, i).nextDouble();
            if (u < 0.0075) {
                deleted++;
                continue;
            }
            boolean up = u < 0.0225;
            updated += up ? 1 : 0;
            ids2.add(i);
            upd.add(up);
        }
        long added = Math.max(1, Math.round(n * 0.0075));
        for (long i = n; i < n + added; i++) {
            ids2.add(i);
            upd.add(false);
        }
        long[] a = ids2.stream().mapToLong(Long::longValue).toArray();
        boolean[] u = new boolean[a.length];
        for (int j = 0; j < u.length; j++) {
            u[j] = upd.get(j);
        }
        long[] w2 = write(v2, a, u);
        st.put("v2_records", (long) a.length);
        st.put("v2_updated", updated);
        st.put("v2_deleted", deleted);
        st.put("v2_added", added);
        st.put("v2_files", w2[0]);
        st.put("v2_bytes", w2[1]);
        Main.printStats(st);
    }
}
