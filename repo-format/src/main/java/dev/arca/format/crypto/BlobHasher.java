package dev.arca.format.crypto;

import dev.arca.format.id.BlobId;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Computes blob ids, {@code HMAC-SHA256(idKey, plaintext)}. Thread-safe. */
public final class BlobHasher {
    private final ThreadLocal<Mac> mac;

    public BlobHasher(byte[] idKey) {
        SecretKeySpec key = new SecretKeySpec(idKey.clone(), "HmacSHA256");
        this.mac = ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(key);
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is unavailable in this JDK", e);
            }
        });
    }

    public BlobId id(byte[] data, int off, int len) {
        Mac m = mac.get();
        m.update(data, off, len);
        return BlobId.fromBytes(m.doFinal());
    }

    public BlobId id(byte[] data) {
        return id(data, 0, data.length);
    }
}
