package dev.arca.engine.redis;

import dev.arca.engine.files.ContentStream;
import dev.arca.engine.files.SnapshotWalker;
import dev.arca.format.CorruptObjectException;
import dev.arca.format.index.BlobLocation;
import dev.arca.format.id.BlobId;
import dev.arca.format.repo.Repository;
import dev.arca.format.snapshot.Snapshot;
import dev.arca.format.tree.Node;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;

/** A Redis snapshot's two files, its RDB and its key index, and reads of key byte ranges from the RDB. */
public final class RedisSnapshot {
    private final Repository repo;
    private final Snapshot snapshot;
    private final Node rdb;
    private final Node index;

    public RedisSnapshot(Repository repo, Snapshot s) throws IOException {
        if (!RedisBackup.ENGINE.equals(s.engine) || s.engineMetadata == null) {
            throw new IOException("not a Redis snapshot (engine '" + s.engine + "')");
        }
        this.repo = repo;
        this.snapshot = s;
        SnapshotWalker w = new SnapshotWalker(repo);
        String rdbName = s.engineMetadata.path("rdb_file").asText(RedisBackup.SYNC_NAME);
        this.rdb = w.resolve(s.treeId(), "/" + rdbName);
        this.index = w.resolve(s.treeId(), "/" + s.engineMetadata.path("key_index").asText(KeyIndex.PATH));
        if (rdb == null || !rdb.isFile()) {
            throw new CorruptObjectException("snapshot tree " + s.tree, "has no RDB file '" + rdbName + "'");
        }
        if (index == null || !index.isFile()) {
            throw new CorruptObjectException("snapshot tree " + s.tree, "has no key index '" + KeyIndex.PATH + "'");
        }
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    public Node rdbNode() {
        return rdb;
    }

    /** The RDB version the snapshot's RDB declares. */
    public int rdbVersion() {
        return snapshot.engineMetadata.path("rdb_version").asInt();
    }

    public InputStream openRdb() throws IOException {
        return new ContentStream(repo, rdb);
    }

    /** Reads the key index; close it when done. */
    public KeyIndex.Reader keys() throws IOException {
        InputStream in = new BufferedInputStream(new ContentStream(repo, index), 1 << 16);
        try {
            return new KeyIndex.Reader(in, "key index of snapshot tree " + snapshot.tree);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Random reads of the RDB, blob by blob; sequential reads load each blob once. */
    public Ranges ranges() throws IOException {
        return new Ranges(repo, repo.contentOf(rdb), rdb.size());
    }

    /** Byte ranges of a stored file, found by the blobs' lengths in the index. */
    public static final class Ranges {
        private final Repository repo;
        private final List<BlobId> ids;
        private final long[] starts;
        private int cached = -1;
        private byte[] blob;

        Ranges(Repository repo, List<BlobId> ids, long size) throws IOException {
            this.repo = repo;
            this.ids = ids;
            this.starts = new long[ids.size() + 1];
            for (int i = 0; i < ids.size(); i++) {
                BlobLocation loc = repo.locate(ids.get(i));
                starts[i + 1] = starts[i] + loc.entry().rawLength();
            }
            if (starts[ids.size()] != size) {
                throw new CorruptObjectException("the snapshot's RDB", "its blobs add up to " + starts[ids.size()]
                        + " bytes, its node says " + size);
            }
        }

        /** {@code len} bytes from {@code off}. */
        public byte[] read(long off, int len) throws IOException {
            byte[] out = new byte[len];
            read(off, out, 0, len);
            return out;
        }

        public void read(long off, byte[] out, int outOff, int len) throws IOException {
            int done = 0;
            while (done < len) {
                long at = off + done;
                int i = Arrays.binarySearch(starts, at);
                if (i < 0) {
                    i = -i - 2;
                }
                while (i < ids.size() - 1 && starts[i + 1] <= at) {
                    i++;
                }
                if (i < 0 || i >= ids.size()) {
                    throw new CorruptObjectException("the snapshot's RDB", "byte " + at + " is beyond its end ("
                            + starts[ids.size()] + ")");
                }
                if (cached != i) {
                    blob = repo.loadBlob(ids.get(i));
                    cached = i;
                }
                int from = (int) (at - starts[i]);
                int n = Math.min(len - done, blob.length - from);
                System.arraycopy(blob, from, out, outOff + done, n);
                done += n;
            }
        }
    }
}
