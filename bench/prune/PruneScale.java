import dev.arca.format.id.BlobId;
import dev.arca.format.id.BlobType;
import dev.arca.format.id.FileId;
import dev.arca.format.index.IndexFile;
import dev.arca.format.pack.PackEntry;
import dev.arca.index.LmdbBlobIndex;
import dev.arca.index.PrunePlanner;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.roaringbitmap.RoaringBitmap;

/**
 * Prune at scale without data: builds a synthetic LMDB blob index of N blobs straight through the
 * index API (index files made in memory, never stored; 16 blobs of ~1 MiB per pack, 32768 blobs
 * per index file, as backups write them), then measures lookups (present and absent ids), one
 * full scan that builds a live set, and prune's planning over it. Run with a 512 MB heap:
 *
 *   java -Xmx512m --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
 *        -cp cli/target/arca-cli.jar bench/prune/PruneScale.java 50000000 /tmp/prune-scale
 *
 * (bench/prune/run.sh does this). Prints one line per measurement and a Markdown table row.
 */
public class PruneScale {
    static final int PER_PACK = 16;
    static final int PER_FILE = 32768;

    static BlobId blobId(long i) {
        ByteBuffer b = ByteBuffer.allocate(32);
        long x = i * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
        for (int k = 0; k < 4; k++) {
            x += 0x9E3779B97F4A7C15L;
            long z = x;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            b.putLong(z ^ (z >>> 31));
        }
        return BlobId.fromBytes(b.array());
    }

    static FileId fileId(String kind, long i) {
        return FileId.of((kind + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    static IndexFile indexFile(long n, long file) {
        long first = file * PER_FILE;
        long end = Math.min(n, first + PER_FILE);
        List<IndexFile.Pack> packs = new ArrayList<>();
        byte[] salt = new byte[32];
        for (long p = first; p < end; p += PER_PACK) {
            List<PackEntry> entries = new ArrayList<>();
            long offset = 40;
            SplittableRandom r = new SplittableRandom(p);
            for (long i = p; i < Math.min(end, p + PER_PACK); i++) {
                int stored = 256 * 1024 + r.nextInt(1536 * 1024);
                entries.add(new PackEntry(i % 64 == 0 ? BlobType.TREE : BlobType.DATA, 0, offset, stored, stored, blobId(i)));
                offset += stored;
            }
            packs.add(new IndexFile.Pack(fileId("pack", p / PER_PACK), salt, offset + 16 + 4 + 42 * entries.size() + 4,
                    entries));
        }
        return new IndexFile(List.of(), packs);
    }

    static volatile long peakHeap;

    public static void main(String[] args) throws Exception {
        long n = Long.parseLong(args[0]);
        Path dir = Path.of(args[1]);
        int lookups = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
        Thread sampler = new Thread(() -> {
            var mem = ManagementFactory.getMemoryMXBean();
            while (true) {
                peakHeap = Math.max(peakHeap, mem.getHeapMemoryUsage().getUsed());
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        long maxHeap = Runtime.getRuntime().maxMemory();
        System.out.printf("blobs %,d, heap limit %d MiB, java %s%n", n, maxHeap >> 20, Runtime.version());

        Files.createDirectories(dir);
        long t = System.nanoTime();
        long files = (n + PER_FILE - 1) / PER_FILE;
        List<FileId> ids = new ArrayList<>();
        for (long f = 0; f < files; f++) {
            ids.add(fileId("index", f));
        }
        try (LmdbBlobIndex index = LmdbBlobIndex.open(dir)) {
            if (index.blobCount() != n) {
                java.util.Map<FileId, Long> number = new java.util.HashMap<>();
                for (long f = 0; f < files; f++) {
                    number.put(ids.get((int) f), f);
                }
                index.rebuild(ids, id -> indexFile(n, number.get(id)));
                System.out.printf("build: %.1f s (%,d index files, %,d packs)%n", secs(t), files, index.packCount());
            } else {
                System.out.printf("build: reused the index in %s%n", dir);
            }
            double build = secs(t);
            if (index.blobCount() != n) {
                throw new IllegalStateException("index holds " + index.blobCount() + " blobs, wanted " + n);
            }

            SplittableRandom r = new SplittableRandom(42);
            t = System.nanoTime();
            for (int i = 0; i < lookups; i++) {
                long k = r.nextLong(n);
                var loc = index.find(blobId(k));
                if (loc == null || !loc.pack().equals(fileId("pack", k / PER_PACK))) {
                    throw new IllegalStateException("lookup of blob " + k + " failed");
                }
            }
            double present = lookups / secs(t);
            t = System.nanoTime();
            for (int i = 0; i < lookups; i++) {
                if (index.find(blobId(n + r.nextLong(n))) != null) {
                    throw new IllegalStateException("an absent blob was found");
                }
            }
            double absent = lookups / secs(t);
            System.out.printf("lookups: %,.0f/s present, %,.0f/s absent (%,d each, random)%n", present, absent, lookups);

            // A live set like a repository after forget: packs with ordinal % 50 == 1 wholly unused,
            // every 20th pack half dead, elsewhere 3% of blobs dead (below --max-unused 5%).
            t = System.nanoTime();
            RoaringBitmap live = new RoaringBitmap();
            index.forEachOrdinal((blob, pack, stored, type) -> {
                long h = (blob * 0x9E3779B97F4A7C15L) >>> 40;
                boolean dead = pack % 50 == 1 || pack % 20 == 0 && (h & 1) == 0 || h % 33 == 0;
                if (!dead) {
                    live.add(blob);
                }
            });
            live.runOptimize();
            double scan = secs(t);
            System.out.printf("live set (one full index scan): %.1f s, %,d live, bitmap %.1f MiB%n", scan,
                    live.getLongCardinality(), live.serializedSizeInBytes() / 1048576.0);

            t = System.nanoTime();
            PrunePlanner.Plan plan = PrunePlanner.plan(index, live, new RoaringBitmap(), 0.05, Long.MAX_VALUE);
            double planning = secs(t);
            System.out.printf("plan: %.1f s: %,d packs (%.1f TiB), %,d unused, %,d to repack (%.1f GiB), frees %.1f GiB%n",
                    planning, plan.packs(), plan.packBytes() / 1099511627776.0, plan.unused().size(), plan.repack().size(),
                    plan.repackBytes() / 1073741824.0, plan.reclaimableBytes() / 1073741824.0);
            System.out.printf("peak heap used: %d MiB of %d MiB%n", peakHeap >> 20, maxHeap >> 20);
            long disk;
            try (var s = Files.list(dir)) {
                disk = s.mapToLong(p -> p.toFile().length()).sum();
            }
            System.out.printf("| %,d | %,d | %.0f s | %,.0f/s | %,.0f/s | %.0f s | %.0f s | %d MiB | %.1f GiB |%n", n,
                    plan.packs(), build, present, absent, scan, planning, peakHeap >> 20, disk / 1073741824.0);
        }
    }

    static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
