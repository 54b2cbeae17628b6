package dev.arca.engine.redis.aof;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The AOF fixtures under src/test/resources/redis-aof (see the README there). */
final class AofFixtures {
    static final String WITH_TS = "redis-replicator/appendonly-with-ts.aof";
    static final String PREAMBLE = "redis-7.2.0-tests-assets/rdb-preamble.aof";
    static final String[] RESP = {"redis-replicator/appendonly1.aof", "redis-replicator/appendonly5.aof",
        "redis-replicator/appendonly6.aof", "redis-replicator/appendonly7.aof", WITH_TS};

    private AofFixtures() {
    }

    static byte[] load(String name) {
        try (InputStream in = AofFixtures.class.getResourceAsStream("/redis-aof/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /redis-aof/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Offset of the first occurrence of {@code s} in {@code b}, or -1. */
    static int indexOf(byte[] b, String s) {
        byte[] p = s.getBytes(StandardCharsets.ISO_8859_1);
        outer:
        for (int i = 0; i + p.length <= b.length; i++) {
            for (int k = 0; k < p.length; k++) {
                if (b[i + k] != p[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** A stream that hands out one byte per read, to shake out buffer-boundary bugs. */
    static InputStream oneByteAtATime(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1));
            }
        };
    }
}
