package dev.arca.format.crypto;

import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.AEADBadTagException;
import javax.crypto.spec.SecretKeySpec;

/**
 * Gets the JIT to compile the JDK's AES-GCM before bulk work needs it. Until it is compiled,
 * GCM runs at well under 100 MB/s; ~10,000 small calls (about 0.2 s) are enough. Runs once per
 * JVM, in a daemon thread. Commands that move data start it first thing, so that it overlaps
 * with the password's key derivation; short commands do not pay for it.
 */
public final class CryptoWarmup {
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private CryptoWarmup() {
    }

    public static void start() {
        if (!STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(CryptoWarmup::run, "arca-crypto-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    private static void run() {
        SecretKeySpec key = new SecretKeySpec(new byte[32], "AES");
        byte[] data = new byte[1024];
        byte[] aad = new byte[8];
        try {
            for (int i = 0; i < 10_000; i++) {
                byte[] sealed = SegmentedAead.seal(key, 0, i, 1, aad, data, 0, data.length);
                SegmentedAead.open(key, 0, i, 1, aad, sealed, 0, sealed.length);
            }
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("AES-GCM does not round-trip in this JDK", e);
        }
    }
}
