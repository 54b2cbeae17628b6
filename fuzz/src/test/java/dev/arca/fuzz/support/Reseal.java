package dev.arca.fuzz.support;

import dev.arca.format.crypto.SegmentedAead;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The JDK's AES-GCM refuses to encrypt under the same key and nonce as the previous encryption of
 * the same {@code Cipher} ("Cannot reuse iv for GCM encryption"), and SegmentedAead keeps one
 * Cipher per thread. With random salts that never happens; these tests seal fixed messages under
 * fixed keys and salts on purpose, sometimes twice in a row. Calling {@link #allow()} first makes
 * the thread's last encryption a throwaway one under another key.
 */
public final class Reseal {
    private static final SecretKey THROWAWAY = new SecretKeySpec(Fixtures.pattern(0xE0), "AES");
    private static final AtomicLong COUNTER = new AtomicLong();

    private Reseal() {
    }

    public static void allow() {
        SegmentedAead.seal(THROWAWAY, 0, COUNTER.incrementAndGet(), 1, null, new byte[0], 0, 0);
    }
}
