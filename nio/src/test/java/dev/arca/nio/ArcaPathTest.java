package dev.arca.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arca.format.testing.TestRepos;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lexical side of arca paths and URIs, against what the default file system does. */
class ArcaPathTest {
    @Test
    void pathsBehaveLikeUnixPaths() throws Exception {
        try (var repo = TestRepos.memory();
             FileSystem fs = FileSystems.newFileSystem(URI.create("arca:///nowhere/repo%20one!/"),
                     Map.of(ArcaFileSystemProvider.REPOSITORY, repo))) {
            for (String[] c : new String[][] {
                {"/snapshots/abc/home/ana", "x/../y"}, {"/", "a"}, {"a/b", "../c"}, {"/a/./b/..", "/z"}, {"", "q"}}) {
                Path a = fs.getPath(c[0]);
                Path u = Path.of(c[0]);
                assertEquals(u.toString(), a.toString());
                assertEquals(u.isAbsolute(), a.isAbsolute());
                assertEquals(u.normalize().toString(), a.normalize().toString(), "normalize " + c[0]);
                assertEquals(u.resolve(c[1]).toString(), a.resolve(c[1]).toString());
                assertEquals(String.valueOf(u.getParent()), String.valueOf(a.getParent()));
                if (!c[0].isEmpty()) { // the empty path: one empty name on Unix, no name here
                    assertEquals(String.valueOf(u.getFileName()), String.valueOf(a.getFileName()), c[0]);
                }
            }
            Path p = fs.getPath("/snapshots/abc/home/ana/notes.txt");
            assertEquals("home/ana", p.subpath(2, 4).toString());
            assertEquals("../../x", fs.getPath("/a/b/c").relativize(fs.getPath("/a/x")).toString());
            assertTrue(p.startsWith(fs.getPath("/snapshots/abc")));
            assertFalse(p.startsWith(fs.getPath("snapshots")));
            assertTrue(p.endsWith(fs.getPath("ana/notes.txt")));
            assertEquals(fs.getPath("/"), fs.getPath("/../../..").normalize(), "nothing is above the root");
            assertNull(fs.getPath("/").getFileName());
            assertEquals(URI.create("arca:///nowhere/repo%20one!/snapshots/abc/home/ana/notes.txt"), p.toUri());
            assertEquals(p, Path.of(p.toUri()));
        }
    }
}
