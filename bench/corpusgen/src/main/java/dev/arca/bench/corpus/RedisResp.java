package dev.arca.bench.corpus;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A deterministic Redis command stream (RESP) on stdout, for {@code redis-cli --pipe}.
 *
 * <pre>
 *   redis-load   LOGICAL_BYTES SEED     keys 0..N-1 until ~LOGICAL_BYTES of keys and values are sent
 *   redis-mutate N SEED                 ~3% of keys: 1.5% updated in place (type-appropriate), 0.75%
 *                                       deleted, 0.75% × N new keys N..
 * </pre>
 * Every data type, small and large: strings (JSON documents, session tokens, integer counters,
 * 16–512 KiB blobs half text, half binary), hashes (small listpack / large hashtable), lists
 * (small / large quicklist), sets (words / integer intsets), sorted sets (small listpack / large
 * skiplist) and streams (small / large, with explicit entry ids). ~10% of the string and hash keys
 * have an absolute expiry far in the future (PEXPIREAT), so the RDB does not depend on the clock.
 * Key i's type and content depend only on (SEED, i).
 */
final class RedisResp {
    // cumulative shares by key count
    static final double[] SHARE = {0.3325, 0.18, 0.10, 0.004, 0.14, 0.003, 0.08, 0.002, 0.05, 0.03, 0.04, 0.003, 0.035, 0.0005};
    static final String[] PREFIX = {"doc", "sess", "cnt", "blob", "user", "idx", "feed", "log", "tags", "ids", "rank", "board", "ev", "audit"};
    static final int DOC = 0, SESS = 1, CNT = 2, BLOB = 3, HSMALL = 4, HBIG = 5, LSMALL = 6, LBIG = 7,
        SWORDS = 8, SINTS = 9, ZSMALL = 10, ZBIG = 11, XSMALL = 12, XBIG = 13;
    static final long EXPIRE_BASE = 4_102_444_800_000L;   // 2100-01-01 in ms
    static final long STREAM_T0 = 1_700_000_000_000L;

    private final OutputStream out;
    private final long seed;
    long logical;
    long commands;
    private final Content.Buf tmp = new Content.Buf();

    RedisResp(OutputStream out, long seed) {
        this.out = out;
        this.seed = seed;
    }

    static int type(SplittableRandom r) {
        double u = r.nextDouble() * sum();
        double c = 0;
        for (int t = 0; t < SHARE.length; t++) {
            c += SHARE[t];
            if (u < c) {
                return t;
            }
        }
        return DOC;
    }

    private static double sum() {
        double s = 0;
        for (double v : SHARE) {
            s += v;
        }
        return s;
    }

    SplittableRandom createRng(long i) {
        return Content.rng(seed, 201, i);
    }

    int typeOf(long i) {
        return type(createRng(i));
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    byte[] key(int t, long i) {
        return b(PREFIX[t] + ":" + i);
    }

    byte[] docValue(SplittableRandom r, int n) {
        tmp.clear();
        Content.json(r, tmp, n);
        return tmp.bytes();
    }

    byte[] sessValue(SplittableRandom r) {
        tmp.clear();
        tmp.put("v2|");
        Content.token(r, tmp, 32 + r.nextInt(96));
        tmp.put('|').putNum(1_700_000_000L + r.nextInt(50_000_000)).put('|');
        Content.prose(r, tmp, 10 + r.nextInt(120));
        return tmp.bytes();
    }

    byte[] blobValue(SplittableRandom r) {
        int n = Content.logUniform(r, 16 << 10, 512 << 10);
        tmp.clear();
        if (r.nextBoolean()) {
            Content.json(r, tmp, n);
        } else {
            Content.random(r, tmp, n);
        }
        return tmp.bytes();
    }

    byte[] field(SplittableRandom r, int j) {
        return b(Content.wordString(r) + "_" + j);
    }

    byte[] fieldValue(SplittableRandom r) {
        tmp.clear();
        int k = r.nextInt(3);
        if (k == 0) {
            tmp.putNum(r.nextInt(1_000_000));
        } else if (k == 1) {
            Content.prose(r, tmp, 4 + r.nextInt(60));
        } else {
            Content.token(r, tmp, 8 + r.nextInt(40));
        }
        return tmp.bytes();
    }

    byte[] logEntry(SplittableRandom r) {
        tmp.clear();
        Content.logLine(r, tmp);
        tmp.len--;   // no newline
        return tmp.bytes();
    }

    byte[] member(SplittableRandom r) {
        return b(Content.wordString(r) + ":" + r.nextInt(100_000));
    }

    static byte[] num(long v) {
        return b(Long.toString(v));
    }

    static byte[] streamId(long j) {
        return b((STREAM_T0 + j * 1000) + "-0");
    }

    /** Size parameters of key i, drawn first from its create stream so updates can recompute them. */
    record Shape(int type, int n, SplittableRandom r) {
    }

    Shape shape(long i) {
        SplittableRandom r = createRng(i);
        int t = type(r);
        int n = switch (t) {
            case HSMALL -> 5 + r.nextInt(40);
            case HBIG -> 200 + r.nextInt(1800);
            case LSMALL -> 3 + r.nextInt(60);
            case LBIG -> 500 + r.nextInt(2500);
            case SWORDS -> 5 + r.nextInt(100);
            case SINTS -> 10 + r.nextInt(400);
            case ZSMALL -> 10 + r.nextInt(110);
            case ZBIG -> 500 + r.nextInt(4500);
            case XSMALL -> 10 + r.nextInt(400);
            case XBIG -> 1000 + r.nextInt(3000);
            default -> 1;
        };
        return new Shape(t, n, r);
    }

    List<List<byte[]>> create(long i) {
        Shape s = shape(i);
        SplittableRandom r = s.r();
        int t = s.type();
        byte[] k = key(t, i);
        List<List<byte[]>> cmds = new ArrayList<>();
        List<byte[]> c = new ArrayList<>();
        switch (t) {
            case DOC -> cmd(c, "SET", k, docValue(r, Content.logUniform(r, 150, 6000)));
            case SESS -> cmd(c, "SET", k, sessValue(r));
            case CNT -> cmd(c, "SET", k, num(r.nextInt(10_000_000)));
            case BLOB -> cmd(c, "SET", k, blobValue(r));
            case HSMALL, HBIG -> {
                cmd(c, "HSET", k);
                for (int j = 0; j < s.n(); j++) {
                    c.add(field(r, j));
                    c.add(fieldValue(r));
                }
            }
            case LSMALL, LBIG -> {
                cmd(c, "RPUSH", k);
                for (int j = 0; j < s.n(); j++) {
                    c.add(logEntry(r));
                }
            }
            case SWORDS -> {
                cmd(c, "SADD", k);
                for (int j = 0; j < s.n(); j++) {
                    c.add(member(r));
                }
            }
            case SINTS -> {
                cmd(c, "SADD", k);
                for (int j = 0; j < s.n(); j++) {
                    c.add(num(r.nextInt(1 << 30)));
                }
            }
            case ZSMALL, ZBIG -> {
                cmd(c, "ZADD", k);
                for (int j = 0; j < s.n(); j++) {
                    c.add(num(r.nextInt(1_000_000)));
                    c.add(member(r));
                }
            }
            case XSMALL, XBIG -> {
                for (int j = 0; j < s.n(); j++) {
                    cmds.add(xadd(k, j, r));
                }
            }
            default -> throw new IllegalStateException();
        }
        if (!c.isEmpty()) {
            cmds.add(c);
        }
        if ((t == DOC || t == SESS || t == HSMALL) && r.nextInt(10) == 0) {
            cmds.add(list("PEXPIREAT", k, num(EXPIRE_BASE + r.nextInt(1_000_000_000))));
        }
        return cmds;
    }

    List<byte[]> xadd(byte[] k, long j, SplittableRandom r) {
        List<byte[]> c = new ArrayList<>();
        cmd(c, "XADD", k, streamId(j));
        int fields = 2 + r.nextInt(5);
        c.add(b("event"));
        c.add(b(Content.wordString(r)));
        for (int f = 1; f < fields; f++) {
            c.add(b(new String(Content.WORDS[r.nextInt(32)])));
            c.add(fieldValue(r));
        }
        return c;
    }

    /** In-place changes of key i, appropriate to its type. */
    List<List<byte[]>> update(long i) {
        Shape s = shape(i);
        int t = s.type();
        byte[] k = key(t, i);
        SplittableRandom r = Content.rng(seed, 202, i);
        List<List<byte[]>> cmds = new ArrayList<>();
        switch (t) {
            case DOC -> cmds.add(list("SET", k, docValue(r, Content.logUniform(r, 150, 6000)), b("KEEPTTL")));
            case SESS -> cmds.add(list("SET", k, sessValue(r), b("KEEPTTL")));
            case CNT -> cmds.add(list("INCRBY", k, num(1 + r.nextInt(1000))));
            case BLOB -> cmds.add(list("SET", k, blobValue(r)));
            case HSMALL, HBIG -> {
                List<byte[]> c = new ArrayList<>();
                cmd(c, "HSET", k);
                int m = 1 + r.nextInt(Math.max(1, s.n() / 20 + 2));
                SplittableRandom orig = s.r();
                List<byte[]> names = new ArrayList<>();
                for (int j = 0; j < s.n(); j++) {
                    names.add(field(orig, j));
                    fieldValue(orig);
                }
                for (int j = 0; j < m; j++) {
                    c.add(names.get(r.nextInt(names.size())));
                    c.add(fieldValue(r));
                }
                c.add(field(r, s.n() + 1));
                c.add(fieldValue(r));
                cmds.add(c);
                cmds.add(list("HDEL", k, names.get(r.nextInt(names.size()))));
            }
            case LSMALL, LBIG -> {
                List<byte[]> c = new ArrayList<>();
                cmd(c, "RPUSH", k);
                int m = 1 + r.nextInt(5);
                for (int j = 0; j < m; j++) {
                    c.add(logEntry(r));
                }
                cmds.add(c);
                cmds.add(list("LPOP", k, num(1 + r.nextInt(3))));
                cmds.add(list("LSET", k, num(r.nextInt(Math.max(1, s.n() - 3))), logEntry(r)));
            }
            case SWORDS, SINTS -> {
                List<byte[]> c = new ArrayList<>();
                cmd(c, "SADD", k);
                int m = 1 + r.nextInt(5);
                for (int j = 0; j < m; j++) {
                    c.add(t == SINTS ? num(r.nextInt(1 << 30)) : member(r));
                }
                cmds.add(c);
                SplittableRandom orig = s.r();
                int victim = r.nextInt(s.n());
                byte[] v = null;
                for (int j = 0; j <= victim; j++) {
                    v = t == SINTS ? num(orig.nextInt(1 << 30)) : member(orig);
                }
                cmds.add(list("SREM", k, v));
            }
            case ZSMALL, ZBIG -> {
                SplittableRandom orig = s.r();
                List<byte[]> members = new ArrayList<>();
                for (int j = 0; j < s.n(); j++) {
                    orig.nextInt(1_000_000);
                    members.add(member(orig));
                }
                int m = 1 + r.nextInt(6);
                for (int j = 0; j < m; j++) {
                    cmds.add(list("ZINCRBY", k, num(1 + r.nextInt(500)), members.get(r.nextInt(members.size()))));
                }
                cmds.add(list("ZADD", k, num(r.nextInt(1_000_000)), member(r)));
            }
            case XSMALL, XBIG -> {
                int m = 1 + r.nextInt(10);
                for (int j = 0; j < m; j++) {
                    cmds.add(xadd(k, s.n() + j, r));
                }
                cmds.add(list("XDEL", k, streamId(r.nextInt(s.n()))));
            }
            default -> throw new IllegalStateException();
        }
        return cmds;
    }

    static void cmd(List<byte[]> c, String name, byte[]... args) {
        c.add(b(name));
        for (byte[] a : args) {
            c.add(a);
        }
    }

    static List<byte[]> list(String name, byte[]... args) {
        List<byte[]> c = new ArrayList<>();
        cmd(c, name, args);
        return c;
    }

    long write(List<List<byte[]>> cmds) throws IOException {
        long bytes = 0;
        for (List<byte[]> c : cmds) {
            out.write(("*" + c.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (int j = 0; j < c.size(); j++) {
                byte[] a = c.get(j);
                out.write(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(a);
                out.write('\r');
                out.write('\n');
                if (j > 0) {
                    bytes += a.length;
                }
            }
            commands++;
        }
        logical += bytes;
        return bytes;
    }

    static void load(long logicalTarget, long seed) throws IOException {
        OutputStream os = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 20);
        RedisResp g = new RedisResp(os, seed);
        long i = 0;
        long[] perType = new long[SHARE.length];
        while (g.logical < logicalTarget) {
            perType[g.typeOf(i)]++;
            g.write(g.create(i++));
        }
        os.flush();
        Map<String, Long> st = new TreeMap<>();
        st.put("keys", i);
        st.put("logical_bytes", g.logical);
        st.put("commands", g.commands);
        for (int t = 0; t < SHARE.length; t++) {
            st.put("keys_" + PREFIX[t], perType[t]);
        }
        Main.printStats(st);
    }

    static void mutate(long n, long seed) throws IOException {
        OutputStream os = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 20);
        RedisResp g = new RedisResp(os, seed);
        long upd = 0;
        long del = 0;
        long updBytes = 0;
        for (long i = 0; i < n; i++) {
            double u = Content.rng(seed, 203, i).nextDouble();
            if (u < 0.015) {
                updBytes += g.write(g.update(i));
                upd++;
            } else if (u < 0.0225) {
                g.write(List.of(list("DEL", g.key(g.typeOf(i), i))));
                del++;
            }
        }
        long added = Math.max(1, Math.round(n * 0.0075));
        long newBytes = 0;
        for (long i = n; i < n + added; i++) {
            newBytes += g.write(g.create(i));
        }
        os.flush();
        Map<String, Long> st = new TreeMap<>();
        st.put("updated_keys", upd);
        st.put("deleted_keys", del);
        st.put("new_keys", added);
        st.put("update_bytes", updBytes);
        st.put("new_bytes", newBytes);
        Main.printStats(st);
    }
}
