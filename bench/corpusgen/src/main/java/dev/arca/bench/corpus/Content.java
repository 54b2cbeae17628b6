package dev.arca.bench.corpus;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Deterministic synthetic content. Everything is a pure function of the {@link SplittableRandom}
 * handed in, and every random stream is derived from (seed, stream, index) with {@link #rng}, so a
 * corpus is the same bytes for the same seed whatever order it is generated in.
 *
 * <p>Kinds, roughly by how zstd-3 compresses them: prose, JSON, logs, CSV and source text (3–5×),
 * structured binary records (2–3×), random bytes (1×, like media or already-compressed files).
 */
final class Content {
    private Content() {
    }

    /** SplitMix64 finalizer: a good 64-bit mixer. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** The random stream for item {@code index} of stream {@code stream} under {@code seed}. */
    static SplittableRandom rng(long seed, long stream, long index) {
        return new SplittableRandom(mix(mix(seed * 0x9E3779B97F4A7C15L + stream) ^ mix(index + 0x632BE59BD9B4E019L)));
    }

    static int logUniform(SplittableRandom r, long lo, long hi) {
        return (int) Math.round(Math.exp(Math.log(lo) + r.nextDouble() * (Math.log(hi) - Math.log(lo))));
    }

    // ---- vocabulary -------------------------------------------------------------------------

    static final byte[][] WORDS = new byte[8192][];
    static final String[] IDENT = new String[2048];
    private static final byte[] B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes();
    private static final byte[] HEX = "0123456789abcdef".getBytes();
    private static final String[] KEYWORDS = {"if", "for", "return", "final", "static", "int", "long", "var",
        "while", "else", "new", "null", "this", "import", "class", "public", "private", "void", "try", "catch"};

    static {
        SplittableRandom r = new SplittableRandom(0x5eed);
        byte[] vowels = "aeiouy".getBytes();
        byte[] cons = "bcdfghjklmnprstvwz".getBytes();
        for (int i = 0; i < WORDS.length; i++) {
            int len = 1 + Math.min(11, (int) Math.abs(r.nextGaussian() * 3 + 4));
            byte[] w = new byte[len];
            for (int j = 0; j < len; j++) {
                w[j] = (j % 2 == 0) ? cons[r.nextInt(cons.length)] : vowels[r.nextInt(vowels.length)];
            }
            WORDS[i] = w;
        }
        for (int i = 0; i < IDENT.length; i++) {
            String a = new String(WORDS[r.nextInt(600)]);
            String b = new String(WORDS[r.nextInt(2000)]);
            IDENT[i] = a + Character.toUpperCase(b.charAt(0)) + b.substring(1);
        }
    }

    /** A word with a Zipf-like distribution: the first words are far more frequent. */
    static byte[] word(SplittableRandom r) {
        double u = r.nextDouble();
        return WORDS[(int) (WORDS.length * u * u * u)];
    }

    static String wordString(SplittableRandom r) {
        return new String(word(r));
    }

    // ---- text kinds ---------------------------------------------------------------------------

    static void prose(SplittableRandom r, Buf b, int n) {
        int end = b.len + n;
        boolean cap = true;
        while (b.len < end) {
            byte[] w = word(r);
            b.ensure(w.length + 2);
            int at = b.len;
            b.put(w);
            if (cap) {
                b.a[at] = (byte) Character.toUpperCase(b.a[at]);
                cap = false;
            }
            int p = r.nextInt(14);
            if (p == 0) {
                b.put((byte) '.');
                cap = true;
            } else if (p == 1) {
                b.put((byte) ',');
            }
            b.put((byte) (r.nextInt(90) == 0 ? '\n' : ' '));
        }
        b.len = end;
    }

    static void token(SplittableRandom r, Buf b, int n) {
        b.ensure(n);
        for (int i = 0; i < n; i++) {
            b.a[b.len++] = B64[r.nextInt(64)];
        }
    }

    static void hex(SplittableRandom r, Buf b, int n) {
        b.ensure(n);
        for (int i = 0; i < n; i++) {
            b.a[b.len++] = HEX[r.nextInt(16)];
        }
    }

    /** One JSON object of about n bytes (never less than ~60). */
    static void json(SplittableRandom r, Buf b, int n) {
        int end = b.len + n;
        b.put("{\"id\":").putNum(r.nextLong(1L << 40)).put(",\"created\":").putNum(1_600_000_000L + r.nextInt(150_000_000));
        b.put(",\"etag\":\"");
        hex(r, b, 16);
        b.put("\",\"owner\":\"").put(word(r)).put('.').put(word(r)).put('"');
        while (b.len < end - 2) {
            int k = r.nextInt(10);
            b.put(",\"").put(WORDS[r.nextInt(64)]).put("\":");
            if (k < 4) {
                b.put('"');
                prose(r, b, 6 + r.nextInt(80));
                b.put('"');
            } else if (k < 7) {
                b.putNum(r.nextInt(k == 4 ? 100 : 1_000_000));
            } else if (k < 8) {
                b.put('"');
                token(r, b, 8 + r.nextInt(24));
                b.put('"');
            } else if (k < 9) {
                b.put("[").putNum(r.nextInt(1000)).put(',').putNum(r.nextInt(1000)).put(',').putNum(r.nextInt(1000)).put(']');
            } else {
                b.put(r.nextBoolean() ? "true" : "null");
            }
        }
        b.put('}');
    }

    static void logLine(SplittableRandom r, Buf b) {
        b.put("2024-").pad2(1 + r.nextInt(12)).put('-').pad2(1 + r.nextInt(28)).put('T').pad2(r.nextInt(24)).put(':')
            .pad2(r.nextInt(60)).put(':').pad2(r.nextInt(60)).put('.').putNum(100 + r.nextInt(900)).put("Z ");
        int lvl = r.nextInt(20);
        b.put(lvl == 0 ? "ERROR " : lvl < 4 ? "WARN  " : lvl < 8 ? "DEBUG " : "INFO  ");
        b.put('[').put(IDENT[r.nextInt(64)]).put("] ");
        prose(r, b, 20 + r.nextInt(110));
        b.put(" req=");
        hex(r, b, 12);
        b.put(" ms=").putNum(r.nextInt(5000)).put('\n');
    }

    static void log(SplittableRandom r, Buf b, int n) {
        int end = b.len + n;
        while (b.len < end) {
            logLine(r, b);
        }
        b.len = end;
    }

    static void csv(SplittableRandom r, Buf b, int n) {
        int end = b.len + n;
        b.put("id,date,customer,amount,currency,status,comment\n");
        long id = r.nextInt(1_000_000);
        while (b.len < end) {
            b.putNum(id++).put(",2023-").pad2(1 + r.nextInt(12)).put('-').pad2(1 + r.nextInt(28)).put(',')
                .put(word(r)).put(' ').put(word(r)).put(',').putNum(r.nextInt(100_000)).put('.').pad2(r.nextInt(100))
                .put(r.nextInt(4) == 0 ? ",USD," : ",EUR,").put(r.nextInt(9) == 0 ? "refunded," : "paid,");
            prose(r, b, r.nextInt(40));
            b.put('\n');
        }
        b.len = end;
    }

    static void source(SplittableRandom r, Buf b, int n) {
        int end = b.len + n;
        int depth = 0;
        b.put("// ").put(IDENT[r.nextInt(IDENT.length)]).put(": generated\n");
        while (b.len < end) {
            for (int i = 0; i < depth; i++) {
                b.put("    ");
            }
            int k = r.nextInt(10);
            if (k < 2 && depth < 5) {
                b.put(KEYWORDS[r.nextInt(KEYWORDS.length)]).put(" (").put(IDENT[r.nextInt(IDENT.length)]).put(" < ")
                    .putNum(r.nextInt(100)).put(") {\n");
                depth++;
            } else if (k < 4 && depth > 0) {
                b.put("}\n");
                depth--;
            } else if (k < 5) {
                b.put("// ");
                prose(r, b, 10 + r.nextInt(60));
                b.put('\n');
            } else {
                b.put(KEYWORDS[r.nextInt(KEYWORDS.length)]).put(' ').put(IDENT[r.nextInt(IDENT.length)]).put(" = ")
                    .put(IDENT[r.nextInt(IDENT.length)]).put('(').put(IDENT[r.nextInt(IDENT.length)]).put(", ")
                    .putNum(r.nextInt(1000)).put(");\n");
            }
        }
        b.len = end;
    }

    // ---- binary kinds -------------------------------------------------------------------------

    /** Incompressible bytes (media, archives, encrypted data). */
    static void random(SplittableRandom r, Buf b, int n) {
        b.ensure(n + 8);
        int i = b.len;
        int end = b.len + n;
        while (i < end) {
            long v = r.nextLong();
            for (int k = 0; k < 8; k++) {
                b.a[i + k] = (byte) (v >>> (8 * k));
            }
            i += 8;
        }
        b.len = end;
    }

    /** Structured binary: 4 KiB pages of fixed-layout records with counters, small ints, floats,
     *  short strings and some random ids; a share of pages is zero-filled (sparse/free pages). */
    static void records(SplittableRandom r, Buf b, int n) {
        int end = b.len + n;
        long seq = r.nextInt(1 << 20);
        b.ensure(n + 4096);
        while (b.len < end) {
            int page = b.len;
            if (r.nextInt(8) == 0) {
                Arrays.fill(b.a, page, page + 4096, (byte) 0);
                b.len = page + 4096;
                continue;
            }
            b.putIntLE(0x50474152).putIntLE((int) seq++).putIntLE(r.nextInt(64));
            while (b.len < page + 4096 - 64) {
                b.putIntLE((int) seq++).putIntLE(r.nextInt(1000)).putLongLE(Double.doubleToLongBits(r.nextInt(100000) / 100.0));
                random(r, b, 8);
                byte[] w = word(r);
                b.put((byte) w.length).put(w);
                b.putShortLE(r.nextInt(16));
            }
            Arrays.fill(b.a, b.len, page + 4096, (byte) 0);
            b.len = page + 4096;
        }
        b.len = end;
    }

    /** Growable byte buffer with text and little-endian appenders. */
    static final class Buf {
        byte[] a;
        int len;

        Buf() {
            this(1 << 16);
        }

        Buf(int cap) {
            a = new byte[Math.max(16, cap)];
        }

        void ensure(int n) {
            if (len + n > a.length) {
                a = Arrays.copyOf(a, Math.max(a.length * 2, len + n));
            }
        }

        Buf put(byte c) {
            if (len == a.length) {
                ensure(1);
            }
            a[len++] = c;
            return this;
        }

        Buf put(char c) {
            return put((byte) c);
        }

        Buf put(byte[] s) {
            return put(s, 0, s.length);
        }

        Buf put(byte[] s, int off, int n) {
            ensure(n);
            System.arraycopy(s, off, a, len, n);
            len += n;
            return this;
        }

        Buf put(String s) {
            ensure(s.length());
            for (int i = 0; i < s.length(); i++) {
                a[len++] = (byte) s.charAt(i);
            }
            return this;
        }

        Buf putNum(long v) {
            return put(Long.toString(v));
        }

        Buf pad2(int v) {
            return put((byte) ('0' + v / 10 % 10)).put((byte) ('0' + v % 10));
        }

        Buf putShortLE(int v) {
            ensure(2);
            a[len++] = (byte) v;
            a[len++] = (byte) (v >>> 8);
            return this;
        }

        Buf putIntLE(int v) {
            ensure(4);
            for (int k = 0; k < 4; k++) {
                a[len++] = (byte) (v >>> (8 * k));
            }
            return this;
        }

        Buf putLongLE(long v) {
            ensure(8);
            for (int k = 0; k < 8; k++) {
                a[len++] = (byte) (v >>> (8 * k));
            }
            return this;
        }

        byte[] bytes() {
            return Arrays.copyOf(a, len);
        }

        Buf clear() {
            len = 0;
            return this;
        }
    }
}
