package dev.arca.format.repo;

import dev.arca.chunker.ChunkerParams;
import dev.arca.chunker.FastCdc;
import dev.arca.chunker.GearTable;
import dev.arca.format.CorruptObjectException;
import dev.arca.format.MissingObjectException;
import dev.arca.format.NoRepositoryException;
import dev.arca.format.NoSuchSnapshotException;
import dev.arca.format.RepositoryException;
import dev.arca.format.RepositoryExistsException;
import dev.arca.format.ResourceLimitException;
import dev.arca.format.UnsupportedVersionException;
import dev.arca.format.WrongPasswordException;
import dev.arca.format.backend.Backend;
import dev.arca.format.backend.FileType;
import dev.arca.format.backend.Handle;
import dev.arca.format.backend.Payload;
import dev.arca.format.crypto.BlobHasher;
import dev.arca.format.crypto.KdfParams;
import dev.arca.format.crypto.KeyFile;
import dev.arca.format.crypto.MasterKeys;
import dev.arca.format.crypto.SealedFile;
import dev.arca.format.id.BlobId;
import dev.arca.format.id.BlobType;
import dev.arca.format.id.FileId;
import dev.arca.format.index.BlobIndex;
import dev.arca.format.index.BlobLocation;
import dev.arca.format.index.IndexFile;
import dev.arca.format.mark.Mark;
import dev.arca.format.pack.PackEntry;
import dev.arca.format.pack.PackFormat;
import dev.arca.format.snapshot.Snapshot;
import dev.arca.format.tree.Node;
import dev.arca.format.tree.Tree;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;

/**
 * An open repository: the only way engines read and write one.
 *
 * <p>Thread-safe. Reads may run from many threads; writes go through {@link BlobWriter}s
 * ({@link #newWriter()}), any number at once, each storing only new, uniquely named files. A
 * snapshot is stored with {@link #saveSnapshot} after the writer that stored its blobs has been
 * flushed (spec §13: packs, then index, then snapshot).
 *
 * <p>Every blob read is authenticated and checked against its id; failures are
 * {@link CorruptObjectException}s naming the pack, missing files {@link MissingObjectException}s.
 */
public final class Repository implements AutoCloseable {
    /** Opens the local blob index for a repository id. */
    @FunctionalInterface
    public interface IndexFactory {
        BlobIndex open(String repositoryId) throws IOException;
    }

    /** Parameters for {@link #init}. */
    public record InitOptions(ChunkerParams chunker, int packSize, KdfParams kdf, String host, String user,
                              MasterKeys copyKeysFrom) {
        public static InitOptions defaults(String host, String user) {
            return new InitOptions(ChunkerParams.DEFAULT, Config.DEFAULT_PACK_SIZE, KdfParams.DEFAULT, host, user, null);
        }

        public InitOptions withKdf(KdfParams k) {
            return new InitOptions(chunker, packSize, k, host, user, copyKeysFrom);
        }

        public InitOptions withChunker(ChunkerParams c) {
            return new InitOptions(c, packSize, kdf, host, user, copyKeysFrom);
        }

        public InitOptions withPackSize(int p) {
            return new InitOptions(chunker, p, kdf, host, user, copyKeysFrom);
        }
    }

    /** Trees kept decoded, by the bytes of their encodings: big directories count as what they are. */
    private static final long TREE_CACHE_BYTES = 8L << 20;

    private final Backend backend;
    private final MasterKeys keys;
    private final FileId keyId;
    private final Config config;
    private final IndexFactory indexFactory;
    private final SecureRandom random;
    private final BlobHasher hasher;
    private final FastCdc chunker;
    private final Map<String, SecretKey> packKeys = new ConcurrentHashMap<>();
    private final TreeCache treeCache = new TreeCache(TREE_CACHE_BYTES);
    private BlobIndex index;
    private int compressionLevel = DEFAULT_COMPRESSION_LEVEL;

    private Repository(Backend backend, MasterKeys keys, FileId keyId, Config config, IndexFactory indexFactory,
                       SecureRandom random) {
        this.backend = backend;
        this.keys = keys;
        this.keyId = keyId;
        this.config = config;
        this.indexFactory = indexFactory;
        this.random = random;
        this.hasher = new BlobHasher(keys.idKey());
        this.chunker = new FastCdc(GearTable.derive(keys.chunkerSecret()), config.chunkerParams());
    }

    /**
     * Creates a repository at an empty location and opens it.
     *
     * @throws RepositoryExistsException if the location already holds files
     */
    public static Repository init(Backend backend, char[] password, InitOptions options, IndexFactory indexFactory,
                                  SecureRandom random) throws IOException {
        if (backend.exists(Handle.CONFIG)) {
            throw new RepositoryExistsException("a repository already exists at " + backend.location());
        }
        if (!backend.isEmpty()) {
            throw new RepositoryExistsException(backend.location() + " is not empty; arca creates repositories only in "
                    + "an empty or new directory");
        }
        MasterKeys keys = options.copyKeysFrom() == null
                ? MasterKeys.generate(random)
                : options.copyKeysFrom().withFreshEncryptionKey(random);
        byte[] rid = new byte[32];
        random.nextBytes(rid);
        Instant now = Instant.now();
        Config config = Config.create(HexFormat.of().formatHex(rid), now.toString(), options.chunker(), options.packSize());
        try {
            config.validate("config");
        } catch (CorruptObjectException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        KeyFile kf = KeyFile.create(keys, password, options.kdf(), random, options.host(), options.user(), now);
        byte[] keyBytes = kf.encode();
        FileId keyId = FileId.of(keyBytes);
        // The key goes first: a config without a key would be a repository nobody can open.
        backend.save(new Handle(FileType.KEY, keyId.hex()), Payload.of(keyBytes));
        byte[] cfg = SealedFile.seal(keys.encKey(), Config.MAGIC, Config.FILE_VERSION_CURRENT, config.encode(), random);
        backend.save(Handle.CONFIG, Payload.of(cfg));
        return new Repository(backend, keys, keyId, config, indexFactory, random);
    }

    /**
     * Opens a repository with a password.
     *
     * @throws NoRepositoryException        if there is no config
     * @throws UnsupportedVersionException  if a newer arca wrote it
     * @throws WrongPasswordException       if no key file opens with the password
     */
    public static Repository open(Backend backend, char[] password, IndexFactory indexFactory, SecureRandom random)
            throws IOException {
        byte[] cfg = readConfigFile(backend);
        List<Backend.FileInfo> keyFiles = new ArrayList<>();
        backend.list(FileType.KEY, keyFiles::add);
        if (keyFiles.isEmpty()) {
            throw new CorruptObjectException("keys/", "the repository has no key files");
        }
        // Parse every key file first and try the cheapest first: a key file planted in the storage
        // with an expensive key derivation must not stall opening with the real one.
        RepositoryException firstProblem = null;
        ResourceLimitException tooBig = null;
        record Candidate(Backend.FileInfo info, KeyFile file) {
        }
        List<Candidate> candidates = new ArrayList<>();
        for (Backend.FileInfo info : keyFiles) {
            String object = info.handle().path();
            try {
                byte[] bytes = backend.readAll(info.handle());
                checkName(info.handle(), bytes);
                candidates.add(new Candidate(info, KeyFile.parse(bytes, object)));
            } catch (CorruptObjectException | UnsupportedVersionException e) {
                if (firstProblem == null) {
                    firstProblem = e;
                }
            }
        }
        candidates.sort(java.util.Comparator.comparingLong(c -> c.file().cost()));
        for (Candidate c : candidates) {
            String object = c.info().handle().path();
            MasterKeys keys;
            try {
                keys = c.file().open(password, object);
            } catch (WrongPasswordException e) {
                continue;
            } catch (ResourceLimitException e) {
                tooBig = e;
                continue;
            } catch (CorruptObjectException e) {
                if (firstProblem == null) {
                    firstProblem = e;
                }
                continue;
            }
            // The password is right: from here on, problems are the repository's, not the password's.
            String name = c.info().handle().name();
            return open(backend, keys, FileId.isValid(name) ? FileId.fromHex(name) : null, cfg, indexFactory, random);
        }
        if (tooBig != null) {
            throw tooBig;
        }
        if (firstProblem != null) {
            throw new WrongPasswordException("no key file opens with this password (and " + firstProblem.getMessage() + ")");
        }
        throw new WrongPasswordException("wrong password: none of the " + keyFiles.size()
                + " key files of " + backend.location() + " opens with it");
    }

    /** Opens a repository with master keys already at hand (tests, copy between repositories). */
    public static Repository open(Backend backend, MasterKeys keys, IndexFactory indexFactory, SecureRandom random)
            throws IOException {
        return open(backend, keys, null, readConfigFile(backend), indexFactory, random);
    }

    private static Repository open(Backend backend, MasterKeys keys, FileId keyId, byte[] cfg, IndexFactory indexFactory,
                                   SecureRandom random) throws IOException {
        SealedFile.Opened opened = SealedFile.open(keys.encKey(), cfg, Config.MAGIC, Config.FILE_VERSION_START,
                Config.FILE_VERSION_CURRENT, "config", "config");
        Config config = Config.decode(opened.content(), "config");
        if (config.version < Config.REPO_VERSION_START || config.version > Config.REPO_VERSION_CURRENT) {
            throw new UnsupportedVersionException("config", "repository format", config.version,
                    Config.REPO_VERSION_START, Config.REPO_VERSION_CURRENT);
        }
        config.validate("config");
        return new Repository(backend, keys, keyId, config, indexFactory, random);
    }

    private static byte[] readConfigFile(Backend backend) throws IOException {
        byte[] cfg;
        try {
            cfg = backend.readAll(Handle.CONFIG);
        } catch (NoSuchFileException e) {
            throw new NoRepositoryException("no arca repository at " + backend.location() + " (it has no config file)");
        }
        int version = SealedFile.version(cfg, Config.MAGIC, "config");
        if (version < Config.FILE_VERSION_START || version > Config.FILE_VERSION_CURRENT) {
            throw new UnsupportedVersionException("config", "config file", version, Config.FILE_VERSION_START,
                    Config.FILE_VERSION_CURRENT);
        }
        return cfg;
    }

    /** Whether the backend holds a repository (a config file). */
    public static boolean exists(Backend backend) throws IOException {
        return backend.exists(Handle.CONFIG);
    }

    // ---------------------------------------------------------------- accessors

    public Backend backend() {
        return backend;
    }

    public Config config() {
        return config;
    }

    public String id() {
        return config.id;
    }

    public FastCdc chunker() {
        return chunker;
    }

    public BlobHasher hasher() {
        return hasher;
    }

    /** The master keys, for init of a repository that shares content keys with this one. */
    public MasterKeys keys() {
        return keys;
    }

    public int compressionLevel() {
        return compressionLevel;
    }

    /**
     * The zstd level new blobs get unless told otherwise: on the benchmark corpora it stores within
     * 1% of restic's default and compresses about 1.4× faster than level 3.
     */
    public static final int DEFAULT_COMPRESSION_LEVEL = 2;

    /** zstd level for new blobs; 0 stores blobs uncompressed. */
    public void setCompressionLevel(int level) {
        if (level < -7 || level > 22) {
            throw new IllegalArgumentException("zstd level must be -7..22 (0 = off), got " + level);
        }
        this.compressionLevel = level;
    }

    SecureRandom random() {
        return random;
    }

    // ---------------------------------------------------------------- the index

    /** The blob index, synced with the repository's index files on first use. */
    public synchronized BlobIndex index() throws IOException {
        if (index == null) {
            index = indexFactory.open(config.id);
            syncIndex();
        }
        return index;
    }

    /**
     * Brings the index up to date with the index files present now: merges new ones, and
     * rebuilds from scratch when one it merged has disappeared (superseded by prune). An index
     * file that cannot be read fails the sync.
     */
    public synchronized void syncIndex() throws IOException {
        syncIndex(e -> {
            throw new java.io.UncheckedIOException(e);
        });
    }

    /**
     * Like {@link #syncIndex()}, but an index file that cannot be read (corrupt, missing, too new)
     * is passed to {@code problems} and left out, so {@code check} can go on and report it.
     */
    public synchronized void syncIndex(java.util.function.Consumer<RepositoryException> problems) throws IOException {
        if (index == null) {
            index = indexFactory.open(config.id);
        }
        BlobIndex idx = index;
        Set<FileId> present = new HashSet<>();
        backend.list(FileType.INDEX, f -> {
            if (FileId.isValid(f.handle().name())) {
                present.add(FileId.fromHex(f.handle().name()));
            }
        });
        BlobIndex.Loader loader = id -> {
            try {
                return loadIndexFile(id);
            } catch (CorruptObjectException | MissingObjectException | UnsupportedVersionException e) {
                problems.accept(e);
                return null;
            }
        };
        try {
            Set<FileId> known = idx.indexFiles();
            List<FileId> missing = new ArrayList<>();
            for (FileId id : present) {
                if (!known.contains(id)) {
                    missing.add(id);
                }
            }
            if (!present.containsAll(known) || known.isEmpty() && !missing.isEmpty()) {
                idx.rebuild(present, loader);
            } else {
                List<BlobIndex.Loaded> batch = new ArrayList<>();
                long entries = 0;
                for (FileId id : missing) {
                    IndexFile f = loader.load(id);
                    if (f == null) {
                        continue;
                    }
                    batch.add(new BlobIndex.Loaded(id, f));
                    entries += f.blobCount();
                    if (entries >= 1_000_000) {
                        idx.add(batch);
                        batch.clear();
                        entries = 0;
                    }
                }
                idx.add(batch);
            }
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    // ---------------------------------------------------------------- reading

    /** Reads a stored file whose name is the SHA-256 of its bytes, checking that it is. */
    public byte[] readNamedFile(Handle h) throws IOException {
        byte[] bytes;
        try {
            bytes = backend.readAll(h);
        } catch (NoSuchFileException e) {
            throw new MissingObjectException(h.path(), "file is missing");
        }
        checkName(h, bytes);
        return bytes;
    }

    private static void checkName(Handle h, byte[] bytes) throws CorruptObjectException {
        if (FileId.isValid(h.name()) && !FileId.of(bytes).hex().equals(h.name())) {
            throw new CorruptObjectException(h.path(), "content does not match its name (SHA-256 differs)");
        }
    }

    public IndexFile loadIndexFile(FileId id) throws IOException {
        Handle h = new Handle(FileType.INDEX, id.hex());
        byte[] bytes = readNamedFile(h);
        SealedFile.Opened o = SealedFile.open(keys.encKey(), bytes, IndexFile.MAGIC, IndexFile.VERSION_START,
                IndexFile.VERSION_CURRENT, "index file", h.path());
        return IndexFile.decode(o.content(), h.path());
    }

    public Snapshot loadSnapshot(FileId id) throws IOException {
        Handle h = new Handle(FileType.SNAPSHOT, id.hex());
        byte[] bytes = readNamedFile(h);
        SealedFile.Opened o = SealedFile.open(keys.encKey(), bytes, Snapshot.MAGIC, Snapshot.VERSION_START,
                Snapshot.VERSION_CURRENT, "snapshot", h.path());
        return Snapshot.decode(o.content(), h.path());
    }

    /** Ids of all snapshot files. */
    public List<FileId> snapshotIds() throws IOException {
        List<FileId> ids = new ArrayList<>();
        backend.list(FileType.SNAPSHOT, f -> {
            if (FileId.isValid(f.handle().name())) {
                ids.add(FileId.fromHex(f.handle().name()));
            }
        });
        Collections.sort(ids);
        return ids;
    }

    /**
     * All snapshots, oldest first. Snapshots that cannot be read are passed to {@code problems}
     * and left out, so one damaged file does not hide the others.
     */
    public List<SnapshotRef> snapshots(java.util.function.Consumer<RepositoryException> problems) throws IOException {
        List<SnapshotRef> out = new ArrayList<>();
        for (FileId id : snapshotIds()) {
            try {
                out.add(new SnapshotRef(id, loadSnapshot(id)));
            } catch (CorruptObjectException | MissingObjectException | UnsupportedVersionException e) {
                problems.accept(e);
            }
        }
        out.sort((a, b) -> {
            int c = a.snapshot().instant().compareTo(b.snapshot().instant());
            return c != 0 ? c : a.id().compareTo(b.id());
        });
        return out;
    }

    /** The location of a blob, or a {@link MissingObjectException}. */
    public BlobLocation locate(BlobId id) throws IOException {
        BlobLocation loc = index().find(id);
        if (loc == null) {
            throw new MissingObjectException("blob " + id.hex(), "not in any index file");
        }
        return loc;
    }

    /** Reads, authenticates, decompresses and verifies one blob. */
    public byte[] loadBlob(BlobId id) throws IOException {
        return loadBlob(locate(id));
    }

    public byte[] loadBlob(BlobLocation loc) throws IOException {
        Handle h = packHandle(loc.pack());
        byte[] sealed;
        try {
            sealed = backend.readRange(h, loc.entry().offset(), loc.entry().storedLength());
        } catch (NoSuchFileException e) {
            // A prune may have deleted this copy after moving the blob to another pack: the index
            // files changed with it, so a fresh sync knows where the blob lives now.
            BlobLocation moved = relocate(loc);
            if (moved != null) {
                return loadBlob(moved);
            }
            throw new MissingObjectException(h.path(), "pack is missing (needed for blob " + loc.id().shortHex() + ")");
        } catch (java.io.EOFException e) {
            throw new CorruptObjectException(h.path(), "truncated: " + e.getMessage());
        }
        return openBlob(loc.pack(), loc.packSalt(), loc.entry(), sealed, 0);
    }

    /** The blob's location after a fresh index sync, if it is now in another pack that exists. */
    private BlobLocation relocate(BlobLocation loc) throws IOException {
        syncIndex();
        BlobLocation now = index().find(loc.id());
        if (now == null || now.pack().equals(loc.pack()) || !backend.exists(packHandle(now.pack()))) {
            return null;
        }
        return now;
    }

    /** Opens a sealed blob read from a pack; verifies its id. */
    public byte[] openBlob(FileId pack, byte[] salt, PackEntry e, byte[] sealed, int off) throws CorruptObjectException {
        String object = packHandle(pack).path();
        byte[] payload = PackFormat.openBlob(packKey(salt), e, sealed, off, object);
        byte[] plain = e.compressed()
                ? SealedFile.decompress(payload, 0, payload.length, e.rawLength(), object)
                : payload;
        if (plain.length != e.rawLength()) {
            throw new CorruptObjectException(object, "blob " + e.id().shortHex() + " has " + plain.length
                    + " bytes, the header says " + e.rawLength());
        }
        if (!hasher.id(plain).equals(e.id())) {
            throw new CorruptObjectException(object, "blob " + e.id().shortHex() + " does not match its id");
        }
        return plain;
    }

    public SecretKey packKey(byte[] salt) {
        return packKeys.computeIfAbsent(HexFormat.of().formatHex(salt), s -> PackFormat.packKey(keys.encKey(), salt));
    }

    /** Reads and decrypts a pack's header; {@code size} is the pack file's length. */
    public List<PackEntry> readPackHeader(FileId pack, long size) throws IOException {
        Handle h = packHandle(pack);
        try {
            byte[] lead = backend.readRange(h, 0, (int) Math.min(size, PackFormat.LEAD_LENGTH));
            byte[] salt = PackFormat.parseLead(lead, h.path());
            int tailLength = (int) Math.min(size, 256 << 10);
            byte[] tail = backend.readRange(h, size - tailLength, tailLength);
            long headerLength = ((tail[tailLength - 1] & 0xffL) << 24) | ((tail[tailLength - 2] & 0xff) << 16)
                    | ((tail[tailLength - 3] & 0xff) << 8) | (tail[tailLength - 4] & 0xff);
            if (headerLength + PackFormat.TRAILER_LENGTH > tailLength && headerLength + 4 + PackFormat.LEAD_LENGTH <= size) {
                tailLength = (int) (headerLength + PackFormat.TRAILER_LENGTH);
                tail = backend.readRange(h, size - tailLength, tailLength);
            }
            return PackFormat.openHeader(packKey(salt), lead, tail, size, h.path());
        } catch (NoSuchFileException e) {
            throw new MissingObjectException(h.path(), "pack is missing");
        } catch (java.io.EOFException e) {
            throw new CorruptObjectException(h.path(), "truncated: " + e.getMessage());
        }
    }

    /** A tree, from the cache or the repository. */
    public Tree loadTree(BlobId id) throws IOException {
        Tree t = treeCache.get(id);
        if (t == null) {
            BlobLocation loc = locate(id);
            if (loc.type() != BlobType.TREE) {
                throw new CorruptObjectException("blob " + id.hex(), "expected a tree, the index says " + loc.type());
            }
            t = Tree.decode(loadBlob(loc), "tree " + id.hex());
            treeCache.put(id, t, loc.rawLength());
        }
        return t;
    }

    /** A least-recently-used map of decoded trees, bounded by their encoded size. */
    private static final class TreeCache {
        private final long limit;
        private final LinkedHashMap<BlobId, Tree> trees = new LinkedHashMap<>(64, 0.75f, true);
        private final Map<BlobId, Integer> weights = new java.util.HashMap<>();
        private long weight;

        TreeCache(long limit) {
            this.limit = limit;
        }

        synchronized Tree get(BlobId id) {
            return trees.get(id);
        }

        synchronized void put(BlobId id, Tree t, int bytes) {
            if (bytes > limit / 4 || trees.containsKey(id)) {
                return;
            }
            trees.put(id, t);
            weights.put(id, bytes);
            weight += bytes;
            var it = trees.keySet().iterator();
            while (weight > limit && it.hasNext()) {
                BlobId eldest = it.next();
                weight -= weights.remove(eldest);
                it.remove();
            }
        }
    }

    /** A file node's data blob ids, resolving content-list blobs. */
    public List<BlobId> contentOf(Node file) throws IOException {
        if (!file.contentIsIndirect()) {
            return file.content();
        }
        List<BlobId> all = new ArrayList<>();
        for (BlobId listId : file.content()) {
            all.addAll(Tree.decodeContentList(loadBlob(listId), "content list " + listId.hex()));
        }
        return all;
    }

    public static Handle packHandle(FileId id) {
        return new Handle(FileType.PACK, id.hex());
    }

    /**
     * Resolves what a user typed: {@code latest}, a full id, or a unique prefix of at least 4
     * hex digits.
     *
     * @throws NoSuchSnapshotException  if nothing matches
     * @throws CorruptObjectException   for {@code latest} when a snapshot cannot be read: it might
     *                                  be the latest one, and restoring an older one silently
     *                                  would be wrong
     */
    public FileId resolveSnapshot(String spec, java.util.function.Predicate<Snapshot> filter) throws IOException {
        if (spec.equals("latest")) {
            List<RepositoryException> problems = new ArrayList<>();
            List<SnapshotRef> all = snapshots(problems::add);
            if (!problems.isEmpty()) {
                RepositoryException first = problems.get(0);
                String object = first instanceof CorruptObjectException c ? c.object()
                        : first instanceof MissingObjectException m ? m.object() : "snapshots/";
                throw new CorruptObjectException(object, "cannot tell which snapshot is the latest: " + problems.size()
                        + " snapshot file(s) cannot be read (" + first.getMessage() + "); name the snapshot by its id");
            }
            for (int i = all.size() - 1; i >= 0; i--) {
                if (filter.test(all.get(i).snapshot())) {
                    return all.get(i).id();
                }
            }
            throw new NoSuchSnapshotException("the repository has no snapshot yet"
                    + (all.isEmpty() ? "" : " that matches"));
        }
        if (spec.length() < 4 || !spec.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
            throw new IllegalArgumentException("a snapshot is 'latest' or at least 4 lowercase hex digits of its id, got '"
                    + spec + "'");
        }
        FileId match = null;
        for (FileId id : snapshotIds()) {
            if (id.hex().startsWith(spec)) {
                if (match != null) {
                    throw new IllegalArgumentException("snapshot prefix '" + spec + "' is ambiguous");
                }
                match = id;
            }
        }
        if (match == null) {
            throw new NoSuchSnapshotException("no snapshot has an id starting with " + spec);
        }
        return match;
    }

    // ---------------------------------------------------------------- writing

    /** A new writing session. */
    public BlobWriter newWriter() throws IOException {
        return new BlobWriter(this, index());
    }

    /** Stores a snapshot; call after the writer of its blobs has been flushed. */
    public FileId saveSnapshot(Snapshot s) throws IOException {
        byte[] bytes = SealedFile.seal(keys.encKey(), Snapshot.MAGIC, Snapshot.VERSION_CURRENT, s.encode(), random);
        FileId id = FileId.of(bytes);
        backend.save(new Handle(FileType.SNAPSHOT, id.hex()), Payload.of(bytes));
        return id;
    }

    /**
     * Removes a snapshot file. Its blobs stay until a prune finds them unused; removing a
     * snapshot that is already gone is not an error.
     */
    public void removeSnapshot(FileId id) throws IOException {
        backend.delete(new Handle(FileType.SNAPSHOT, id.hex()));
    }

    /**
     * A writing session for prune's repacking: it stores every blob it is given, even those the
     * index already lists (in packs about to be deleted), and does not track reuse.
     */
    public BlobWriter newRepackWriter() throws IOException {
        return new BlobWriter(this, index(), false);
    }

    /** Stores an index file (after the packs it lists); returns its id. */
    public FileId saveIndexFile(IndexFile f) throws IOException {
        byte[] bytes = SealedFile.seal(keys.encKey(), IndexFile.MAGIC, IndexFile.VERSION_CURRENT, f.encode(), random);
        FileId id = FileId.of(bytes);
        backend.save(new Handle(FileType.INDEX, id.hex()), Payload.of(bytes));
        return id;
    }

    // ---------------------------------------------------------------- prune marks (spec §13.1)

    /** A mark file and its content. */
    public record MarkRef(FileId id, Mark mark) {
    }

    /** Stores a mark file; returns its id. */
    public FileId saveMark(Mark m) throws IOException {
        byte[] bytes = SealedFile.seal(keys.encKey(), Mark.MAGIC, Mark.VERSION_CURRENT, m.encode(), random);
        FileId id = FileId.of(bytes);
        backend.save(new Handle(FileType.MARK, id.hex()), Payload.of(bytes));
        return id;
    }

    public Mark loadMark(FileId id) throws IOException {
        Handle h = new Handle(FileType.MARK, id.hex());
        byte[] bytes = readNamedFile(h);
        SealedFile.Opened o = SealedFile.open(keys.encKey(), bytes, Mark.MAGIC, Mark.VERSION_START, Mark.VERSION_CURRENT,
                "mark", h.path());
        return Mark.decode(o.content(), h.path());
    }

    /**
     * Every mark file, oldest first. Marks that cannot be read go to {@code problems}; a mark
     * that vanished while listing (a prune finished with it) is left out silently.
     */
    public List<MarkRef> marks(java.util.function.Consumer<RepositoryException> problems) throws IOException {
        List<FileId> ids = new ArrayList<>();
        backend.list(FileType.MARK, f -> {
            if (FileId.isValid(f.handle().name())) {
                ids.add(FileId.fromHex(f.handle().name()));
            }
        });
        List<MarkRef> out = new ArrayList<>();
        for (FileId id : ids) {
            try {
                out.add(new MarkRef(id, loadMark(id)));
            } catch (MissingObjectException e) {
                // deleted between list and read: its work is done
            } catch (CorruptObjectException | UnsupportedVersionException e) {
                problems.accept(e);
            }
        }
        out.sort(java.util.Comparator.comparing((MarkRef r) -> r.mark().created()).thenComparing(MarkRef::id));
        return out;
    }

    public void removeMark(FileId id) throws IOException {
        backend.delete(new Handle(FileType.MARK, id.hex()));
    }

    // ---------------------------------------------------------------- keys

    public List<KeyInfo> listKeys() throws IOException {
        List<Backend.FileInfo> files = new ArrayList<>();
        backend.list(FileType.KEY, files::add);
        List<KeyInfo> out = new ArrayList<>();
        for (Backend.FileInfo f : files) {
            String name = f.handle().name();
            if (!FileId.isValid(name)) {
                continue;
            }
            FileId id = FileId.fromHex(name);
            try {
                KeyFile kf = KeyFile.parse(readNamedFile(f.handle()), f.handle().path());
                out.add(new KeyInfo(id, id.equals(keyId), kf.created(), kf.host(), kf.user(), null));
            } catch (CorruptObjectException | UnsupportedVersionException | MissingObjectException e) {
                out.add(new KeyInfo(id, false, null, null, null, e.getMessage()));
            }
        }
        out.sort((a, b) -> String.valueOf(a.created()).compareTo(String.valueOf(b.created())));
        return out;
    }

    /** Adds a key file for another password; returns its id. */
    public FileId addKey(char[] password, KdfParams kdf, String host, String user) throws IOException {
        KeyFile kf = KeyFile.create(keys, password, kdf, random, host, user, Instant.now());
        byte[] bytes = kf.encode();
        FileId id = FileId.of(bytes);
        backend.save(new Handle(FileType.KEY, id.hex()), Payload.of(bytes));
        return id;
    }

    /** Removes a key file. The key this session was opened with cannot be removed. */
    public void removeKey(FileId id) throws IOException {
        if (id.equals(keyId)) {
            throw new IllegalArgumentException("refusing to remove the key this session was opened with; "
                    + "open with another password to remove it");
        }
        Handle h = new Handle(FileType.KEY, id.hex());
        if (!backend.exists(h)) {
            throw new MissingObjectException(h.path(), "no such key");
        }
        backend.delete(h);
    }

    /** Replaces the current key with one for a new password. */
    public FileId changePassword(char[] newPassword, KdfParams kdf, String host, String user) throws IOException {
        FileId added = addKey(newPassword, kdf, host, user);
        if (keyId != null) {
            backend.delete(new Handle(FileType.KEY, keyId.hex()));
        }
        return added;
    }

    /** The key file this session was opened with, or null when opened with raw master keys. */
    public FileId keyId() {
        return keyId;
    }

    @Override
    public synchronized void close() throws IOException {
        if (index != null) {
            index.close();
            index = null;
        }
    }
}
