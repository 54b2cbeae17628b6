package dev.arca.index;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.format.CorruptObjectException;
import dev.arca.format.LockedException;
import dev.arca.format.backend.Backend;
import dev.arca.format.backend.FileType;
import dev.arca.format.backend.Handle;
import dev.arca.format.backend.Payload;
import dev.arca.format.crypto.SealedFile;
import dev.arca.format.id.FileId;
import dev.arca.format.io.Json;
import dev.arca.format.mark.Mark;
import dev.arca.format.repo.Repository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The lock one prune holds so that two prunes never run at once (spec §13.1). Backups never read
 * it and never wait for it: a prune needs it only against other prunes.
 *
 * <p>A lock file {@code locks/<fileid>} is a sealed file (magic {@code ARCL}) holding JSON
 * {@code {"host","pid","time"}}. It is refreshed (rewritten under a new name) every
 * {@link #REFRESH}; a lock not refreshed for {@link #STALE}, or one of a process on this host that
 * no longer runs (a prune killed with SIGKILL), is stale and removed by the next prune.
 */
public final class PruneLock implements AutoCloseable {
    public static final String MAGIC = "ARCL";
    public static final int VERSION = 1;
    static final Duration REFRESH = Duration.ofMinutes(5);
    static final Duration STALE = Duration.ofMinutes(30);

    private final Repository repo;
    private final SecureRandom random = new SecureRandom();
    private final String host = Mark.localHost();
    private final long pid = ProcessHandle.current().pid();
    private volatile FileId current;
    private final Thread refresher;
    private volatile boolean closed;

    private PruneLock(Repository repo) throws IOException {
        this.repo = repo;
        this.current = write();
        this.refresher = new Thread(this::refreshLoop, "arca-prune-lock");
        refresher.setDaemon(true);
    }

    /**
     * Takes the lock, removing stale ones.
     *
     * @throws LockedException if another prune holds it
     */
    public static PruneLock acquire(Repository repo) throws IOException {
        checkOthers(repo, null);
        PruneLock lock = new PruneLock(repo);
        try {
            // Two prunes that wrote their locks at the same moment both see each other: both back off.
            checkOthers(repo, lock.current);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
        lock.refresher.start();
        return lock;
    }

    private static void checkOthers(Repository repo, FileId mine) throws IOException {
        Backend backend = repo.backend();
        List<Handle> locks = new ArrayList<>();
        backend.list(FileType.LOCK, f -> locks.add(f.handle()));
        String here = Mark.localHost();
        for (Handle h : locks) {
            if (mine != null && h.name().equals(mine.hex())) {
                continue;
            }
            ObjectNode o;
            try {
                o = read(repo, h);
            } catch (java.nio.file.NoSuchFileException | dev.arca.format.MissingObjectException e) {
                continue;
            } catch (CorruptObjectException e) {
                throw new LockedException("unreadable lock " + h.path() + " (" + e.getMessage() + "); remove it if no "
                        + "prune runs");
            }
            Instant time = Instant.parse(o.path("time").asText("1970-01-01T00:00:00Z"));
            long pid = o.path("pid").asLong(-1);
            String host = o.path("host").asText("");
            boolean dead = host.equals(here) && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
            if (dead || time.plus(STALE).isBefore(Instant.now())) {
                backend.delete(h);
                continue;
            }
            throw new LockedException("another prune holds the repository's prune lock (" + h.path() + ", host " + host
                    + ", pid " + pid + ", since " + time + "); backups are not affected. It expires "
                    + STALE.toMinutes() + " minutes after its holder stops refreshing it");
        }
    }

    private static ObjectNode read(Repository repo, Handle h) throws IOException {
        byte[] bytes = repo.backend().readAll(h);
        SealedFile.Opened o = SealedFile.open(repo.keys().encKey(), bytes, MAGIC, VERSION, VERSION, "lock", h.path());
        return (ObjectNode) Json.MAPPER.readTree(new String(o.content(), StandardCharsets.UTF_8));
    }

    private FileId write() throws IOException {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("host", host);
        o.put("pid", pid);
        o.put("time", Instant.now().toString());
        byte[] bytes = SealedFile.seal(repo.keys().encKey(), MAGIC, VERSION,
                Json.MAPPER.writeValueAsBytes(o), random);
        FileId id = FileId.of(bytes);
        repo.backend().save(new Handle(FileType.LOCK, id.hex()), Payload.of(bytes));
        return id;
    }

    private void refreshLoop() {
        while (!closed) {
            try {
                Thread.sleep(REFRESH.toMillis());
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                    FileId old = current;
                    current = write();
                    repo.backend().delete(new Handle(FileType.LOCK, old.hex()));
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                // the next refresh tries again; a lock that goes stale lets another prune start
            }
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        refresher.interrupt();
        repo.backend().delete(new Handle(FileType.LOCK, current.hex()));
    }
}
