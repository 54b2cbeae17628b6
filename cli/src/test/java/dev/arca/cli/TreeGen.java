package dev.arca.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Generates source trees for end-to-end tests and records what a restore must reproduce: for
 * every path its type, mode, mtime, size and SHA-256, or its link target.
 */
final class TreeGen {
    private TreeGen() {
    }

    static final String[] NAMES = {"alpha", "beta", "Ünïcödé", "名前", "données", "space name", "x-y_z", "émoji😀"};

    /** Fills {@code root}: {@code smallFiles} text-like and binary files in nested dirs, big files, links, empty dirs. */
    static void generate(Path root, long seed, int smallFiles, int bigFiles, int bigSize) throws IOException {
        Random r = new Random(seed);
        Files.createDirectories(root);
        List<Path> dirs = new ArrayList<>();
        dirs.add(root);
        for (int i = 0; i < Math.max(4, smallFiles / 40); i++) {
            Path parent = dirs.get(r.nextInt(dirs.size()));
            Path d = parent.resolve(NAMES[r.nextInt(NAMES.length)] + "-" + i);
            Files.createDirectories(d);
            dirs.add(d);
        }
        Files.createDirectories(root.resolve("empty dir"));
        Files.createDirectories(root.resolve("nested/empty/deep"));
        for (int i = 0; i < smallFiles; i++) {
            Path d = dirs.get(r.nextInt(dirs.size()));
            Path f = d.resolve("file-" + i + (i % 7 == 0 ? "-" + NAMES[i % NAMES.length] : "") + (i % 3 == 0 ? ".txt" : ".bin"));
            int size = i % 25 == 0 ? 0 : r.nextInt(i % 10 == 0 ? 200_000 : 6000);
            Files.write(f, i % 3 == 0 ? text(r, size) : random(r, size));
            if (i % 11 == 0) {
                Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            }
            Files.setLastModifiedTime(f, FileTime.fromMillis(1_600_000_000_000L + r.nextInt(1_000_000_000)));
        }
        for (int i = 0; i < bigFiles; i++) {
            writeBig(root.resolve("big-" + i + ".dat"), r.nextLong(), bigSize);
        }
        Files.createSymbolicLink(root.resolve("link-to-file"), Path.of("big-0.dat"));
        Files.createSymbolicLink(root.resolve("dangling link"), Path.of("/nonexistent/target"));
        Files.createSymbolicLink(dirs.get(dirs.size() - 1).resolve("up"), Path.of("../.."));
    }

    static byte[] text(Random r, int n) {
        String words = "backup restore snapshot chunk pack index tree blob the of and a in to ";
        StringBuilder b = new StringBuilder(n + 16);
        while (b.length() < n) {
            int s = r.nextInt(words.length() - 10);
            b.append(words, s, s + 1 + r.nextInt(9));
            if (r.nextInt(12) == 0) {
                b.append('\n');
            }
        }
        byte[] out = b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return java.util.Arrays.copyOf(out, n);
    }

    static byte[] random(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /** A big file: pseudo-random, half of its 1 MiB blocks compressible. */
    static void writeBig(Path p, long seed, int size) throws IOException {
        Random r = new Random(seed);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(p)) {
            for (long done = 0; done < size; done += block.length) {
                int n = (int) Math.min(block.length, size - done);
                if (r.nextBoolean()) {
                    r.nextBytes(block);
                } else {
                    byte[] t = text(r, 4096);
                    for (int o = 0; o < block.length; o += t.length) {
                        System.arraycopy(t, 0, block, o, Math.min(t.length, block.length - o));
                    }
                }
                out.write(block, 0, n);
            }
        }
    }

    /** What a restore must reproduce, by path relative to {@code root}. */
    static Map<String, String> manifest(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
                if (!d.equals(root)) {
                    out.put(root.relativize(d).toString(), "dir " + meta(d));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                String rel = root.relativize(f).toString();
                if (a.isSymbolicLink()) {
                    out.put(rel, "link -> " + Files.readSymbolicLink(f));
                } else {
                    out.put(rel, "file " + meta(f) + " " + a.size() + " " + sha256(f));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return out;
    }

    private static String meta(Path p) throws IOException {
        int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
        FileTime t = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
        return Integer.toOctalString(mode) + " " + t.toInstant();
    }

    static String sha256(Path f) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (var in = Files.newInputStream(f)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Changes about 3% of the small files (modify, delete, add) and 64 KiB in the middle of one big file. */
    static long mutate(Path root, long seed) throws IOException {
        Random r = new Random(seed);
        List<Path> files = new ArrayList<>();
        try (var s = Files.walk(root)) {
            s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && p.getFileName().toString().startsWith("file-"))
                    .sorted().forEach(files::add);
        }
        long changed = 0;
        int n = Math.max(3, files.size() * 3 / 100);
        for (int i = 0; i < n; i++) {
            Path f = files.get(r.nextInt(files.size()));
            if (!Files.exists(f)) {
                continue;
            }
            switch (i % 3) {
                case 0 -> {
                    byte[] data = random(r, 1000 + r.nextInt(4000));
                    Files.write(f, data);
                    changed += data.length;
                }
                case 1 -> Files.delete(f);
                default -> {
                    byte[] data = text(r, 2000 + r.nextInt(3000));
                    Files.write(f.resolveSibling("added-" + i + ".txt"), data);
                    changed += data.length;
                }
            }
        }
        Path big = root.resolve("big-0.dat");
        try (var ch = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.WRITE)) {
            byte[] patch = random(r, 64 << 10);
            ch.write(java.nio.ByteBuffer.wrap(patch), ch.size() / 2);
            changed += patch.length;
        }
        return changed;
    }
}
