package dev.arca.index;

import dev.arca.format.NoRepositoryException;
import dev.arca.format.backend.Backend;
import dev.arca.format.backend.FileType;
import dev.arca.format.backend.Handle;
import dev.arca.format.backend.Payload;
import dev.arca.format.id.FileId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A key-free mirror of a repository: every file is copied as stored to another location when it
 * is missing there (or has another size), and checked on arrival against its name, which is the
 * SHA-256 of its bytes; the config is compared byte for byte. No password is needed, so a mirror
 * can run where the keys must not be.
 *
 * <p>Order keeps the mirror a valid repository at every moment, as backups do (spec §13): keys
 * and config, then packs, then index files, then snapshots; with {@code delete}, what the source
 * no longer has goes in the reverse order (snapshots first, packs last). Locks are not mirrored.
 */
public final class Mirror {
    /** Options: delete extra files at the target; re-read and hash files the target already has. */
    public record Options(boolean delete, boolean verifyExisting, int threads) {
        public Options {
            if (threads < 1 || threads > 64) {
                throw new IllegalArgumentException("threads must be 1..64, got " + threads);
            }
        }
    }

    /** What happened. {@code errors} counts source files that are damaged (not mirrored). */
    public record Summary(long filesSent, long bytesSent, long filesSkipped, long bytesSkipped, long filesDeleted,
                          long damagedAtTarget, long errors) {
    }

    public interface Listener {
        /** A file that could not be mirrored (damaged at the source, or failing its check on arrival). */
        void error(String object, String message);

        /** A file the target had whose bytes did not match its name: it was sent again. */
        default void repaired(String object) {
        }
    }

    /**
     * Types in the order they are sent. Prune's delete marks come last: a mirror that is pruned
     * itself later needs them to know what is already marked, and they name only packs sent before.
     */
    private static final List<FileType> SEND_ORDER = List.of(FileType.KEY, FileType.PACK, FileType.INDEX,
            FileType.SNAPSHOT, FileType.MARK);

    private final Backend source;
    private final Backend target;
    private final Options options;
    private final Listener listener;
    private final AtomicLong filesSent = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong filesSkipped = new AtomicLong();
    private final AtomicLong bytesSkipped = new AtomicLong();
    private final AtomicLong filesDeleted = new AtomicLong();
    private final AtomicLong damaged = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong bytesDone = new AtomicLong();
    private volatile long bytesTotal;

    public Mirror(Backend source, Backend target, Options options, Listener listener) {
        this.source = source;
        this.target = target;
        this.options = options;
        this.listener = listener;
    }

    /** Bytes of source files handled so far, sent or skipped (for progress). */
    public long bytesDone() {
        return bytesDone.get();
    }

    /** Bytes of all source files, once listed. */
    public long bytesTotal() {
        return bytesTotal;
    }

    public long bytesSent() {
        return bytesSent.get();
    }

    public Summary run() throws IOException {
        byte[] config;
        try {
            config = source.readAll(Handle.CONFIG);
        } catch (NoSuchFileException e) {
            throw new NoRepositoryException("no arca repository at " + source.location() + " (it has no config file)");
        }
        byte[] targetConfig = null;
        try {
            targetConfig = target.readAll(Handle.CONFIG);
        } catch (NoSuchFileException e) {
            // A new mirror, or one interrupted before its config was stored.
        }
        if (targetConfig != null && !Arrays.equals(config, targetConfig)) {
            throw new IllegalStateException(target.location() + " holds another repository (its config differs from "
                    + source.location() + "'s); sync only mirrors one repository to an empty location or to its mirror");
        }
        Map<FileType, Map<Handle, Long>> have = new HashMap<>();
        Map<FileType, Map<Handle, Long>> want = new HashMap<>();
        long total = config.length;
        for (FileType t : SEND_ORDER) {
            want.put(t, listing(source, t));
            have.put(t, listing(target, t));
            total += want.get(t).values().stream().mapToLong(Long::longValue).sum();
        }
        bytesTotal = total;

        ExecutorService pool = Executors.newFixedThreadPool(options.threads(), r -> {
            Thread th = new Thread(r, "arca-sync");
            th.setDaemon(true);
            return th;
        });
        try {
            for (FileType t : SEND_ORDER) {
                List<Future<?>> futures = new ArrayList<>();
                for (Map.Entry<Handle, Long> e : want.get(t).entrySet()) {
                    Long there = have.get(t).get(e.getKey());
                    futures.add(pool.submit(() -> {
                        transfer(e.getKey(), e.getValue(), there);
                        return null;
                    }));
                }
                await(futures);
                if (t == FileType.KEY) {
                    // The config after the keys: a config without keys would be a repository nobody opens.
                    if (targetConfig == null) {
                        target.save(Handle.CONFIG, Payload.of(config));
                        filesSent.incrementAndGet();
                        bytesSent.addAndGet(config.length);
                    } else {
                        filesSkipped.incrementAndGet();
                        bytesSkipped.addAndGet(config.length);
                    }
                    bytesDone.addAndGet(config.length);
                }
            }
            if (options.delete()) {
                for (FileType t : List.of(FileType.MARK, FileType.SNAPSHOT, FileType.INDEX, FileType.KEY, FileType.PACK)) {
                    List<Future<?>> futures = new ArrayList<>();
                    for (Handle h : have.get(t).keySet()) {
                        if (!want.get(t).containsKey(h)) {
                            futures.add(pool.submit(() -> {
                                target.delete(h);
                                filesDeleted.incrementAndGet();
                                return null;
                            }));
                        }
                    }
                    await(futures);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new Summary(filesSent.get(), bytesSent.get(), filesSkipped.get(), bytesSkipped.get(), filesDeleted.get(),
                damaged.get(), errors.get());
    }

    private static Map<Handle, Long> listing(Backend b, FileType t) throws IOException {
        Map<Handle, Long> out = new HashMap<>();
        b.list(t, f -> out.put(f.handle(), f.size()));
        return out;
    }

    private static void await(List<Future<?>> futures) throws IOException {
        IOException first = null;
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted");
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException re) {
                    throw re;
                }
                if (first == null) {
                    first = c instanceof IOException io ? io : new IOException(c);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private void transfer(Handle h, long size, Long sizeThere) throws IOException {
        boolean named = FileId.isValid(h.name());
        if (sizeThere != null && sizeThere == size) {
            if (!options.verifyExisting() || !named || matchesName(target, h)) {
                filesSkipped.incrementAndGet();
                bytesSkipped.addAndGet(size);
                bytesDone.addAndGet(size);
                return;
            }
            damaged.incrementAndGet();
            listener.repaired(h.path());
        } else if (sizeThere != null) {
            // One name, two sizes: one side is damaged. A mirror copy that matches its name is
            // the good one and is never overwritten.
            if (named && matchesName(target, h)) {
                errors.incrementAndGet();
                bytesDone.addAndGet(size);
                listener.error("source " + h.path(), "has " + size + " bytes, the mirror's intact copy " + sizeThere
                        + "; the source is damaged (the mirror's copy is kept)");
                return;
            }
            damaged.incrementAndGet();
            listener.repaired(h.path());
        }
        String[] sourceHash = new String[1];
        target.save(h, new Payload() {
            @Override
            public long length() {
                return size;
            }

            @Override
            public InputStream open() throws IOException {
                MessageDigest md = sha256();
                return new DigestInputStream(source.openRange(h, 0, -1), md) {
                    @Override
                    public void close() throws IOException {
                        sourceHash[0] = HexFormat.of().formatHex(md.digest());
                        super.close();
                    }
                };
            }
        });
        bytesDone.addAndGet(size);
        if (named && sourceHash[0] == null && !matchesName(source, h)) {
            sourceHash[0] = "damaged";
        }
        if (named && sourceHash[0] != null && !h.name().equals(sourceHash[0])) {
            // The source's own copy is damaged: do not leave it at the target as if it were good.
            target.delete(h);
            errors.incrementAndGet();
            listener.error("source " + h.path(), "content does not match its name (SHA-256 differs); not mirrored");
            return;
        }
        if (named && !matchesName(target, h)) {
            errors.incrementAndGet();
            listener.error(h.path(), "arrived damaged at " + target.location() + " (SHA-256 differs from its name)");
            return;
        }
        filesSent.incrementAndGet();
        bytesSent.addAndGet(size);
    }

    /** Whether the stored bytes hash to the file's name. */
    private static boolean matchesName(Backend b, Handle h) throws IOException {
        MessageDigest md = sha256();
        try (InputStream in = new DigestInputStream(b.openRange(h, 0, -1), md)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (NoSuchFileException e) {
            return false;
        }
        return HexFormat.of().formatHex(md.digest()).equals(h.name());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
