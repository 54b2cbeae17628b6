package dev.arca.format.backend;

import dev.arca.format.io.LimitedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A repository in a local directory. Writes go to {@code <name>.<random>.tmp} in the target
 * directory, are fsynced, renamed over the final name, and the directory is fsynced, so a crash
 * leaves either no file or the whole file.
 */
public final class LocalBackend implements Backend {
    private final Path root;

    public LocalBackend(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    @Override
    public String location() {
        return root.toString();
    }

    private Path path(Handle h) {
        return root.resolve(h.path());
    }

    @Override
    public void save(Handle handle, Payload payload) throws IOException {
        Path target = path(handle);
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(handle.name() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 OutputStream out = Channels.newOutputStream(ch);
                 InputStream in = payload.open()) {
                long n = in.transferTo(out);
                if (n != payload.length()) {
                    throw new IOException(handle.path() + ": payload gave " + n + " bytes, announced " + payload.length());
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + root + " cannot rename atomically", e);
            }
            fsyncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Packs are built in {@code data/} itself, so that storing one is a rename. */
    @Override
    public Path stagingDirectory() throws IOException {
        Path dir = root.resolve(FileType.PACK.dir());
        Files.createDirectories(dir);
        return dir;
    }

    @Override
    public void saveFile(Handle handle, Path file) throws IOException {
        Path target = path(handle);
        Path dir = target.getParent();
        Files.createDirectories(dir);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        try {
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // Another file system: copy like any other payload.
            Backend.super.saveFile(handle, file);
            return;
        }
        fsyncDirectory(dir);
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Opens a stored file for reading; anything but a regular file there is a missing file. */
    private FileChannel openRead(Handle handle) throws IOException {
        Path p = path(handle);
        size(handle);
        try {
            return FileChannel.open(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (FileSystemException e) {
            if (e instanceof NoSuchFileException) {
                throw e;
            }
            if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new NoSuchFileException(p.toString(), null, "not a regular file");
            }
            throw e;
        }
    }

    @Override
    public InputStream openRange(Handle handle, long offset, long length) throws IOException {
        FileChannel ch = openRead(handle);
        try {
            ch.position(offset);
            InputStream in = Channels.newInputStream(ch);
            return length < 0 ? in : new LimitedInputStream(in, length);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public byte[] readRange(Handle handle, long offset, int length) throws IOException {
        try (FileChannel ch = openRead(handle)) {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(length);
            long pos = offset;
            while (buf.hasRemaining()) {
                int r = ch.read(buf, pos);
                if (r < 0) {
                    throw new java.io.EOFException(handle.path() + ": wanted " + length + " bytes at offset " + offset
                            + ", the file ends after " + buf.position());
                }
                pos += r;
            }
            return buf.array();
        }
    }

    @Override
    public long size(Handle handle) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(path(handle), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (FileSystemException e) {
            // "Not a directory": a file where a directory of the layout should be.
            throw new NoSuchFileException(path(handle).toString(), null, e.getReason());
        }
        if (!a.isRegularFile()) {
            throw new NoSuchFileException(path(handle).toString(), null, "not a regular file");
        }
        return a.size();
    }

    @Override
    public void list(FileType type, Consumer<FileInfo> consumer) throws IOException {
        if (type == FileType.CONFIG) {
            if (exists(Handle.CONFIG)) {
                consumer.accept(new FileInfo(Handle.CONFIG, size(Handle.CONFIG)));
            }
            return;
        }
        Path dir = root.resolve(type.dir());
        if (!Files.isDirectory(dir)) {
            return;
        }
        if (type == FileType.PACK) {
            try (DirectoryStream<Path> subdirs = Files.newDirectoryStream(dir)) {
                for (Path sub : subdirs) {
                    String prefix = sub.getFileName().toString();
                    if (prefix.length() == 2 && Files.isDirectory(sub, LinkOption.NOFOLLOW_LINKS)) {
                        listFiles(type, sub, prefix, consumer);
                    }
                }
            }
        } else {
            listFiles(type, dir, null, consumer);
        }
    }

    private void listFiles(FileType type, Path dir, String prefix, Consumer<FileInfo> consumer) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.endsWith(".tmp") || prefix != null && !name.startsWith(prefix)) {
                    continue;
                }
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException gone) {
                    continue;
                }
                if (a.isRegularFile()) {
                    consumer.accept(new FileInfo(new Handle(type, name), a.size()));
                }
            }
        }
    }

    @Override
    public void delete(Handle handle) throws IOException {
        Files.deleteIfExists(path(handle));
    }

    /** True when no file (other than leftovers of interrupted writes) is anywhere below the root. */
    @Override
    public boolean isEmpty() throws IOException {
        if (!Files.exists(root)) {
            return true;
        }
        try (java.util.stream.Stream<Path> all = Files.walk(root)) {
            return all.noneMatch(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                    && !p.getFileName().toString().endsWith(".tmp"));
        }
    }
}
