package dev.arca.engine.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** The binlog checks on synthetic files: with and without checksums, fed in one-byte reads. */
class BinlogVerifierTest {
    /** An event: 19-byte header, body, and a CRC32 when {@code crc}. */
    static byte[] event(int type, long ts, byte[] body, boolean crc, long pos) {
        int len = 19 + body.length + (crc ? 4 : 0);
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt((int) ts).put((byte) type).putInt(1).putInt(len).putInt((int) (pos + len)).putShort((short) 0).put(body);
        if (crc) {
            CRC32 c = new CRC32();
            c.update(b.array(), 0, len - 4);
            b.putInt((int) c.getValue());
        }
        return b.array();
    }

    /** A FORMAT_DESCRIPTION body whose byte before the checksum field names the algorithm. */
    static byte[] fde(boolean crc) {
        byte[] body = new byte[2 + 50 + 4 + 1 + 10 + 1 + 4];
        body[0] = 4;
        body[body.length - 5] = (byte) (crc ? 1 : 0);
        return body;
    }

    static byte[] file(boolean crc) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(BinlogVerifier.MAGIC);
        byte[] f = event(15, 1700000000, crc ? java.util.Arrays.copyOf(fde(true), fde(true).length - 4) : fde(false), crc, 4);
        out.writeBytes(f);
        out.writeBytes(event(2, 1700000005, "BEGIN".getBytes(), crc, out.size()));
        out.writeBytes(event(3, 1700000009, new byte[0], crc, out.size()));
        return out.toByteArray();
    }

    /** Hands out one byte per read, to shake out boundary bugs. */
    static InputStream oneByte(byte[] b) {
        return new FilterInputStream(new ByteArrayInputStream(b)) {
            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                return super.read(buf, off, Math.min(len, 1));
            }
        };
    }

    @Test
    void withChecksums() throws IOException {
        byte[] f = file(true);
        BinlogVerifier v = new BinlogVerifier(oneByte(f), "bin.000001");
        v.drain();
        assertTrue(v.checksums());
        assertEquals(3, v.events());
        assertEquals(1700000000, v.firstTimestamp());
        assertEquals(1700000009, v.lastTimestamp());
        int fdeLength = 19 + fde(true).length;
        int algorithm = 4 + fdeLength - 5;
        for (int i = 4; i < f.length; i++) {
            byte[] bad = f.clone();
            bad[i] ^= 0x01;
            if ((i >= 4 + 9 && i < 4 + 13) || i == 4 + 17 || i == algorithm) {
                // the length field (another kind of error); the in-use flag, outside the CRC by design; the
                // checksum algorithm turned off, which no reader can tell from a server that writes none
                continue;
            }
            assertThrows(BinlogVerifier.CorruptBinlogException.class,
                    () -> new BinlogVerifier(new ByteArrayInputStream(bad), "bin.000001").drain(), "a flip at " + i);
        }
    }

    @Test
    void withoutChecksumsAHeaderOnlyEventIsFine() throws IOException {
        byte[] f = file(false);
        BinlogVerifier v = new BinlogVerifier(oneByte(f), "bin.000002");
        v.drain();
        assertFalse(v.checksums());
        assertEquals(3, v.events());
        assertEquals(f.length, v.size());
        var e = assertThrows(BinlogVerifier.CorruptBinlogException.class, () -> new BinlogVerifier(
                new ByteArrayInputStream(java.util.Arrays.copyOf(f, f.length - 1)), "bin.000002").drain());
        assertTrue(e.getMessage().contains("bin.000002 ends inside the event at offset " + (f.length - 19)), e.getMessage());
        byte[] noMagic = f.clone();
        noMagic[0] = 0;
        assertThrows(BinlogVerifier.CorruptBinlogException.class,
                () -> new BinlogVerifier(new ByteArrayInputStream(noMagic), "x").drain());
    }
}
