package dev.arca.bench.corpus;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The "files" corpus: a synthetic file tree of about {@code bytes} bytes, then its later state.
 *
 * <pre>
 *   v1: by bytes 20% small files (64 B – 32 KiB), 30% medium (64 KiB – 2 MiB), 50% large (8 – 128 MiB);
 *       text-like (source, JSON lines, prose, CSV, logs) and binary (page-structured records,
 *       random bytes like media), in a random directory tree of ~48 files per directory.
 *   v2: v1 hard-linked (unchanged files keep their inode), then per file 1.5% modified (an insert,
 *       overwrite or append of 16 B – 8 KiB; large files get 1–8 such edits of up to 64 KiB, and at
 *       least one large file is modified), 0.75% deleted, and 0.75% × count new files.
 * </pre>
 * Sizes scale down with {@code bytes} for small corpora. Content depends only on the seed.
 */
final class FileTree {
    enum Kind {
        SOURCE(".java", ".py", ".c", ".go"), JSON(".json", ".ndjson"), PROSE(".md", ".txt"), CSV(".csv"),
        LOG(".log"), RECORDS(".bin", ".db", ".class"), RANDOM(".jpg", ".png", ".gz", ".zst");

        final String[] ext;

        Kind(String... ext) {
            this.ext = ext;
        }

        boolean text() {
            return this != RECORDS && this != RANDOM;
        }
    }

    record Spec(long idx, int cat, Kind kind, long size, Path rel) {
    }

    static final String[] CATS = {"small", "medium", "large"};
    static final double[] CAT_BYTES = {0.20, 0.30, 0.50};

    private final long seed;
    private final long total;
    private final long[][] range = new long[3][];

    FileTree(long seed, long total) {
        this.seed = seed;
        this.total = total;
        range[0] = new long[] {64, 32 << 10};
        range[1] = new long[] {64 << 10, Math.min(2L << 20, Math.max(128 << 10, total / 200))};
        long lo = Math.min(8L << 20, Math.max(256 << 10, total / 100));
        range[2] = new long[] {lo, Math.max(2 * lo, Math.min(128L << 20, total / 8))};
    }

    Kind kind(int cat, SplittableRandom r) {
        double u = r.nextDouble();
        return switch (cat) {
            case 0 -> u < 0.35 ? Kind.SOURCE : u < 0.50 ? Kind.JSON : u < 0.60 ? Kind.PROSE : u < 0.68 ? Kind.CSV
                : u < 0.76 ? Kind.LOG : u < 0.88 ? Kind.RECORDS : Kind.RANDOM;
            case 1 -> u < 0.20 ? Kind.LOG : u < 0.35 ? Kind.JSON : u < 0.45 ? Kind.CSV : u < 0.55 ? Kind.SOURCE
                : u < 0.75 ? Kind.RECORDS : Kind.RANDOM;
            default -> u < 0.25 ? Kind.LOG : u < 0.35 ? Kind.CSV : u < 0.70 ? Kind.RECORDS : Kind.RANDOM;
        };
    }

    Spec spec(long idx, int cat, SplittableRandom r, List<Path> dirs, long maxSize) {
        long size = Math.min(maxSize, Content.logUniform(r, range[cat][0], range[cat][1]));
        Kind k = kind(cat, r);
        Path dir = dirs.get(r.nextInt(dirs.size()));
        String name = Content.IDENT[r.nextInt(Content.IDENT.length)].toLowerCase() + "-" + Long.toString(idx, 36)
            + k.ext[r.nextInt(k.ext.length)];
        return new Spec(idx, cat, k, size, dir.resolve(name));
    }

    /** Writes {@code size} bytes of {@code kind} to {@code out} in blocks. */
    static void content(Kind kind, SplittableRandom r, long size, OutputStream out) throws IOException {
        Content.Buf b = new Content.Buf(1 << 20);
        long left = size;
        boolean first = true;
        while (left > 0) {
            int n = (int) Math.min(1 << 20, left);
            b.clear();
            fill(kind, r, b, n, first);
            out.write(b.a, 0, n);
            left -= n;
            first = false;
        }
    }

    static void fill(Kind kind, SplittableRandom r, Content.Buf b, int n, boolean first) {
        int start = b.len;
        switch (kind) {
            case SOURCE -> Content.source(r, b, n);
            case JSON -> {
                while (b.len - start < n) {
                    Content.json(r, b, Content.logUniform(r, 120, 3000));
                    b.put('\n');
                }
            }
            case PROSE -> Content.prose(r, b, n);
            case CSV -> {
                if (first) {
                    Content.csv(r, b, n);
                } else {
                    // continue the table without repeating the header
                    Content.csv(r, b, n + 48);
                    System.arraycopy(b.a, start + 48, b.a, start, n);
                }
            }
            case LOG -> Content.log(r, b, n);
            case RECORDS -> Content.records(r, b, n);
            case RANDOM -> Content.random(r, b, n);
            default -> throw new IllegalStateException();
        }
        b.len = start + n;
    }

    List<Path> dirs(long nFiles) {
        SplittableRandom r = Content.rng(seed, 11, 0);
        int d = (int) Math.max(3, nFiles / 48);
        List<Path> dirs = new ArrayList<>(d);
        dirs.add(Path.of("tree"));
        for (int j = 1; j < d; j++) {
            // a random recursive tree, biased to the upper levels
            Path parent = dirs.get((int) (j * Math.pow(r.nextDouble(), 1.5)));
            dirs.add(parent.resolve(Content.wordString(r) + "-" + Integer.toString(j, 36)));
        }
        return dirs;
    }

    List<Spec> plan() {
        // first the sizes per category (they fix the count), then the tree, then names and kinds
        List<long[]> sizes = new ArrayList<>();  // {cat, size}
        for (int cat = 0; cat < 3; cat++) {
            long budget = (long) (total * CAT_BYTES[cat]);
            SplittableRandom r = Content.rng(seed, 20 + cat, 0);
            long sum = 0;
            while (sum < budget) {
                long s = Math.min(budget - sum, Content.logUniform(r, range[cat][0], range[cat][1]));
                s = Math.max(s, Math.min(range[cat][0], budget - sum));
                sizes.add(new long[] {cat, s});
                sum += s;
            }
        }
        // interleave the categories deterministically
        List<long[]> order = new ArrayList<>(sizes);
        SplittableRandom sh = Content.rng(seed, 12, 0);
        for (int i = order.size() - 1; i > 0; i--) {
            int j = sh.nextInt(i + 1);
            long[] t = order.get(i);
            order.set(i, order.get(j));
            order.set(j, t);
        }
        List<Path> dirs = dirs(order.size());
        List<Spec> specs = new ArrayList<>(order.size());
        for (int i = 0; i < order.size(); i++) {
            long[] cs = order.get(i);
            SplittableRandom r = Content.rng(seed, 13, i);
            Spec s = spec(i, (int) cs[0], r, dirs, Long.MAX_VALUE);
            specs.add(new Spec(s.idx(), s.cat(), s.kind(), cs[1], s.rel()));
        }
        return specs;
    }

    static void write(Path file, Spec s, SplittableRandom r) {
        try (OutputStream out = Files.newOutputStream(file)) {
            content(s.kind(), r, s.size(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void generate(Path v1, Path v2) throws IOException {
        List<Spec> specs = plan();
        List<Path> dirs = dirs(specs.size());
        for (Path d : dirs) {
            Files.createDirectories(v1.resolve(d));
            Files.createDirectories(v2.resolve(d));
        }
        specs.parallelStream().forEach(s -> write(v1.resolve(s.rel()), s, Content.rng(seed, 14, s.idx())));
        for (Spec s : specs) {
            Files.createLink(v2.resolve(s.rel()), v1.resolve(s.rel()));
        }

        // ---- v2
        Map<String, Long> st = new TreeMap<>();
        st.put("v1_files", (long) specs.size());
        st.put("v1_bytes", specs.stream().mapToLong(Spec::size).sum());
        st.put("dirs", (long) dirs.size());
        for (int c = 0; c < 3; c++) {
            final int cat = c;
            st.put(CATS[c] + "_files", specs.stream().filter(s -> s.cat() == cat).count());
        }
        List<Spec> modify = new ArrayList<>();
        List<Spec> delete = new ArrayList<>();
        for (Spec s : specs) {
            double u = Content.rng(seed, 101, s.idx()).nextDouble();
            if (u < 0.015) {
                modify.add(s);
            } else if (u < 0.0225) {
                delete.add(s);
            }
        }
        if (modify.stream().noneMatch(s -> s.cat() == 2)) {
            specs.stream().filter(s -> s.cat() == 2 && !delete.contains(s)).findFirst().ifPresent(modify::add);
        }
        AtomicLong editBytes = new AtomicLong();
        AtomicLong modifiedBytes = new AtomicLong();
        modify.parallelStream().forEach(s -> {
            try {
                byte[] data = Files.readAllBytes(v1.resolve(s.rel()));
                byte[] out = edit(s, data, Content.rng(seed, 103, s.idx()), editBytes);
                Path t = v2.resolve(s.rel());
                Files.delete(t);
                Files.write(t, out);
                modifiedBytes.addAndGet(out.length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        long deletedBytes = 0;
        for (Spec s : delete) {
            Files.delete(v2.resolve(s.rel()));
            deletedBytes += s.size();
        }
        long nAdd = Math.max(1, Math.round(specs.size() * 0.0075));
        List<Spec> added = new ArrayList<>();
        long[] catCount = new long[3];
        specs.forEach(s -> catCount[s.cat()]++);
        for (long k = 0; k < nAdd; k++) {
            long idx = specs.size() + k;
            SplittableRandom r = Content.rng(seed, 102, idx);
            double u = r.nextDouble() * specs.size();
            int cat = u < catCount[0] ? 0 : u < catCount[0] + catCount[1] ? 1 : 2;
            added.add(spec(idx, cat, r, dirs, Long.MAX_VALUE));
        }
        added.parallelStream().forEach(s -> write(v2.resolve(s.rel()), s, Content.rng(seed, 104, s.idx())));
        long addedBytes = added.stream().mapToLong(Spec::size).sum();

        st.put("modified", (long) modify.size());
        st.put("modified_large", modify.stream().filter(s -> s.cat() == 2).count());
        st.put("modified_file_bytes", modifiedBytes.get());
        st.put("modified_edit_bytes", editBytes.get());
        st.put("deleted", (long) delete.size());
        st.put("deleted_bytes", deletedBytes);
        st.put("added", (long) added.size());
        st.put("added_bytes", addedBytes);
        st.put("v2_files", specs.size() - delete.size() + (long) added.size());
        st.put("v2_bytes", st.get("v1_bytes") - deletedBytes + addedBytes + modifiedBytes.get()
            - modify.stream().mapToLong(Spec::size).sum());
        st.put("changed_files_pct_x100", Math.round(10000.0 * (modify.size() + delete.size() + added.size()) / specs.size()));
        Main.printStats(st);
    }

    static byte[] edit(Spec s, byte[] data, SplittableRandom r, AtomicLong editBytes) {
        boolean large = s.cat() == 2;
        int edits = large ? 1 + r.nextInt(8) : 1;
        Content.Buf b = new Content.Buf(data.length + 16);
        b.put(data);
        for (int e = 0; e < edits; e++) {
            int n = Content.logUniform(r, 16, large ? 65536 : 8192);
            Content.Buf blob = new Content.Buf(n + 64);
            fill(s.kind().text() ? Kind.PROSE : s.kind(), r, blob, n, true);
            int off = b.len == 0 ? 0 : r.nextInt(b.len);
            double m = r.nextDouble();
            if (m < 0.3) {                       // insert
                b.ensure(n);
                System.arraycopy(b.a, off, b.a, off + n, b.len - off);
                System.arraycopy(blob.a, 0, b.a, off, n);
                b.len += n;
            } else if (m < 0.7) {                // overwrite in place (may extend the end)
                int keep = Math.min(n, b.len - off);
                System.arraycopy(blob.a, 0, b.a, off, keep);
                b.put(blob.a, keep, n - keep);
            } else {                             // append
                b.put(blob.a, 0, n);
            }
            editBytes.addAndGet(n);
        }
        return b.bytes();
    }
}
