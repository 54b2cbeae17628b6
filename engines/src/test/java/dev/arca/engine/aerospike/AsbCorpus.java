package dev.arca.engine.aerospike;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic asbackup-like directory: records of a few hundred bytes (string key, set, I, S,
 * D, Z, B and M bins, some raw bytes with LF and NUL), split into files like {@code asbackup
 * --directory}; version 2 changes {@code changedPerMille}/1000 of the records (generation + 1,
 * new values of about the same size), spread evenly.
 */
final class AsbCorpus {
    static final byte[] NS = "test".getBytes(StandardCharsets.US_ASCII);
    static final byte[][] SETS = {"users".getBytes(), "events".getBytes(), "profiles".getBytes(), null};

    private AsbCorpus() {
    }

    static AsbItem.Record record(long i, int generation) {
        SplittableRandom r = new SplittableRandom(i * 1_000_003L + generation);
        SplittableRandom id = new SplittableRandom(i);
        byte[] digest = AsbGen.digest(id);
        byte[] set = SETS[(int) (i % SETS.length)];
        List<AsbItem.Bin> bins = new ArrayList<>();
        bins.add(new AsbItem.Bin((byte) 'I', false, b("age"), b(Long.toString(r.nextInt(100)))));
        bins.add(new AsbItem.Bin((byte) 'S', false, b("name"), b("user " + i + " " + words(r, 8 + r.nextInt(20)))));
        bins.add(new AsbItem.Bin((byte) 'D', false, b("score"), b(Double.toString(r.nextDouble() * 1000))));
        bins.add(new AsbItem.Bin((byte) 'Z', false, b("active"), b(r.nextBoolean() ? "T" : "F")));
        bins.add(new AsbItem.Bin((byte) 'B', i % 2 == 0, b("blob"),
                i % 2 == 0 ? AsbGen.bytes(r, 40 + r.nextInt(40)) : AsbGen.b64(AsbGen.bytes(r, 40 + r.nextInt(40)))));
        bins.add(new AsbItem.Bin((byte) 'M', false, b("map"), AsbGen.b64(AsbGen.bytes(r, 20 + r.nextInt(30)))));
        AsbItem.Key key = new AsbItem.Key((byte) 'S', false, b("user-" + i));
        return new AsbItem.Record(key, NS, digest, set, generation, i % 7 == 0 ? 0 : 500_000_000L + i, bins);
    }

    static String words(SplittableRandom r, int n) {
        String[] w = {"alpha", "beta", "gamma", "delta", "lorem", "ipsum", "aerospike", "record", "cluster", "node"};
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < n; k++) {
            b.append(k == 0 ? "" : " ").append(w[r.nextInt(w.length)]);
        }
        return b.toString();
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether record {@code i} changed in version 2: every ~(1000/perMille)th, spread evenly. */
    static boolean changed(long i, int perMille) {
        return perMille > 0 && (i * perMille) % 1000 < perMille;
    }

    /** Writes {@code files} files of {@code perFile} records; returns the total bytes. */
    static long write(Path dir, int files, int perFile, int version, int changedPerMille) throws IOException {
        Files.createDirectories(dir);
        SplittableRandom r = new SplittableRandom(99);
        List<AsbItem> globals = AsbGen.globals(r, NS);
        long total = 0;
        for (int f = 0; f < files; f++) {
            Path p = dir.resolve(String.format("test_%05d.asb", f));
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(p), 1 << 16)) {
                AsbWriter w = new AsbWriter(out);
                w.header("3.1");
                w.write(new AsbItem.Namespace(NS));
                if (f == 0) {
                    w.write(new AsbItem.FirstFile());
                    for (AsbItem g : globals) {
                        w.write(g);
                    }
                }
                for (long i = (long) f * perFile; i < (long) (f + 1) * perFile; i++) {
                    boolean ch = version == 2 && changed(i, changedPerMille);
                    w.write(record(i, ch ? 2 : 1));
                }
            }
            total += Files.size(p);
        }
        return total;
    }
}
