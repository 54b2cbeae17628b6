package dev.arca.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The byte-range and request-path parsers of serve, at their edges. */
class RangeAndPathTest {
    @Test
    void rangesFollowRfc9110() {
        assertEquals(new Range(0, 99), Range.parse("bytes=0-99", 1000));
        assertEquals(new Range(500, 999), Range.parse("bytes=500-", 1000));
        assertEquals(new Range(900, 999), Range.parse("bytes=-100", 1000));
        assertEquals(new Range(0, 999), Range.parse("bytes=-5000", 1000), "a suffix longer than the content is all of it");
        assertEquals(new Range(990, 999), Range.parse("bytes=990-5000", 1000), "the last byte is clamped");
        assertEquals(new Range(0, 0), Range.parse(" bytes=0-0 ", 1), "surrounding white space is tolerated");
        assertSame(Range.UNSATISFIABLE, Range.parse("bytes=1000-", 1000));
        assertSame(Range.UNSATISFIABLE, Range.parse("bytes=1000-2000", 1000));
        assertSame(Range.UNSATISFIABLE, Range.parse("bytes=-0", 1000));
        assertSame(Range.UNSATISFIABLE, Range.parse("bytes=0-", 0), "nothing of an empty file");
        assertNull(Range.parse(null, 1000));
        assertNull(Range.parse("bytes=0-1,5-6", 1000), "several ranges: the whole content");
        assertNull(Range.parse("items=0-1", 1000));
        assertNull(Range.parse("bytes=5-1", 1000));
        assertNull(Range.parse("bytes=x-1", 1000));
        assertNull(Range.parse("bytes=-", 1000));
        assertNull(Range.parse("bytes=99999999999999999999-", 1000));
    }

    @Test
    void pathsDecodeOneNameAtATimeAndRefuseEscapes() {
        assertEquals(List.of(), RequestPath.parse("/"));
        assertEquals(List.of("a b", "名前", "x"), RequestPath.parse("/a%20b/%E5%90%8D%E5%89%8D//x/"));
        assertEquals(List.of("100%"), RequestPath.parse("/100%25"));
        for (String bad : List.of("", "relative", "/..", "/a/../b", "/%2e%2e/x", "/%2E%2e", "/.", "/%2e", "/a%2fb",
                "/a%2Fb", "/a\\b", "/a%5cb", "/a%00b", "/%", "/%4", "/%zz", "/%c0%ae%c0%ae", "/%ff")) {
            assertNull(RequestPath.parse(bad), bad);
        }
        assertEquals("/a%20b/%E5%90%8D%E5%89%8D/", RequestPath.encode(List.of("a b", "名前"), true));
        assertEquals("/", RequestPath.encode(List.of(), false));
        assertEquals("/x%2Fy%25", RequestPath.encode(List.of("x/y%"), false));
    }
}
