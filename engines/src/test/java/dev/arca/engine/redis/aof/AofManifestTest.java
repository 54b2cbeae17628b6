package dev.arca.engine.redis.aof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AofManifestTest {
    static AofManifest parse(String s) throws AofFormatException {
        return AofManifest.parse(s.getBytes(StandardCharsets.UTF_8), "m.manifest");
    }

    @Test
    void readsWhatRedisWrites() throws Exception {
        AofManifest m = parse("file appendonly.aof.2.base.rdb seq 2 type b\n"
                + "file appendonly.aof.1.incr.aof seq 1 type h\n"
                + "file appendonly.aof.2.incr.aof seq 2 type i\n"
                + "file appendonly.aof.3.incr.aof seq 3 type i\n");
        assertEquals("appendonly.aof.2.base.rdb", m.base().name());
        assertEquals(List.of("appendonly.aof.2.incr.aof", "appendonly.aof.3.incr.aof"),
                m.incrs().stream().map(AofManifest.Entry::name).toList());
        assertEquals(AofManifest.Type.HISTORY, m.entries().get(1).type());
        assertEquals("file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n",
                new String(m.keeping(Set.of("appendonly.aof.2.base.rdb", "appendonly.aof.2.incr.aof")),
                        StandardCharsets.UTF_8));
    }

    @Test
    void quotedNamesCaseInsensitiveKeysCommentsAndUnknownKeys() throws Exception {
        AofManifest m = parse("# comment\nFILE \"my aof\\x41.1.base.aof\" SEQ 1 TYPE b\n"
                + "file x.1.incr.aof seq 1 type i startoffset 0\n");
        assertEquals("my aofA.1.base.aof", m.base().name());
        assertEquals("x.1.incr.aof", m.incrs().get(0).name());
        assertEquals("# comment\nFILE \"my aof\\x41.1.base.aof\" SEQ 1 TYPE b\n",
                new String(m.keeping(Set.of("my aofA.1.base.aof")), StandardCharsets.UTF_8));
    }

    @Test
    void badManifestsNameTheLine() {
        assertTrue(assertThrows(AofFormatException.class, () -> parse("")).getMessage().contains("lists no file"));
        assertTrue(assertThrows(AofFormatException.class, () -> parse("file a seq 1\n")).getMessage()
                .contains("m.manifest: line 1"));
        assertTrue(assertThrows(AofFormatException.class, () -> parse("file a seq 1 type x\n")).getMessage()
                .contains("unknown file type 'x'"));
        assertTrue(assertThrows(AofFormatException.class, () -> parse("file a seq one type i\n")).getMessage()
                .contains("seq 'one' is not a number"));
        assertTrue(assertThrows(AofFormatException.class,
                () -> parse("file a seq 2 type i\nfile b seq 2 type i\n")).getMessage().contains("line 2"));
        assertTrue(assertThrows(AofFormatException.class,
                () -> parse("file a seq 1 type b\nfile b seq 2 type b\n")).getMessage().contains("a second base"));
        assertTrue(assertThrows(AofFormatException.class,
                () -> parse("file ../etc/passwd seq 1 type i\n")).getMessage().contains("not a plain file name"));
        assertTrue(assertThrows(AofFormatException.class,
                () -> parse("file \"a seq 1 type i\n")).getMessage().contains("unbalanced quotes"));
    }
}
