package dev.arca.bench.jmh;

import java.util.SplittableRandom;

/**
 * Deterministic "mixed" input for the stage benchmarks: 64 KiB runs of text-like bytes (words from
 * a small vocabulary), page-structured binary records and random bytes, in a fixed random order
 * (about 35% / 20% / 45%); zstd level 1 and 3 compress it about 1.5–1.7×, like the "mixed data" of
 * DESIGN §9.
 */
final class StageData {
    private StageData() {
    }

    static byte[] mixed(int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        String[] words = new String[2048];
        for (int i = 0; i < words.length; i++) {
            StringBuilder w = new StringBuilder();
            int len = 2 + r.nextInt(9);
            for (int j = 0; j < len; j++) {
                w.append((char) ('a' + r.nextInt(26)));
            }
            words[i] = w.toString();
        }
        byte[] out = new byte[size];
        int p = 0;
        while (p < size) {
            int end = Math.min(size, p + (64 << 10));
            double u = r.nextDouble();
            if (u < 0.35) {
                while (p < end) {
                    int x = r.nextInt(words.length);
                    String w = words[x * x / words.length / 2 + (x % 7 == 0 ? r.nextInt(1024) : 0)];
                    for (int k = 0; k < w.length() && p < end; k++) {
                        out[p++] = (byte) w.charAt(k);
                    }
                    if (p < end) {
                        out[p++] = (byte) (r.nextInt(12) == 0 ? '\n' : ' ');
                    }
                }
            } else if (u < 0.55) {
                int seq = r.nextInt(1 << 20);
                while (p < end) {
                    int n = Math.min(end - p, 32);
                    for (int k = 0; k < n; k++) {
                        out[p + k] = k < 4 ? (byte) (seq >>> (8 * k)) : k < 8 ? (byte) r.nextInt(16) : k < 16 ? (byte) r.nextInt(256) : 0;
                    }
                    seq++;
                    p += n;
                }
            } else {
                while (p < end) {
                    out[p++] = (byte) r.nextInt(256);
                }
            }
        }
        return out;
    }
}
