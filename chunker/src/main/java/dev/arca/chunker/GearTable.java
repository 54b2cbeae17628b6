package dev.arca.chunker;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The 256 gear values of {@code fastcdc-v1}, derived from a secret (spec §12):
 * {@code gear[i]} is the first 8 bytes, big-endian, of {@code HMAC-SHA256(secret, "arca/v1/gear" || u8 i)}.
 * Immutable.
 */
public final class GearTable {
    private static final byte[] LABEL = "arca/v1/gear".getBytes(StandardCharsets.US_ASCII);
    private final long[] gear;

    private GearTable(long[] gear) {
        this.gear = gear;
    }

    /** Derives the table from a chunker secret of at least 16 bytes. */
    public static GearTable derive(byte[] secret) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("chunker secret must be at least 16 bytes");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            long[] gear = new long[256];
            byte[] message = Arrays.copyOf(LABEL, LABEL.length + 1);
            for (int i = 0; i < 256; i++) {
                message[LABEL.length] = (byte) i;
                byte[] h = mac.doFinal(message);
                long v = 0;
                for (int b = 0; b < 8; b++) {
                    v = (v << 8) | (h[b] & 0xff);
                }
                gear[i] = v;
            }
            return new GearTable(gear);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable in this JDK", e);
        }
    }

    /** A copy of the table. */
    public long[] values() {
        return gear.clone();
    }

    long[] array() {
        return gear;
    }
}
