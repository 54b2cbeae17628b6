package dev.arca.engine.redis;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gives a Redis snapshot back: the RDB byte for byte into a file (walked and CRC64-checked on the
 * way out), or its keys into a live server as pipelined {@code RESTORE} commands built from the
 * key index and the stored value bytes.
 */
public final class RedisRestore {
    /** Which keys: a Redis glob over key names and a database, each optional. */
    public record Filter(Glob match, Integer db) {
        public static final Filter ALL = new Filter(null, null);

        public boolean accepts(RdbKey k) {
            return (db == null || k.db() == db) && (match == null || match.matches(k.key()));
        }
    }

    /** Counts of a restore into a server. */
    public static final class Result {
        public long restored;
        public long skippedExisting;
        public long expired;
        public long filteredOut;
        public long bytes;
        public int targetRdbVersion;
        public String targetRedisVersion;
    }

    private RedisRestore() {
    }

    /**
     * Writes the snapshot's RDB to {@code file} (which must not exist), through a temporary name in
     * the same directory that is renamed at the end; the RDB is walked and its CRC64 checked as it
     * is written, and a mismatch leaves nothing behind. Returns the parser, for its findings.
     */
    public static RdbParser toFile(RedisSnapshot rs, Path file, AtomicLong progress) throws IOException {
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file + ": exists; remove it or choose another name");
        }
        Path tmp = file.resolveSibling("." + file.getFileName() + ".arca-tmp");
        Files.deleteIfExists(tmp);
        RdbParser p;
        try (InputStream in = rs.openRdb();
             OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW), 1 << 16)) {
            p = new RdbParser(in, rs.rdbNode().name() + " of the snapshot", (b, off, len) -> {
                out.write(b, off, len);
                progress.addAndGet(len);
            });
            while (p.next() != null) {
                // every key is written by the tee as it is walked
            }
            out.flush();
            if (p.length() != rs.rdbNode().size()) {
                throw new RdbFormatException(file.toString(), p.length(), "the restored RDB has " + p.length()
                        + " bytes, the snapshot recorded " + rs.rdbNode().size());
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        return p;
    }

    /**
     * Restores the keys {@code filter} selects into the server at {@code uri}: keys already there
     * are kept unless {@code replace}, keys whose expiry has passed are left out, expiry times are
     * kept as absolute times ({@code RESTORE … ABSTTL}). Up to {@code window} commands are in
     * flight. A server whose RDB version is older than a selected key's type needs is refused
     * before anything is written.
     */
    public static Result toServer(RedisSnapshot rs, RedisUri uri, Filter filter, boolean replace, int window,
                                  AtomicLong progress, long nowMs) throws IOException {
        Result r = new Result();
        int snapVersion = rs.rdbVersion();
        if (rs.snapshot().engineMetadata.has("opaque_from")) {
            throw new IOException("this snapshot's RDB is partly opaque (" + rs.snapshot().engineMetadata.path("warnings")
                    .path(0).asText() + "); restore it to a file with --rdb instead");
        }
        try (RespClient c = RespClient.connect(uri, 120_000)) {
            r.targetRedisVersion = RespClient.infoField(c.info("server"), "redis_version");
            r.targetRdbVersion = DumpPayload.rdbVersionOf(r.targetRedisVersion);
            checkVersions(rs, filter, snapVersion, r);
            boolean absTtl = r.targetRdbVersion >= 9;
            int label = Math.min(snapVersion, r.targetRdbVersion);
            RedisSnapshot.Ranges ranges = rs.ranges();
            try (KeyIndex.Reader keys = rs.keys()) {
                ArrayDeque<RdbKey> pending = new ArrayDeque<>();
                int currentDb = 0;
                boolean selected = false;
                for (RdbKey k = keys.next(); k != null; k = keys.next()) {
                    if (!filter.accepts(k)) {
                        r.filteredOut++;
                        continue;
                    }
                    if (k.hasExpiry() && k.expireMs() <= nowMs) {
                        r.expired++;
                        continue;
                    }
                    if (!selected || k.db() != currentDb) {
                        c.send(b("SELECT"), b(Integer.toString(k.db())));
                        pending.add(SELECT);
                        currentDb = k.db();
                        selected = true;
                    }
                    if (k.valueSize() > Integer.MAX_VALUE - 16) {
                        throw new IOException("key '" + k.keyText() + "' has a value of " + k.valueSize()
                                + " bytes, too large for one RESTORE");
                    }
                    byte[] value = ranges.read(k.valueStart(), (int) k.valueSize());
                    byte[] payload = DumpPayload.build(k.type(), value, label);
                    List<byte[]> args = new ArrayList<>(List.of(b("RESTORE"), k.key(),
                            b(k.hasExpiry() ? Long.toString(absTtl ? k.expireMs() : Math.max(1, k.expireMs() - nowMs)) : "0"),
                            payload));
                    if (replace) {
                        args.add(b("REPLACE"));
                    }
                    if (k.hasExpiry() && absTtl) {
                        args.add(b("ABSTTL"));
                    }
                    c.send(args.toArray(byte[][]::new));
                    pending.add(k);
                    r.bytes += value.length;
                    progress.addAndGet(value.length);
                    if (pending.size() >= window) {
                        c.flush();
                        while (pending.size() > window / 2) {
                            handle(c, pending.poll(), r);
                        }
                    }
                }
                c.flush();
                while (!pending.isEmpty()) {
                    handle(c, pending.poll(), r);
                }
            }
        }
        return r;
    }

    private static final RdbKey SELECT = new RdbKey(-1, new byte[0], -1, -1, 0, 0, 0, 0);

    private static void handle(RespClient c, RdbKey k, Result r) throws IOException {
        Object reply = c.reply();
        if (k == SELECT) {
            if (reply instanceof RespClient.Error e) {
                throw new RedisException(c.uri() + ": SELECT failed: " + e.message());
            }
            return;
        }
        if (reply instanceof RespClient.Error e) {
            if (e.message().startsWith("BUSYKEY")) {
                r.skippedExisting++;
                return;
            }
            if (e.message().startsWith("NOAUTH") || e.message().startsWith("WRONGPASS")) {
                throw new RedisException.Auth(c.uri() + ": " + e.message());
            }
            throw new RedisException(c.uri() + ": RESTORE of key '" + k.keyText() + "' (db " + k.db() + ") failed: "
                    + e.message());
        }
        r.restored++;
    }

    /** Refuses, before anything is written, keys whose type the target's RDB version does not have. */
    private static void checkVersions(RedisSnapshot rs, Filter filter, int snapVersion, Result r) throws IOException {
        if (snapVersion <= r.targetRdbVersion) {
            return;
        }
        TreeMap<Integer, Long> tooNew = new TreeMap<>();
        try (KeyIndex.Reader keys = rs.keys()) {
            for (RdbKey k = keys.next(); k != null; k = keys.next()) {
                if (filter.accepts(k) && RdbType.sinceVersion(k.type()) > r.targetRdbVersion) {
                    tooNew.merge(k.type(), 1L, Long::sum);
                }
            }
        }
        if (!tooNew.isEmpty()) {
            StringBuilder b = new StringBuilder();
            tooNew.forEach((t, n) -> b.append(b.length() == 0 ? "" : ", ").append(n).append(" ")
                    .append(RdbType.name(t)).append(" key(s) encoded as ").append(RdbType.encoding(t))
                    .append(" (RDB type ").append(t).append(", RDB version ").append(RdbType.sinceVersion(t)).append("+)"));
            throw new RedisException("the target server (Redis " + r.targetRedisVersion + ") loads RDB version "
                    + r.targetRdbVersion + " and older, the snapshot's RDB is version " + snapVersion + ": " + b
                    + " cannot be restored there; restore to a newer Redis, or narrow --match/--db; nothing was written");
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
