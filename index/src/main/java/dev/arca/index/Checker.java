package dev.arca.index;

import dev.arca.format.CorruptObjectException;
import dev.arca.format.MissingObjectException;
import dev.arca.format.RepositoryException;
import dev.arca.format.UnsupportedVersionException;
import dev.arca.format.backend.Backend;
import dev.arca.format.backend.FileType;
import dev.arca.format.backend.Handle;
import dev.arca.format.id.BlobId;
import dev.arca.format.id.FileId;
import dev.arca.format.index.BlobIndex;
import dev.arca.format.index.BlobLocation;
import dev.arca.format.index.IndexFile;
import dev.arca.format.mark.Mark;
import dev.arca.format.pack.PackEntry;
import dev.arca.format.pack.PackFormat;
import dev.arca.format.repo.Repository;
import dev.arca.format.repo.SnapshotRef;
import dev.arca.format.tree.Node;
import dev.arca.format.tree.Tree;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.roaringbitmap.RoaringBitmap;

/**
 * Verifies a repository, as {@code arca check} does.
 *
 * <p>Always: every index file and snapshot opens; every pack an index file lists exists with the
 * listed size; every tree and data blob that a snapshot reaches is in the index and every tree
 * decodes. Packs that no index file lists are reported as warnings (a crashed backup leaves them;
 * prune removes them). With {@code readData} (optionally a subset {@code n/t} of the packs, chosen
 * by the first byte of their ids), every pack is read whole: its SHA-256 must equal its name, its
 * header must open and agree with the index, and every blob must authenticate and match its id.
 *
 * <p>Prune's marks: every mark file must open, and no blob a snapshot needs may be held only by
 * packs that a delete mark names (and no cancellation keeps).
 *
 * <p>Trees reached from many snapshots are checked once: visited trees are a bitmap over blob
 * ordinals.
 */
public final class Checker {
    /**
     * What to check. {@code subsetTotal == 0} means all packs, unless {@code fraction < 1}: then a
     * random share of the packs, chosen afresh on every run with {@code seed}.
     */
    public record Options(boolean readData, int subsetIndex, int subsetTotal, double fraction, long seed) {
        public static final Options STRUCTURE = new Options(false, 0, 0);

        public Options(boolean readData, int subsetIndex, int subsetTotal) {
            this(readData, subsetIndex, subsetTotal, 1.0, 0);
        }

        /** Reads a random {@code fraction} (0..1] of the packs. */
        public static Options percentage(double fraction, long seed) {
            return new Options(true, 0, 0, fraction, seed);
        }

        public boolean selects(FileId pack) {
            if (fraction < 1.0) {
                long h = pack.hashCode() * 0x9E3779B97F4A7C15L ^ seed;
                h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L;
                h ^= h >>> 29;
                return (h >>> 11) * 0x1.0p-53 < fraction;
            }
            return subsetTotal == 0 || pack.firstByte() % subsetTotal == subsetIndex - 1;
        }
    }

    /** Receives findings and progress. */
    public interface Listener {
        void error(String object, String message);

        void warning(String message);

        /** Called after each pack read with --read-data. */
        default void packRead(long bytes) {
        }

        /** Called once the number of packs to read is known. */
        default void readPlan(long packs, long bytes) {
        }
    }

    /** Counts of what was checked and found. */
    public record Result(long errors, long warnings, long snapshots, long packs, long packsRead, long bytesRead,
                         long blobsVerified) {
        public boolean ok() {
            return errors == 0;
        }
    }

    private final Repository repo;
    private final Options options;
    private final Listener listener;
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong warnings = new AtomicLong();
    private final AtomicLong blobsVerified = new AtomicLong();
    private final AtomicLong bytesRead = new AtomicLong();

    public Checker(Repository repo, Options options, Listener listener) {
        if (options.readData()) {
            dev.arca.format.crypto.CryptoWarmup.start();
        }
        this.repo = repo;
        this.options = options;
        this.listener = listener;
    }

    private void error(String object, String message) {
        errors.incrementAndGet();
        listener.error(object, message);
    }

    private void error(RepositoryException e) {
        String object = e instanceof CorruptObjectException c ? c.object()
                : e instanceof MissingObjectException m ? m.object() : "";
        String msg = e.getMessage();
        if (!object.isEmpty() && msg.startsWith(object + ": ")) {
            msg = msg.substring(object.length() + 2);
        }
        error(object, msg);
    }

    private void warning(String message) {
        warnings.incrementAndGet();
        listener.warning(message);
    }

    public Result run() throws IOException {
        Backend backend = repo.backend();
        Map<FileId, Long> packSizes = new HashMap<>();
        backend.list(FileType.PACK, f -> {
            if (FileId.isValid(f.handle().name())) {
                packSizes.put(FileId.fromHex(f.handle().name()), f.size());
            } else {
                warnings.incrementAndGet();
                listener.warning("unexpected file " + f.handle().path());
            }
        });
        List<FileId> indexIds = new ArrayList<>();
        backend.list(FileType.INDEX, f -> {
            if (FileId.isValid(f.handle().name())) {
                indexIds.add(FileId.fromHex(f.handle().name()));
            }
        });
        indexIds.sort(null);

        // Index files: each must open; the packs they list must exist with their size. Memory
        // holds one index file and a set of pack ids, never every blob.
        Set<FileId> indexed = new HashSet<>();
        List<FileId> readableIndexes = new ArrayList<>();
        for (FileId id : indexIds) {
            IndexFile file = loadIndex(id);
            if (file == null) {
                continue;
            }
            readableIndexes.add(id);
            for (IndexFile.Pack p : file.packs()) {
                indexed.add(p.id());
                Long size = packSizes.get(p.id());
                String object = Repository.packHandle(p.id()).path();
                if (size == null) {
                    error(object, "missing (listed in index/" + id.hex() + ")");
                } else if (size != p.length()) {
                    error(object, "has " + size + " bytes, index/" + id.hex() + " says " + p.length());
                }
            }
        }
        for (FileId pack : packSizes.keySet()) {
            if (!indexed.contains(pack)) {
                warning("pack " + Repository.packHandle(pack).path() + " is not in any index (left by an "
                        + "interrupted backup; prune removes it)");
            }
        }

        // The local index, without the unreadable index files (already reported above).
        repo.syncIndex(e -> { });
        BlobIndex index = repo.index();

        loadMarks(packSizes);
        List<SnapshotRef> snapshots = repo.snapshots(this::error);
        RoaringBitmap seenTrees = new RoaringBitmap();
        for (SnapshotRef s : snapshots) {
            checkTree(index, s.snapshot().treeId(), "snapshot " + s.id().shortHex() + " /", seenTrees);
        }
        checkMarkedInUse(readableIndexes);

        long packsRead = 0;
        if (options.readData()) {
            packsRead = readData(packSizes, readableIndexes);
        }
        return new Result(errors.get(), warnings.get(), snapshots.size(), packSizes.size(), packsRead,
                bytesRead.get(), blobsVerified.get());
    }

    /** Packs that delete marks name and no cancellation keeps, with the mark naming each. */
    private final Map<FileId, FileId> marked = new HashMap<>();
    /** Blobs snapshots need whose indexed copy is in a marked pack: blob → the path needing it. */
    private final Map<BlobId, String> neededFromMarked = new HashMap<>();

    private void loadMarks(Map<FileId, Long> packSizes) throws IOException {
        List<Repository.MarkRef> marks = repo.marks(this::error);
        Set<String> cancelled = new HashSet<>();
        for (Repository.MarkRef m : marks) {
            if (m.mark().kind() == Mark.Kind.CANCEL) {
                m.mark().items().forEach(i -> cancelled.add(i.mark().hex() + i.pack().hex()));
            }
        }
        for (Repository.MarkRef m : marks) {
            if (m.mark().kind() == Mark.Kind.DELETE) {
                for (Mark.Item i : m.mark().items()) {
                    if (!cancelled.contains(m.id().hex() + i.pack().hex()) && packSizes.containsKey(i.pack())) {
                        marked.put(i.pack(), m.id());
                    }
                }
            }
        }
    }

    private void noteUse(BlobLocation loc, String path) {
        if (loc != null && marked.containsKey(loc.pack())) {
            synchronized (neededFromMarked) {
                neededFromMarked.putIfAbsent(loc.id(), path);
            }
        }
    }

    /**
     * A blob a snapshot needs must not live only in packs marked for deletion: the next prune
     * would keep such a pack (a snapshot appeared that uses it again), but until then the
     * repository depends on a pack that is meant to go.
     */
    private void checkMarkedInUse(List<FileId> indexIds) throws IOException {
        if (neededFromMarked.isEmpty()) {
            return;
        }
        Map<BlobId, FileId> onlyIn = new HashMap<>();
        for (FileId id : indexIds) {
            IndexFile file = loadIndex(id);
            if (file == null) {
                continue;
            }
            for (IndexFile.Pack p : file.packs()) {
                boolean isMarked = marked.containsKey(p.id());
                for (PackEntry e : p.entries()) {
                    if (!neededFromMarked.containsKey(e.id())) {
                        continue;
                    }
                    if (isMarked) {
                        onlyIn.putIfAbsent(e.id(), p.id());
                    } else {
                        neededFromMarked.remove(e.id());
                        onlyIn.remove(e.id());
                    }
                }
            }
        }
        Map<FileId, Integer> perPack = new HashMap<>();
        Map<FileId, String> example = new HashMap<>();
        for (Map.Entry<BlobId, String> e : neededFromMarked.entrySet()) {
            FileId pack = onlyIn.get(e.getKey());
            if (pack != null) {
                perPack.merge(pack, 1, Integer::sum);
                example.putIfAbsent(pack, e.getValue());
            }
        }
        for (Map.Entry<FileId, Integer> e : perPack.entrySet()) {
            error(Repository.packHandle(e.getKey()).path(), "is marked for deletion (marks/"
                    + marked.get(e.getKey()).hex() + ") but " + e.getValue() + " blob(s) that snapshots need are in no "
                    + "other pack (e.g. for " + example.get(e.getKey()) + "); the next prune keeps it");
        }
    }

    private IndexFile loadIndex(FileId id) throws IOException {
        try {
            return repo.loadIndexFile(id);
        } catch (CorruptObjectException | MissingObjectException | UnsupportedVersionException e) {
            error(e);
            return null;
        }
    }

    private void checkTree(BlobIndex index, BlobId treeId, String where, RoaringBitmap seenTrees) throws IOException {
        long ord = index.ordinal(treeId);
        if (ord < 0) {
            error("tree " + treeId.hex(), "missing from the index (needed by " + where + ")");
            return;
        }
        if (!seenTrees.checkedAdd((int) ord)) {
            return;
        }
        if (!marked.isEmpty()) {
            noteUse(index.find(treeId), where);
        }
        Tree tree;
        try {
            tree = repo.loadTree(treeId);
        } catch (CorruptObjectException | MissingObjectException e) {
            error(e.getMessage().startsWith("tree ") || e.getMessage().startsWith("blob ")
                    ? "tree " + treeId.hex() : objectOf(e), e.getMessage() + " (needed by " + where + ")");
            return;
        }
        for (Node n : tree.nodes()) {
            String path = where + (where.endsWith("/") ? "" : "/") + n.name();
            if (n.isDir()) {
                checkTree(index, n.subtree(), path, seenTrees);
            } else if (n.isFile()) {
                List<BlobId> content;
                try {
                    content = repo.contentOf(n);
                } catch (CorruptObjectException | MissingObjectException e) {
                    error(objectOf(e), e.getMessage() + " (content list of " + path + ")");
                    continue;
                }
                for (BlobId id : content) {
                    BlobLocation loc = index.find(id);
                    if (loc == null) {
                        error("blob " + id.hex(), "missing from the index (needed by " + path + ")");
                    }
                    noteUse(loc, path);
                }
                if (n.contentIsIndirect() && !marked.isEmpty()) {
                    for (BlobId id : n.content()) {
                        noteUse(index.find(id), path);
                    }
                }
            }
        }
    }

    private static String objectOf(RepositoryException e) {
        return e instanceof CorruptObjectException c ? c.object() : e instanceof MissingObjectException m ? m.object() : "";
    }

    /**
     * Reads every chosen pack once, index file by index file, so that the index entries a pack is
     * compared with are in memory only while that index file's packs are read.
     */
    private long readData(Map<FileId, Long> packSizes, List<FileId> indexIds) throws IOException {
        long bytes = 0;
        long count = 0;
        for (Map.Entry<FileId, Long> e : packSizes.entrySet()) {
            if (options.selects(e.getKey())) {
                count++;
                bytes += e.getValue();
            }
        }
        listener.readPlan(count, bytes);
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "arca-check");
            t.setDaemon(true);
            return t;
        });
        Semaphore inFlight = new Semaphore(2 * threads);
        List<Future<?>> futures = new ArrayList<>();
        Set<FileId> read = new HashSet<>();
        try {
            for (FileId id : indexIds) {
                IndexFile file = loadIndex(id);
                if (file == null) {
                    continue;
                }
                for (IndexFile.Pack p : file.packs()) {
                    if (packSizes.containsKey(p.id()) && options.selects(p.id()) && read.add(p.id())) {
                        submit(pool, inFlight, futures, p.id(), packSizes.get(p.id()), p.entries());
                    }
                }
            }
            for (Map.Entry<FileId, Long> e : packSizes.entrySet()) {
                if (options.selects(e.getKey()) && read.add(e.getKey())) {
                    submit(pool, inFlight, futures, e.getKey(), e.getValue(), null);
                }
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("check interrupted");
                } catch (ExecutionException ee) {
                    Throwable c = ee.getCause();
                    throw c instanceof IOException io ? io : new IOException(c);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return read.size();
    }

    private void submit(ExecutorService pool, Semaphore inFlight, List<Future<?>> futures, FileId pack, long size,
                        List<PackEntry> listed) throws IOException {
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("check interrupted");
        }
        futures.add(pool.submit(() -> {
            try {
                checkPack(pack, size, listed);
            } catch (IOException | RuntimeException e) {
                // One unreadable pack must not stop the check of the others.
                error(Repository.packHandle(pack).path(), "cannot be read: " + e.getMessage());
            } finally {
                inFlight.release();
            }
            return null;
        }));
    }

    /**
     * Verifies one pack while streaming it: the header from its tail, then every blob in order,
     * then the SHA-256 of all its bytes against its name. Memory: one blob.
     */
    private void checkPack(FileId pack, long size, List<PackEntry> listed) throws IOException {
        Handle h = Repository.packHandle(pack);
        String object = h.path();
        if (size > PackFormat.MAX_PACK_LENGTH) {
            error(object, "larger than any pack can be (" + size + " bytes)");
            return;
        }
        List<PackEntry> entries;
        byte[] salt;
        try {
            entries = repo.readPackHeader(pack, size);
            salt = PackFormat.parseLead(repo.backend().readRange(h, 0, PackFormat.LEAD_LENGTH), object);
        } catch (CorruptObjectException | UnsupportedVersionException | MissingObjectException e) {
            error(object, strip(e.getMessage()));
            hashOnly(h, pack, object);
            return;
        }
        if (listed != null) {
            compareWithIndex(object, entries, listed);
        }
        MessageDigest sha = FileId.sha256();
        long streamed;
        try (InputStream raw = repo.backend().openRange(h, 0, -1);
             DigestInputStream in = new DigestInputStream(raw, sha)) {
            in.readNBytes(PackFormat.LEAD_LENGTH);
            streamed = PackFormat.LEAD_LENGTH;
            for (PackEntry e : entries) {
                byte[] sealed = in.readNBytes(e.storedLength());
                streamed += sealed.length;
                listener.packRead(sealed.length);
                if (sealed.length != e.storedLength()) {
                    error(object, "truncated inside blob " + e.id().shortHex());
                    break;
                }
                try {
                    repo.openBlob(pack, salt, e, sealed, 0);
                    blobsVerified.incrementAndGet();
                } catch (CorruptObjectException x) {
                    error(object, strip(x.getMessage()));
                }
            }
            streamed += in.transferTo(OutputStream.nullOutputStream());
        } catch (NoSuchFileException e) {
            error(object, "vanished during the check");
            return;
        }
        bytesRead.addAndGet(streamed);
        if (!FileId.fromBytes(sha.digest()).equals(pack)) {
            error(object, "content does not match its name (SHA-256 differs): the file is damaged");
        }
    }

    /** For a pack whose header cannot be read: still say whether its bytes match its name. */
    private void hashOnly(Handle h, FileId pack, String object) throws IOException {
        MessageDigest sha = FileId.sha256();
        try (InputStream in = new DigestInputStream(repo.backend().openRange(h, 0, -1), sha)) {
            bytesRead.addAndGet(in.transferTo(OutputStream.nullOutputStream()));
        } catch (NoSuchFileException e) {
            return;
        }
        if (!FileId.fromBytes(sha.digest()).equals(pack)) {
            error(object, "content does not match its name (SHA-256 differs): the file is damaged");
        }
    }

    private static String strip(String message) {
        int i = message.indexOf(": ");
        return i >= 0 ? message.substring(i + 2) : message;
    }

    private void compareWithIndex(String object, List<PackEntry> inPack, List<PackEntry> inIndex) {
        Map<BlobId, PackEntry> byId = new HashMap<>();
        for (PackEntry e : inPack) {
            byId.put(e.id(), e);
        }
        for (PackEntry e : inIndex) {
            PackEntry p = byId.get(e.id());
            if (p == null) {
                error(object, "index lists blob " + e.id().shortHex() + " that the pack header does not hold");
            } else if (!p.equals(e)) {
                error(object, "index and pack header disagree about blob " + e.id().shortHex());
            }
        }
    }
}
