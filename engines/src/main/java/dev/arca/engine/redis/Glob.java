package dev.arca.engine.redis;

import java.nio.charset.StandardCharsets;

/**
 * Redis's glob patterns ({@code KEYS}, {@code SCAN MATCH}) over key bytes: {@code *} any run,
 * {@code ?} one byte, {@code [abc]} / {@code [^abc]} / {@code [a-z]} a set, {@code \x} the byte x.
 */
public final class Glob {
    private final byte[] p;

    public Glob(String pattern) {
        this.p = pattern.getBytes(StandardCharsets.UTF_8);
    }

    public boolean matches(byte[] s) {
        return match(0, s, 0);
    }

    private boolean match(int pi, byte[] s, int si) {
        while (pi < p.length) {
            byte c = p[pi];
            switch (c) {
                case '*' -> {
                    while (pi + 1 < p.length && p[pi + 1] == '*') {
                        pi++;
                    }
                    if (pi + 1 == p.length) {
                        return true;
                    }
                    for (int k = si; k <= s.length; k++) {
                        if (match(pi + 1, s, k)) {
                            return true;
                        }
                    }
                    return false;
                }
                case '?' -> {
                    if (si >= s.length) {
                        return false;
                    }
                    si++;
                    pi++;
                }
                case '[' -> {
                    if (si >= s.length) {
                        return false;
                    }
                    int i = pi + 1;
                    boolean not = i < p.length && p[i] == '^';
                    if (not) {
                        i++;
                    }
                    boolean hit = false;
                    int b = s[si] & 0xff;
                    while (i < p.length && p[i] != ']') {
                        if (p[i] == '\\' && i + 1 < p.length) {
                            i++;
                            hit |= (p[i] & 0xff) == b;
                            i++;
                        } else if (i + 2 < p.length && p[i + 1] == '-' && p[i + 2] != ']') {
                            int lo = p[i] & 0xff;
                            int hi = p[i + 2] & 0xff;
                            if (lo > hi) {
                                int t = lo;
                                lo = hi;
                                hi = t;
                            }
                            hit |= b >= lo && b <= hi;
                            i += 3;
                        } else {
                            hit |= (p[i] & 0xff) == b;
                            i++;
                        }
                    }
                    if (not) {
                        hit = !hit;
                    }
                    if (!hit) {
                        return false;
                    }
                    pi = i < p.length ? i + 1 : i;
                    si++;
                }
                case '\\' -> {
                    if (pi + 1 < p.length) {
                        pi++;
                    }
                    if (si >= s.length || p[pi] != s[si]) {
                        return false;
                    }
                    pi++;
                    si++;
                }
                default -> {
                    if (si >= s.length || c != s[si]) {
                        return false;
                    }
                    pi++;
                    si++;
                }
            }
        }
        return si == s.length;
    }
}
