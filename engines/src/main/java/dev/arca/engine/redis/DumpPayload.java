package dev.arca.engine.redis;

/**
 * The payload {@code DUMP} gives and {@code RESTORE} takes ({@code cluster.c createDumpPayload}):
 * <pre>
 * type byte, the value as the RDB stores it,
 * RDB version (2 bytes LE), CRC64 of everything before it (8 bytes LE)
 * </pre>
 * No magic, no aux, no key. {@code RESTORE} refuses a version above its own and a wrong CRC64.
 */
public final class DumpPayload {
    private DumpPayload() {
    }

    /** A payload for the value bytes {@code value} of type {@code type}, labelled with RDB version {@code version}. */
    public static byte[] build(int type, byte[] value, int version) {
        byte[] p = new byte[1 + value.length + 10];
        p[0] = (byte) type;
        System.arraycopy(value, 0, p, 1, value.length);
        int i = 1 + value.length;
        p[i] = (byte) version;
        p[i + 1] = (byte) (version >>> 8);
        long crc = Crc64.update(0, p, 0, i + 2);
        for (int k = 0; k < 8; k++) {
            p[i + 2 + k] = (byte) (crc >>> (8 * k));
        }
        return p;
    }

    /** The RDB version a Redis server of version {@code redisVersion} ("7.2.4") writes and loads. */
    public static int rdbVersionOf(String redisVersion) {
        if (redisVersion == null) {
            return RdbParser.MAX_VERSION;
        }
        String[] p = redisVersion.split("\\.");
        int major;
        int minor;
        try {
            major = Integer.parseInt(p[0]);
            minor = p.length > 1 ? Integer.parseInt(p[1]) : 0;
        } catch (NumberFormatException e) {
            return RdbParser.MAX_VERSION;
        }
        int v = major * 100 + minor;
        if (v >= 704) {
            return 12;
        }
        if (v >= 702) {
            return 11;
        }
        if (v >= 700) {
            return 10;
        }
        if (v >= 500) {
            return 9;
        }
        if (v >= 400) {
            return 8;
        }
        if (v >= 302) {
            return 7;
        }
        return 6;
    }
}
