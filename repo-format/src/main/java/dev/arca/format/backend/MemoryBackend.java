package dev.arca.format.backend;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

/** The reference backend: files in a map. For tests of the layers above. */
public final class MemoryBackend implements Backend {
    private final Map<String, byte[]> files = new ConcurrentSkipListMap<>();
    private final Map<String, Handle> handles = new ConcurrentSkipListMap<>();

    @Override
    public String location() {
        return "memory:" + Integer.toHexString(System.identityHashCode(this));
    }

    @Override
    public void save(Handle handle, Payload payload) throws IOException {
        byte[] data;
        try (InputStream in = payload.open()) {
            data = in.readAllBytes();
        }
        if (data.length != payload.length()) {
            throw new IOException(handle.path() + ": payload gave " + data.length + " bytes, announced " + payload.length());
        }
        handles.put(handle.path(), handle);
        files.put(handle.path(), data);
    }

    private byte[] get(Handle handle) throws NoSuchFileException {
        byte[] d = files.get(handle.path());
        if (d == null) {
            throw new NoSuchFileException(handle.path());
        }
        return d;
    }

    @Override
    public InputStream openRange(Handle handle, long offset, long length) throws IOException {
        byte[] d = get(handle);
        int from = (int) Math.min(offset, d.length);
        int to = length < 0 || length > d.length - from ? d.length : from + (int) length;
        return new ByteArrayInputStream(d, from, Math.max(0, to - from));
    }

    @Override
    public long size(Handle handle) throws IOException {
        return get(handle).length;
    }

    @Override
    public void list(FileType type, Consumer<FileInfo> consumer) {
        for (Handle h : handles.values()) {
            byte[] d = files.get(h.path());
            if (h.type() == type && d != null) {
                consumer.accept(new FileInfo(h, d.length));
            }
        }
    }

    @Override
    public void delete(Handle handle) {
        files.remove(handle.path());
        handles.remove(handle.path());
    }

    @Override
    public boolean isEmpty() {
        return files.isEmpty();
    }

    /** Replaces a stored file's bytes, for corruption tests. */
    public void overwrite(Handle handle, byte[] data) {
        handles.put(handle.path(), handle);
        files.put(handle.path(), data.clone());
    }
}
