package dev.arca.index;

import dev.arca.format.id.BlobId;
import dev.arca.format.id.BlobType;
import dev.arca.format.id.FileId;
import dev.arca.format.index.BlobIndex;
import dev.arca.format.index.BlobLocation;
import dev.arca.format.index.IndexFile;
import dev.arca.format.pack.PackEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lmdbjava.Cursor;
import org.lmdbjava.CursorIterable;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.KeyRange;
import org.lmdbjava.LmdbException;
import org.lmdbjava.PutFlags;
import org.lmdbjava.Txn;

/**
 * The blob index as an LMDB database in the local cache: a rebuildable copy of the repository's
 * index files whose pages are memory-mapped, so the process's own memory does not grow with the
 * number of blobs.
 *
 * <pre>
 * meta     "format"        → "arca-lmdb-index-1"
 * files    indexFileId[32] → (empty)                                    index files merged
 * packs    u32 BE ordinal  → packId[32] salt[32] u64 length             appended in ordinal order
 * packids  packId[32]      → u32 ordinal
 * blobs    blobId[32]      → u32 pack, u32 offset, u32 stored, u32 raw, u8 type, u8 flags, u32 ordinal
 * ords     u32 BE ordinal  → blobId[32]                                 appended in ordinal order
 * </pre>
 *
 * <p>Random 32-byte keys make B-tree inserts expensive in pages written, so writes are shaped:
 * {@link #add} sorts each batch by key before inserting, and {@link #rebuild} sorts all entries
 * (spilling sorted runs to disk beyond {@value #RUN_ENTRIES} entries) and bulk-loads them with
 * {@code MDB_APPEND}, which fills pages left to right and writes each once.
 *
 * <p>Thread-safe. Several processes may share one cache directory (LMDB locks it).
 */
public final class LmdbBlobIndex implements BlobIndex {
    static final String FORMAT = "arca-lmdb-index-1";
    /** Entries sorted in memory per run (~150 bytes each as objects): bounded by the heap arca runs with. */
    static final int RUN_ENTRIES = 1 << 18;
    private static final int VALUE_LENGTH = 4 + 4 + 4 + 4 + 1 + 1 + 4;
    private static final int PACK_VALUE_LENGTH = 32 + 32 + 8;
    private static final long MAP_SIZE = 1L << 40;
    private static final int COMMIT_EVERY = 1 << 20;

    private final Path dir;
    private final Path lockFile;
    private final Env<ByteBuffer> env;
    private final Dbi<ByteBuffer> meta;
    private final Dbi<ByteBuffer> files;
    private final Dbi<ByteBuffer> packs;
    private final Dbi<ByteBuffer> packIds;
    private final Dbi<ByteBuffer> blobs;
    private final Dbi<ByteBuffer> ords;
    private final ThreadLocal<ByteBuffer> keyBuf = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(32));

    private record PackInfo(FileId id, byte[] salt) {
    }

    private LmdbBlobIndex(Path dir, Env<ByteBuffer> env) {
        this.dir = dir;
        this.lockFile = dir.resolve("writer.lock");
        this.env = env;
        this.meta = env.openDbi("meta", DbiFlags.MDB_CREATE);
        this.files = env.openDbi("files", DbiFlags.MDB_CREATE);
        this.packs = env.openDbi("packs", DbiFlags.MDB_CREATE);
        this.packIds = env.openDbi("packids", DbiFlags.MDB_CREATE);
        this.blobs = env.openDbi("blobs", DbiFlags.MDB_CREATE);
        this.ords = env.openDbi("ords", DbiFlags.MDB_CREATE);
    }

    /**
     * Opens (creating if needed) the index in {@code dir}. An index written by another layout
     * version, or one LMDB cannot open, is deleted and starts empty; the caller then rebuilds it
     * from the index files.
     */
    public static LmdbBlobIndex open(Path dir) throws IOException {
        Files.createDirectories(dir);
        LmdbBlobIndex idx;
        try {
            idx = new LmdbBlobIndex(dir, openEnv(dir));
        } catch (LmdbException e) {
            wipe(dir);
            idx = new LmdbBlobIndex(dir, openEnv(dir));
        }
        if (!idx.checkFormat()) {
            idx.close();
            wipe(dir);
            idx = new LmdbBlobIndex(dir, openEnv(dir));
            idx.checkFormat();
        }
        return idx;
    }

    private static Env<ByteBuffer> openEnv(Path dir) {
        return Env.create()
                .setMapSize(MAP_SIZE)
                .setMaxDbs(8)
                .setMaxReaders(512)
                .open(dir.toFile(), EnvFlags.MDB_NOTLS, EnvFlags.MDB_NOMETASYNC);
    }

    private static void wipe(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve("data.mdb"));
        Files.deleteIfExists(dir.resolve("lock.mdb"));
    }

    /** Writes the format marker into an empty index; false if a different one is there. */
    private boolean checkFormat() {
        ByteBuffer k = direct("format".getBytes(StandardCharsets.US_ASCII));
        try (Txn<ByteBuffer> txn = env.txnWrite()) {
            ByteBuffer v = meta.get(txn, k);
            if (v == null) {
                if (blobs.stat(txn).entries > 0 || files.stat(txn).entries > 0) {
                    return false;
                }
                meta.put(txn, k, direct(FORMAT.getBytes(StandardCharsets.US_ASCII)));
                txn.commit();
                return true;
            }
            byte[] have = new byte[v.remaining()];
            v.get(have);
            return FORMAT.equals(new String(have, StandardCharsets.US_ASCII));
        }
    }

    public Path directory() {
        return dir;
    }

    private static ByteBuffer direct(byte[] b) {
        ByteBuffer buf = ByteBuffer.allocateDirect(b.length);
        buf.put(b).flip();
        return buf;
    }

    private ByteBuffer key(BlobId id) {
        ByteBuffer k = keyBuf.get();
        k.clear();
        id.copyTo(k);
        k.flip();
        return k;
    }

    private static ByteBuffer u32Key(long v) {
        ByteBuffer b = ByteBuffer.allocateDirect(4);
        b.putInt((int) v).flip();
        return b;
    }

    // ---------------------------------------------------------------- lookups

    @Override
    public BlobLocation find(BlobId id) throws IOException {
        try (Txn<ByteBuffer> txn = env.txnRead()) {
            ByteBuffer v = blobs.get(txn, key(id));
            if (v == null) {
                return null;
            }
            return location(txn, id, v);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public long ordinal(BlobId id) {
        try (Txn<ByteBuffer> txn = env.txnRead()) {
            ByteBuffer v = blobs.get(txn, key(id));
            return v == null ? -1 : Integer.toUnsignedLong(v.getInt(v.position() + 18));
        }
    }

    private BlobLocation location(Txn<ByteBuffer> txn, BlobId id, ByteBuffer v) {
        int p = v.position();
        int packOrd = v.getInt(p);
        long offset = Integer.toUnsignedLong(v.getInt(p + 4));
        int stored = v.getInt(p + 8);
        int raw = v.getInt(p + 12);
        BlobType type = BlobType.fromCode(v.get(p + 16));
        int flags = v.get(p + 17) & 0xff;
        PackInfo pack = pack(txn, packOrd);
        return new BlobLocation(pack.id(), pack.salt(), new PackEntry(type, flags, offset, stored, raw, id));
    }

    /**
     * The pack with this ordinal, read in the same transaction as the blob: ordinals change when
     * any process rebuilds the index, so they are never cached outside a transaction.
     */
    private PackInfo pack(Txn<ByteBuffer> txn, int ord) {
        ByteBuffer v = packs.get(txn, u32Key(Integer.toUnsignedLong(ord)));
        if (v == null) {
            throw new java.io.UncheckedIOException(new IOException("the local index cache " + dir
                    + " is inconsistent (pack " + ord + " is missing); delete the directory and arca rebuilds it"));
        }
        byte[] raw = new byte[PACK_VALUE_LENGTH];
        v.get(raw);
        return new PackInfo(FileId.fromBytes(raw, 0), java.util.Arrays.copyOfRange(raw, 32, 64));
    }

    private static ByteBuffer rebuildingKey() {
        return direct("rebuilding".getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The index files merged. Empty while a rebuild is unfinished (it was interrupted): then the
     * tables are incomplete and the caller must rebuild.
     */
    @Override
    public Set<FileId> indexFiles() {
        Set<FileId> out = new HashSet<>();
        try (Txn<ByteBuffer> txn = env.txnRead()) {
            if (meta.get(txn, rebuildingKey()) != null) {
                return out;
            }
        }
        try (Txn<ByteBuffer> txn = env.txnRead(); CursorIterable<ByteBuffer> it = files.iterate(txn, KeyRange.all())) {
            for (CursorIterable.KeyVal<ByteBuffer> kv : it) {
                byte[] k = new byte[32];
                kv.key().get(k);
                out.add(FileId.fromBytes(k));
            }
        }
        return out;
    }

    @Override
    public long blobCount() {
        try (Txn<ByteBuffer> txn = env.txnRead()) {
            return ords.stat(txn).entries;
        }
    }

    @Override
    public void forEach(Visitor visitor) throws IOException {
        try (Txn<ByteBuffer> txn = env.txnRead(); CursorIterable<ByteBuffer> it = blobs.iterate(txn, KeyRange.all())) {
            byte[] k = new byte[32];
            for (CursorIterable.KeyVal<ByteBuffer> kv : it) {
                kv.key().get(k);
                visitor.visit(location(txn, BlobId.fromBytes(k), kv.val()));
            }
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The blob with this ordinal, or null. */
    public BlobId blobAt(long ordinal) {
        try (Txn<ByteBuffer> txn = env.txnRead()) {
            ByteBuffer v = ords.get(txn, u32Key(ordinal));
            if (v == null) {
                return null;
            }
            byte[] k = new byte[32];
            v.get(k);
            return BlobId.fromBytes(k);
        }
    }

    // ---------------------------------------------------------------- whole-index scans (prune)

    /** A pack as the index knows it. */
    public record PackRecord(int ordinal, FileId id, long length) {
    }

    /** One blob of a {@link #forEachOrdinal} scan; no objects are made per blob. */
    @FunctionalInterface
    public interface OrdinalVisitor {
        void visit(int blobOrdinal, int packOrdinal, int storedLength, BlobType type);
    }

    /** Number of packs known; pack ordinals are {@code 0 <= n < packCount()}. */
    public long packCount() {
        try (Txn<ByteBuffer> txn = env.txnRead()) {
            return packs.stat(txn).entries;
        }
    }

    /** The pack's ordinal, or -1 if no merged index file lists it. */
    public int packOrdinal(FileId pack) {
        try (Txn<ByteBuffer> txn = env.txnRead()) {
            ByteBuffer v = packIds.get(txn, fileKey(pack));
            return v == null ? -1 : v.getInt(v.position());
        }
    }

    /** Visits every pack in ordinal order. */
    public void forEachPack(java.util.function.Consumer<PackRecord> visitor) {
        try (Txn<ByteBuffer> txn = env.txnRead(); CursorIterable<ByteBuffer> it = packs.iterate(txn, KeyRange.all())) {
            byte[] raw = new byte[PACK_VALUE_LENGTH];
            for (CursorIterable.KeyVal<ByteBuffer> kv : it) {
                int ord = kv.key().getInt(kv.key().position());
                kv.val().get(raw);
                visitor.accept(new PackRecord(ord, FileId.fromBytes(raw, 0), ByteBuffer.wrap(raw, 64, 8).getLong()));
            }
        }
    }

    /**
     * Visits every blob once, in one read transaction, with its ordinal, its pack's ordinal, its
     * stored length and its type: what prune's planning needs, without a Java object per blob.
     */
    public void forEachOrdinal(OrdinalVisitor visitor) {
        try (Txn<ByteBuffer> txn = env.txnRead(); CursorIterable<ByteBuffer> it = blobs.iterate(txn, KeyRange.all())) {
            for (CursorIterable.KeyVal<ByteBuffer> kv : it) {
                ByteBuffer v = kv.val();
                int p = v.position();
                visitor.visit(v.getInt(p + 18), v.getInt(p), v.getInt(p + 8), BlobType.fromCode(v.get(p + 16)));
            }
        }
    }

    // ---------------------------------------------------------------- writes

    /** Serializes writers within this JVM; the file lock serializes processes. */
    private static final java.util.concurrent.ConcurrentHashMap<Path, java.util.concurrent.locks.ReentrantLock> JVM_LOCKS =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Work done while holding the cache's writer lock. */
    private interface LockedWork {
        void run() throws IOException;
    }

    /**
     * Runs {@code work} holding an exclusive lock on the cache, across threads and processes.
     * LMDB serializes single transactions only; a rebuild spans many, and its counters must not
     * interleave with another writer's.
     */
    private void exclusively(LockedWork work) throws IOException {
        java.util.concurrent.locks.ReentrantLock jvm = JVM_LOCKS.computeIfAbsent(dir.toAbsolutePath().normalize(),
                k -> new java.util.concurrent.locks.ReentrantLock());
        jvm.lock();
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(lockFile,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
             java.nio.channels.FileLock held = ch.lock()) {
            work.run();
        } finally {
            jvm.unlock();
        }
    }

    private static final Comparator<IndexEntry> BY_ID = Comparator.comparing(IndexEntry::id);

    @Override
    public synchronized void add(List<Loaded> loaded) throws IOException {
        if (loaded.isEmpty()) {
            return;
        }
        exclusively(() -> addLocked(loaded));
    }

    private void addLocked(List<Loaded> loaded) {
        try (Txn<ByteBuffer> txn = env.txnWrite()) {
            List<IndexEntry> batch = new ArrayList<>();
            Counters c = counters(txn);
            Set<FileId> seen = new HashSet<>();
            for (Loaded l : loaded) {
                if (!seen.add(l.id()) || files.get(txn, fileKey(l.id())) != null) {
                    continue;
                }
                collect(txn, l.content(), c, batch);
                files.put(txn, fileKey(l.id()), direct(new byte[0]));
            }
            batch.sort(BY_ID);
            ByteBuffer value = ByteBuffer.allocateDirect(VALUE_LENGTH);
            for (IndexEntry p : batch) {
                ByteBuffer k = key(p.id());
                if (blobs.get(txn, k) != null) {
                    continue;
                }
                long ord = c.nextBlob++;
                blobs.put(txn, k, encode(value, p, ord));
                ords.put(txn, u32Key(ord), key(p.id()), PutFlags.MDB_APPEND);
            }
            txn.commit();
        }
    }

    private static ByteBuffer fileKey(FileId id) {
        ByteBuffer b = ByteBuffer.allocateDirect(32);
        id.copyTo(b);
        return b.flip();
    }

    private static final class Counters {
        long nextPack;
        long nextBlob;
    }

    private Counters counters(Txn<ByteBuffer> txn) {
        Counters c = new Counters();
        c.nextPack = next(txn, packs);
        c.nextBlob = next(txn, ords);
        return c;
    }

    private static long next(Txn<ByteBuffer> txn, Dbi<ByteBuffer> db) {
        try (Cursor<ByteBuffer> cur = db.openCursor(txn)) {
            if (!cur.last()) {
                return 0;
            }
            return Integer.toUnsignedLong(cur.key().getInt(cur.key().position())) + 1;
        }
    }

    /** Registers the file's packs (new ones get ordinals) and adds its blobs to {@code out}. */
    private void collect(Txn<ByteBuffer> txn, IndexFile f, Counters c, List<IndexEntry> out) {
        for (IndexFile.Pack p : f.packs()) {
            ByteBuffer pk = fileKey(p.id());
            ByteBuffer have = packIds.get(txn, pk);
            int ord;
            if (have != null) {
                ord = have.getInt(have.position());
            } else {
                if (c.nextPack > 0xFFFF_FFFFL) {
                    throw new IllegalStateException("more than 2^32 packs");
                }
                ord = (int) c.nextPack++;
                ByteBuffer v = ByteBuffer.allocateDirect(PACK_VALUE_LENGTH);
                p.id().copyTo(v);
                v.put(p.salt()).putLong(p.length()).flip();
                packs.put(txn, u32Key(Integer.toUnsignedLong(ord)), v, PutFlags.MDB_APPEND);
                ByteBuffer ov = ByteBuffer.allocateDirect(4);
                ov.putInt(ord).flip();
                packIds.put(txn, pk, ov);
            }
            for (PackEntry e : p.entries()) {
                out.add(new IndexEntry(e.id(), ord, e));
            }
        }
    }

    private static ByteBuffer encode(ByteBuffer v, IndexEntry p, long ordinal) {
        PackEntry e = p.entry();
        v.clear();
        v.putInt(p.packOrd()).putInt((int) e.offset()).putInt(e.storedLength()).putInt(e.rawLength())
                .put((byte) e.type().code()).put((byte) e.flags()).putInt((int) ordinal);
        return v.flip();
    }

    @Override
    public synchronized void rebuild(Collection<FileId> ids, Loader loader) throws IOException {
        exclusively(() -> {
            // Another process may have rebuilt to the same state while this one waited.
            Set<FileId> now = indexFiles();
            if (!now.isEmpty() && now.equals(new HashSet<>(ids))) {
                return;
            }
            rebuildLocked(ids, loader);
        });
    }

    private void rebuildLocked(Collection<FileId> ids, Loader loader) throws IOException {
        Counters c = new Counters();
        try (Txn<ByteBuffer> txn = env.txnWrite()) {
            for (Dbi<ByteBuffer> db : List.of(files, packs, packIds, blobs, ords)) {
                db.drop(txn);
            }
            meta.put(txn, rebuildingKey(), direct(new byte[] {1}));
            txn.commit();
        }
        try (SortedRuns runs = new SortedRuns(dir)) {
            List<IndexEntry> buffer = new ArrayList<>();
            Txn<ByteBuffer> txn = env.txnWrite();
            try {
                int filesInTxn = 0;
                for (FileId id : ids) {
                    IndexFile f = loader.load(id);
                    if (f == null) {
                        continue;
                    }
                    collect(txn, f, c, buffer);
                    files.put(txn, fileKey(id), direct(new byte[0]));
                    if (++filesInTxn >= 256) {
                        txn.commit();
                        txn.close();
                        txn = env.txnWrite();
                        filesInTxn = 0;
                    }
                    if (buffer.size() >= RUN_ENTRIES) {
                        buffer.sort(BY_ID);
                        runs.spill(buffer);
                        buffer.clear();
                    }
                }
                txn.commit();
            } finally {
                txn.close();
            }
            buffer.sort(BY_ID);
            bulkLoad(runs.merge(buffer), c);
        }
    }

    /** Appends entries arriving in ascending id order, dropping duplicates. */
    private void bulkLoad(SortedRuns.Source sorted, Counters c) throws IOException {
        ByteBuffer value = ByteBuffer.allocateDirect(VALUE_LENGTH);
        BlobId last = null;
        Txn<ByteBuffer> txn = env.txnWrite();
        try {
            int inTxn = 0;
            for (IndexEntry e = sorted.next(); e != null; e = sorted.next()) {
                if (e.id().equals(last)) {
                    continue;
                }
                last = e.id();
                long ord = c.nextBlob++;
                blobs.put(txn, key(e.id()), encode(value, e, ord),
                        PutFlags.MDB_APPEND);
                ords.put(txn, u32Key(ord), key(e.id()), PutFlags.MDB_APPEND);
                if (++inTxn >= COMMIT_EVERY) {
                    txn.commit();
                    txn.close();
                    txn = env.txnWrite();
                    inTxn = 0;
                }
            }
            meta.delete(txn, rebuildingKey());
            txn.commit();
        } finally {
            txn.close();
        }
    }

    /** Visible for tests: how many entries each table holds. */
    Map<String, Long> sizes() {
        Map<String, Long> out = new HashMap<>();
        try (Txn<ByteBuffer> txn = env.txnRead()) {
            out.put("files", files.stat(txn).entries);
            out.put("packs", packs.stat(txn).entries);
            out.put("blobs", blobs.stat(txn).entries);
            out.put("ords", ords.stat(txn).entries);
        }
        return out;
    }

    @Override
    public void close() {
        env.close();
    }
}
