package dev.arca.format.index;

import dev.arca.format.id.BlobId;
import dev.arca.format.id.FileId;
import dev.arca.format.pack.PackEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The reference {@link BlobIndex}: everything in a hash map. Memory grows with the blobs. */
public final class MemoryBlobIndex implements BlobIndex {
    private final Map<BlobId, BlobLocation> blobs = new ConcurrentHashMap<>();
    private final Map<BlobId, Long> ordinals = new ConcurrentHashMap<>();
    private final Set<FileId> files = ConcurrentHashMap.newKeySet();

    @Override
    public BlobLocation find(BlobId id) {
        return blobs.get(id);
    }

    @Override
    public long ordinal(BlobId id) {
        return ordinals.getOrDefault(id, -1L);
    }

    @Override
    public Set<FileId> indexFiles() {
        return new HashSet<>(files);
    }

    @Override
    public synchronized void add(List<Loaded> loaded) {
        for (Loaded l : loaded) {
            if (!files.add(l.id())) {
                continue;
            }
            for (IndexFile.Pack p : l.content().packs()) {
                for (PackEntry e : p.entries()) {
                    if (blobs.putIfAbsent(e.id(), new BlobLocation(p.id(), p.salt(), e)) == null) {
                        ordinals.put(e.id(), (long) ordinals.size());
                    }
                }
            }
        }
    }

    @Override
    public synchronized void rebuild(Collection<FileId> ids, Loader loader) throws IOException {
        blobs.clear();
        ordinals.clear();
        files.clear();
        List<Loaded> all = new ArrayList<>();
        for (FileId id : ids) {
            IndexFile f = loader.load(id);
            if (f != null) {
                all.add(new Loaded(id, f));
            }
        }
        add(all);
    }

    @Override
    public long blobCount() {
        return blobs.size();
    }

    @Override
    public void forEach(Visitor visitor) throws IOException {
        for (BlobLocation l : blobs.values()) {
            visitor.visit(l);
        }
    }
}
