package dev.arca.format.crypto;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import java.nio.charset.StandardCharsets;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/** HKDF-SHA256 (RFC 5869), used once per pack or sealed file to derive its key (spec §4.2). */
public final class Hkdf {
    public static final String PACK_LABEL = "arca/v1/pack";
    public static final String FILE_LABEL_PREFIX = "arca/v1/file/";

    private Hkdf() {
    }

    public static byte[] derive(byte[] ikm, byte[] salt, String info, int length) {
        HKDFBytesGenerator g = new HKDFBytesGenerator(new SHA256Digest());
        g.init(new HKDFParameters(ikm, salt, info.getBytes(StandardCharsets.US_ASCII)));
        byte[] out = new byte[length];
        g.generateBytes(out, 0, length);
        return out;
    }

    /** A 256-bit AES key for the object with this salt. */
    public static SecretKey aesKey(byte[] encKey, byte[] salt, String info) {
        return new SecretKeySpec(derive(encKey, salt, info, 32), "AES");
    }
}
