package dev.arca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code arca dump --archive tar|zip} extracted by the real {@code tar} and {@code unzip}: the
 * content, modes, modification times (to the second) and symlinks come out as they went in.
 */
class DumpArchiveTest {
    /** Path → type, mode, mtime in seconds, and size + SHA-256 or link target. */
    static Map<String, String> state(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (var s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String rel = root.relativize(p).toString();
                int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
                long mtime = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant().getEpochSecond();
                if (Files.isSymbolicLink(p)) {
                    out.put(rel, "link -> " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p)) {
                    out.put(rel, "dir " + Integer.toOctalString(mode) + " " + mtime);
                } else {
                    out.put(rel, "file " + Integer.toOctalString(mode) + " " + mtime + " " + Files.size(p) + " "
                            + TreeGen.sha256(p));
                }
            }
        }
        return out;
    }

    @Test
    void tarAndZipKeepContentModesTimesAndLinks(@TempDir Path work) throws Exception {
        Cli cli = new Cli(work);
        cli.expect(0, "init");
        Path src = work.resolve("src");
        TreeGen.generate(src, 5, 300, 1, 3 << 20);
        Files.setPosixFilePermissions(src.resolve("nested"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
        Files.setLastModifiedTime(src.resolve("nested/empty"), java.nio.file.attribute.FileTime.fromMillis(1_234_567_890_000L));
        cli.expect(0, "backup", src.toString());
        Map<String, String> expected = state(src);

        for (String format : new String[] {"tar", "zip"}) {
            byte[] archive = cli.expect(0, "dump", "--archive", format, "latest", src.toString()).outBytes();
            Path file = work.resolve("dump." + format);
            Files.write(file, archive);
            Path out = work.resolve("out-" + format);
            Files.createDirectories(out);
            if (format.equals("tar")) {
                ServeTest.run(out, "tar", "-xpf", file.toString());
            } else {
                ServeTest.run(out, "unzip", "-q", file.toString());
            }
            assertEquals(expected, state(out.resolve("src")), format + " extracted by the real tool");
        }
    }
}
