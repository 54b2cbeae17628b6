package dev.arca.engine.files;

import dev.arca.format.repo.Repository;
import dev.arca.format.tree.Node;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.X5455_ExtendedTimestamp;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/**
 * Streams part of a snapshot as a tar (POSIX/PAX) or zip archive, keeping modes, times and
 * symlinks; memory holds one blob at a time.
 */
public final class ArchiveWriter {
    /** The archive formats of {@code dump --archive}. */
    public enum Format { TAR, ZIP }

    private static final int S_IFLNK = 0120000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;

    private final Repository repo;

    public ArchiveWriter(Repository repo) {
        this.repo = repo;
    }

    /**
     * Writes {@code node} (found at {@code path} in the snapshot) and everything below it; entry
     * names are relative to the node's parent.
     */
    public void write(Format format, Node node, String path, OutputStream out) throws IOException {
        String base = node.name().equals("root") && path.isEmpty() ? "" : node.name();
        switch (format) {
            case TAR -> {
                TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                tar.setAddPaxHeadersForNonAsciiNames(true);
                emitTar(tar, node, base);
                tar.finish();
            }
            case ZIP -> {
                ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out);
                zip.setEncoding(StandardCharsets.UTF_8.name());
                emitZip(zip, node, base);
                zip.finish();
            }
            default -> throw new IllegalArgumentException("unknown archive format " + format);
        }
        out.flush();
    }

    private void emitTar(TarArchiveOutputStream tar, Node n, String name) throws IOException {
        if (!name.isEmpty()) {
            TarArchiveEntry e;
            switch (n.kind()) {
                case DIR -> e = new TarArchiveEntry(name + "/");
                case SYMLINK -> {
                    e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
                    e.setLinkName(n.linkTarget());
                }
                case FILE -> {
                    e = new TarArchiveEntry(name);
                    e.setSize(n.size());
                }
                default -> {
                    return;
                }
            }
            e.setMode(n.mode() | (n.isDir() ? S_IFDIR : n.isFile() ? S_IFREG : S_IFLNK));
            e.setModTime(FileTime.from(n.mtime()));
            e.setUserId(n.uid());
            e.setGroupId(n.gid());
            e.setUserName(n.user());
            e.setGroupName(n.group());
            tar.putArchiveEntry(e);
            if (n.isFile()) {
                try (InputStream in = new ContentStream(repo, n)) {
                    long copied = in.transferTo(tar);
                    if (copied != n.size()) {
                        throw new IOException(name + ": content has " + copied + " bytes, the tree says " + n.size());
                    }
                }
            }
            tar.closeArchiveEntry();
        }
        if (n.isDir()) {
            for (Node c : repo.loadTree(n.subtree()).nodes()) {
                emitTar(tar, c, name.isEmpty() ? c.name() : name + "/" + c.name());
            }
        }
    }

    private void emitZip(ZipArchiveOutputStream zip, Node n, String name) throws IOException {
        if (!name.isEmpty()) {
            ZipArchiveEntry e;
            switch (n.kind()) {
                case DIR -> e = new ZipArchiveEntry(name + "/");
                case SYMLINK, FILE -> e = new ZipArchiveEntry(name);
                default -> {
                    return;
                }
            }
            e.setUnixMode(n.mode() | (n.isDir() ? S_IFDIR : n.isFile() ? S_IFREG : S_IFLNK));
            e.setTime(FileTime.from(n.mtime()));
            // The DOS time above has 2-second steps in local time; unzip and others read the
            // exact UTC second from the extended timestamp field.
            X5455_ExtendedTimestamp ts = new X5455_ExtendedTimestamp();
            ts.setModifyFileTime(FileTime.from(n.mtime()));
            e.addExtraField(ts);
            zip.putArchiveEntry(e);
            if (n.isFile()) {
                try (InputStream in = new ContentStream(repo, n)) {
                    in.transferTo(zip);
                }
            } else if (n.kind() == dev.arca.format.tree.NodeKind.SYMLINK) {
                zip.write(n.linkTarget().getBytes(StandardCharsets.UTF_8));
            }
            zip.closeArchiveEntry();
        }
        if (n.isDir()) {
            for (Node c : repo.loadTree(n.subtree()).nodes()) {
                emitZip(zip, c, name.isEmpty() ? c.name() : name + "/" + c.name());
            }
        }
    }
}
