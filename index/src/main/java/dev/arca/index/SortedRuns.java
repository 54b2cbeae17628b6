package dev.arca.index;

import dev.arca.format.id.BlobId;
import dev.arca.format.id.BlobType;
import dev.arca.format.pack.PackEntry;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * An external merge sort of index entries: sorted runs spilled to temporary files next to the
 * LMDB database, merged into one ascending stream. Memory: one buffered reader per run plus the
 * last run, which stays in memory.
 */
final class SortedRuns implements AutoCloseable {
    /** Ascending entries; {@code next()} returns null at the end. */
    interface Source {
        IndexEntry next() throws IOException;
    }

    private final Path dir;
    private final List<Path> runs = new ArrayList<>();
    private final List<DataInputStream> open = new ArrayList<>();

    SortedRuns(Path dir) {
        this.dir = dir;
    }

    /** Writes an already sorted run to a temporary file. */
    void spill(List<IndexEntry> sorted) throws IOException {
        Path f = Files.createTempFile(dir, "run-", ".tmp");
        runs.add(f);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(f), 1 << 16))) {
            byte[] id = new byte[32];
            for (IndexEntry e : sorted) {
                e.id().copyTo(id, 0);
                out.write(id);
                out.writeInt(e.packOrd());
                PackEntry p = e.entry();
                out.writeByte(p.type().code());
                out.writeByte(p.flags());
                out.writeInt((int) p.offset());
                out.writeInt(p.storedLength());
                out.writeInt(p.rawLength());
            }
        }
    }

    /** Merges the spilled runs and {@code lastSorted} into one ascending stream. */
    Source merge(List<IndexEntry> lastSorted) throws IOException {
        if (runs.isEmpty()) {
            Iterator<IndexEntry> it = lastSorted.iterator();
            return () -> it.hasNext() ? it.next() : null;
        }
        List<Source> sources = new ArrayList<>();
        for (Path f : runs) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(f), 1 << 16));
            open.add(in);
            sources.add(() -> read(in));
        }
        Iterator<IndexEntry> mem = lastSorted.iterator();
        sources.add(() -> mem.hasNext() ? mem.next() : null);
        // On equal ids the earlier source wins, so a duplicated blob keeps its first occurrence,
        // as an incremental add would.
        record Head(IndexEntry entry, Source from, int order) {
        }
        PriorityQueue<Head> heap = new PriorityQueue<>((a, b) -> {
            int c = a.entry().id().compareTo(b.entry().id());
            return c != 0 ? c : Integer.compare(a.order(), b.order());
        });
        for (int i = 0; i < sources.size(); i++) {
            IndexEntry e = sources.get(i).next();
            if (e != null) {
                heap.add(new Head(e, sources.get(i), i));
            }
        }
        return () -> {
            Head h = heap.poll();
            if (h == null) {
                return null;
            }
            IndexEntry following = h.from().next();
            if (following != null) {
                heap.add(new Head(following, h.from(), h.order()));
            }
            return h.entry();
        };
    }

    private static IndexEntry read(DataInputStream in) throws IOException {
        byte[] id = new byte[32];
        try {
            in.readFully(id);
        } catch (EOFException end) {
            return null;
        }
        int packOrd = in.readInt();
        BlobType type = BlobType.fromCode(in.readUnsignedByte());
        int flags = in.readUnsignedByte();
        long offset = Integer.toUnsignedLong(in.readInt());
        int stored = in.readInt();
        int raw = in.readInt();
        BlobId blob = BlobId.fromBytes(id);
        return new IndexEntry(blob, packOrd, new PackEntry(type, flags, offset, stored, raw, blob));
    }

    @Override
    public void close() throws IOException {
        for (DataInputStream in : open) {
            in.close();
        }
        for (Path f : runs) {
            Files.deleteIfExists(f);
        }
    }
}
