package dev.arca.chunker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chunker cuts the spec §16 input exactly where {@code spec/.../vectors/chunks.txt} says. */
class ChunkerGoldenTest {
    static byte[] secret() {
        byte[] s = new byte[32];
        for (int i = 0; i < 32; i++) {
            s[i] = (byte) (0x40 + i);
        }
        return s;
    }

    /** 4 MiB: SHA-256 of u64 LE counters 0, 1, 2, … concatenated (spec §16). */
    static byte[] input() throws Exception {
        byte[] out = new byte[4 << 20];
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        ByteBuffer ctr = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        for (int off = 0, i = 0; off < out.length; off += 32, i++) {
            ctr.clear();
            ctr.putLong(i);
            System.arraycopy(md.digest(ctr.array()), 0, out, off, 32);
        }
        return out;
    }

    static Map<ChunkerParams, List<Integer>> committed() throws IOException {
        Map<ChunkerParams, List<Integer>> out = new LinkedHashMap<>();
        try (InputStream in = ChunkerGoldenTest.class.getResourceAsStream("/vectors/chunks.txt")) {
            assertNotNull(in, "chunks.txt missing from arca-spec");
            List<Integer> current = null;
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] f = line.trim().split(" +");
                if (f[0].equals("params")) {
                    current = new ArrayList<>();
                    out.put(new ChunkerParams(Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3])), current);
                } else {
                    for (String n : f) {
                        current.add(Integer.parseInt(n));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void streamChunkerReproducesTheCommittedBoundaries() throws Exception {
        byte[] data = input();
        Map<ChunkerParams, List<Integer>> vectors = committed();
        assertEquals(2, vectors.size());
        for (Map.Entry<ChunkerParams, List<Integer>> v : vectors.entrySet()) {
            FastCdc cdc = new FastCdc(GearTable.derive(secret()), v.getKey());
            List<Integer> got = new ArrayList<>();
            StreamChunker sc = new StreamChunker(cdc, new ByteArrayInputStream(data));
            for (StreamChunker.Chunk c = sc.next(); c != null; c = sc.next()) {
                got.add(c.length());
            }
            assertEquals(v.getValue(), got, "boundaries for " + v.getKey());
            assertEquals(data.length, got.stream().mapToLong(Integer::longValue).sum());
        }
    }

    @Test
    void gearTableIsTheHmacOfTheIndex() throws Exception {
        long[] g = GearTable.derive(secret()).values();
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret(), "HmacSHA256"));
        byte[] msg = "arca/v1/gear\u0007".getBytes(StandardCharsets.ISO_8859_1);
        long expected = ByteBuffer.wrap(mac.doFinal(msg)).getLong();
        assertEquals(expected, g[7]);
        assertEquals(256, g.length);
    }

    @Test
    void paramsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new ChunkerParams(32, 1024, 4096));
        assertThrows(IllegalArgumentException.class, () -> new ChunkerParams(1024, 3000, 8192));
        assertThrows(IllegalArgumentException.class, () -> new ChunkerParams(4096, 4096, 8192));
        assertThrows(IllegalArgumentException.class, () -> new ChunkerParams(1024, 4096, 128 << 20));
        assertTrue(ChunkerParams.DEFAULT.avg() == 1 << 20);
        assertThrows(IllegalArgumentException.class, () -> GearTable.derive(new byte[8]));
    }
}
