package dev.arca.bench.corpus;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The "rocks" corpus: a RocksDB directory written through rocksdbjni, then its later state.
 *
 * <pre>
 *   v1: column families "default" (users: 16-byte hashed keys, JSON values 100 B – 2 KiB; 55% of the
 *       bytes), "events" (append-only: 12-byte time-ordered keys, log lines; 30%) and "blobs"
 *       (4 – 64 KiB values, half text, half random; 15%), written until the live SST files reach
 *       ~TARGET bytes, flushed, compactions settled.
 *   v2: users and blobs: 1.5% of keys updated, 0.75% deleted, 0.75% new; events: the oldest 1%
 *       deleted with DeleteRange and 2% appended; flushed; then compactRange over 1/8 of the
 *       users key space ([0x20, 0x40) in the first key byte), compactions settled.
 * </pre>
 * RocksDB defaults except: create CFs, two background jobs, WAL off during the initial load, and
 * memtable / SST / L1 sizes scaled down for corpora below ~1.5 GB so small ones keep an LSM shape.
 * Each state is the closed DB directory copied: SST files hard-linked (they are immutable; unchanged
 * ones keep their inode from v1 to v2, as in a live database), other files copied.
 */
final class RocksCorpus {
    static final String[] CFS = {"default", "events", "blobs"};
    static final double[] SHARE = {0.55, 0.30, 0.15};

    private final long seed;
    private final long target;

    RocksCorpus(long seed, long target) {
        this.seed = seed;
        this.target = target;
    }

    static byte[] userKey(long id) {
        return ByteBuffer.allocate(16).putLong(Content.mix(id)).putLong(id).array();
    }

    static byte[] eventKey(long seq) {
        return ByteBuffer.allocate(12).putLong(1_700_000_000_000_000L + seq * 1000).putInt((int) (Content.mix(seq) & 0xffff)).array();
    }

    static byte[] blobKey(long id) {
        byte[] k = new byte[5 + 16];
        System.arraycopy("blob/".getBytes(), 0, k, 0, 5);
        System.arraycopy(userKey(id), 0, k, 5, 16);
        return k;
    }

    static byte[] userValue(SplittableRandom r) {
        Content.Buf b = new Content.Buf(4096);
        Content.json(r, b, Content.logUniform(r, 100, 2048));
        return b.bytes();
    }

    static byte[] eventValue(SplittableRandom r) {
        Content.Buf b = new Content.Buf(1024);
        Content.logLine(r, b);
        if (r.nextInt(3) == 0) {
            Content.json(r, b, 100 + r.nextInt(400));
        }
        return b.bytes();
    }

    static byte[] blobValue(SplittableRandom r) {
        Content.Buf b = new Content.Buf(70 << 10);
        int n = Content.logUniform(r, 4 << 10, 64 << 10);
        if (r.nextBoolean()) {
            Content.random(r, b, n);
        } else {
            Content.prose(r, b, n);
        }
        return b.bytes();
    }

    long unit() {
        return Math.max(2L << 20, Math.min(64L << 20, target / 24));
    }

    ColumnFamilyOptions cfOptions() {
        return new ColumnFamilyOptions().setWriteBufferSize(unit()).setTargetFileSizeBase(unit())
            .setMaxBytesForLevelBase(4 * unit());
    }

    static long prop(RocksDB db, String p) throws RocksDBException {
        return db.getAggregatedLongProperty(p);
    }

    static void settle(RocksDB db, List<ColumnFamilyHandle> hs) throws RocksDBException, InterruptedException {
        try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
            db.flush(fo, hs);
        }
        while (prop(db, "rocksdb.compaction-pending") > 0 || prop(db, "rocksdb.num-running-compactions") > 0
            || prop(db, "rocksdb.num-running-flushes") > 0) {
            Thread.sleep(100);
        }
    }

    interface Body {
        void run(RocksDB db, List<ColumnFamilyHandle> hs) throws Exception;
    }

    void withDb(Path dir, Body body) throws Exception {
        try (ColumnFamilyOptions cfo = cfOptions();
             DBOptions o = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true).setMaxBackgroundJobs(2)) {
            List<ColumnFamilyDescriptor> ds = new ArrayList<>();
            for (String cf : CFS) {
                ds.add(new ColumnFamilyDescriptor(cf.getBytes(), cfo));
            }
            List<ColumnFamilyHandle> hs = new ArrayList<>();
            try (RocksDB db = RocksDB.open(o, dir.toString(), ds, hs)) {
                try {
                    body.run(db, hs);
                } finally {
                    hs.forEach(ColumnFamilyHandle::close);
                }
            }
        }
    }

    void generate(Path db, Path v1, Path v2) throws Exception {
        RocksDB.loadLibrary();
        Map<String, Long> st = new TreeMap<>();
        long[] count = new long[3];
        long[] logical = new long[3];
        withDb(db, (d, hs) -> {
            try (WriteOptions wo = new WriteOptions().setDisableWAL(true)) {
                SplittableRandom[] r = {Content.rng(seed, 301, 0), Content.rng(seed, 302, 0), Content.rng(seed, 303, 0)};
                long ops = 0;
                while (true) {
                    try (WriteBatch wb = new WriteBatch()) {
                        for (int j = 0; j < 500; j++, ops++) {
                            long total = logical[0] + logical[1] + logical[2] + 1;
                            int cf = 0;
                            for (int c = 1; c < 3; c++) {
                                if (logical[c] - SHARE[c] * total < logical[cf] - SHARE[cf] * total) {
                                    cf = c;
                                }
                            }
                            byte[] k;
                            byte[] v;
                            long id = count[cf]++;
                            switch (cf) {
                                case 0 -> { k = userKey(id); v = userValue(r[0]); }
                                case 1 -> { k = eventKey(id); v = eventValue(r[1]); }
                                default -> { k = blobKey(id); v = blobValue(r[2]); }
                            }
                            wb.put(hs.get(cf), k, v);
                            logical[cf] += k.length + v.length;
                        }
                        d.write(wo, wb);
                    }
                    if (ops % 10_000 == 0) {
                        long sst = prop(d, "rocksdb.total-sst-files-size");
                        long mem = prop(d, "rocksdb.cur-size-all-mem-tables");
                        if (sst + mem * 0.6 >= target) {
                            break;
                        }
                    }
                }
            }
            settle(d, hs);
        });
        try (ColumnFamilyOptions o = cfOptions()) {
            System.err.println("rocksdb_compression=" + o.compressionType() + " rocksdb_version=" + RocksDB.rocksdbVersion());
        }
        for (int c = 0; c < 3; c++) {
            st.put("v1_keys_" + CFS[c], count[c]);
            st.put("v1_logical_bytes_" + CFS[c], logical[c]);
        }
        st.put("v1_sst_bytes", sstBytes(db));
        copyDb(db, v1);

        // ---- v2
        long[] changed = new long[5];  // updated, deleted, added, changed logical bytes, events appended
        withDb(db, (d, hs) -> {
            try (WriteOptions wo = new WriteOptions()) {
                for (int cf : new int[] {0, 2}) {
                    long n = count[cf];
                    for (long id = 0; id < n; id++) {
                        double u = Content.rng(seed, 310 + cf, id).nextDouble();
                        if (u < 0.015) {
                            byte[] v = cf == 0 ? userValue(Content.rng(seed, 320 + cf, id)) : blobValue(Content.rng(seed, 320 + cf, id));
                            d.put(hs.get(cf), wo, cf == 0 ? userKey(id) : blobKey(id), v);
                            changed[0]++;
                            changed[3] += v.length;
                        } else if (u < 0.0225) {
                            d.delete(hs.get(cf), wo, cf == 0 ? userKey(id) : blobKey(id));
                            changed[1]++;
                        }
                    }
                    long add = Math.max(1, Math.round(n * 0.0075));
                    SplittableRandom r = Content.rng(seed, 330 + cf, 0);
                    for (long id = n; id < n + add; id++) {
                        byte[] v = cf == 0 ? userValue(r) : blobValue(r);
                        d.put(hs.get(cf), wo, cf == 0 ? userKey(id) : blobKey(id), v);
                        changed[2]++;
                        changed[3] += v.length;
                    }
                }
                long ne = count[1];
                long drop = Math.max(1, ne / 100);
                d.deleteRange(hs.get(1), wo, eventKey(0), eventKey(drop));
                changed[1] += drop;
                SplittableRandom r = Content.rng(seed, 340, 0);
                long app = Math.max(1, ne / 50);
                for (long seq = ne; seq < ne + app; seq++) {
                    byte[] v = eventValue(r);
                    d.put(hs.get(1), wo, eventKey(seq), v);
                    changed[3] += v.length;
                }
                changed[4] = app;
            }
            settle(d, hs);
            byte[] lo = new byte[16];
            byte[] hi = new byte[16];
            lo[0] = 0x20;
            hi[0] = 0x40;
            long t0 = System.nanoTime();
            d.compactRange(hs.get(0), lo, hi);
            settle(d, hs);
            System.err.printf("compact_range_ms=%d%n", (System.nanoTime() - t0) / 1_000_000);
        });
        st.put("v2_updated_keys", changed[0]);
        st.put("v2_deleted_keys", changed[1]);
        st.put("v2_new_keys", changed[2] + changed[4]);
        st.put("v2_changed_logical_bytes", changed[3]);
        st.put("v2_sst_bytes", sstBytes(db));
        copyDb(db, v2);
        Main.printStats(st);
    }

    static long sstBytes(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".sst")).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /** Copies a closed DB directory: immutable .sst/.blob files as hard links, the rest as bytes. */
    static void copyDb(Path src, Path dst) throws IOException {
        Files.createDirectories(dst);
        List<Path> files;
        try (Stream<Path> s = Files.list(src)) {
            files = s.sorted().toList();
        }
        for (Path p : files) {
            String n = p.getFileName().toString();
            Path t = dst.resolve(n);
            if (n.endsWith(".sst") || n.endsWith(".blob")) {
                Files.createLink(t, p);
            } else if (Files.isRegularFile(p)) {
                Files.copy(p, t);
            }
        }
    }
}
