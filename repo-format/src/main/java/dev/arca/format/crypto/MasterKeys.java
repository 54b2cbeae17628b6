package dev.arca.format.crypto;

import dev.arca.format.CorruptObjectException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The repository's secrets (spec §4.1): the root of encryption keys, the blob-id key and the
 * chunker secret. Never stored in the clear; a {@link KeyFile} wraps them under a password.
 */
public final class MasterKeys {
    public static final int KEY_LENGTH = 32;
    /** Version of the payload a key file wraps: {@code u8 1 || encKey || idKey || chunkerSecret}. */
    public static final int PAYLOAD_VERSION = 1;
    public static final int PAYLOAD_LENGTH = 1 + 3 * KEY_LENGTH;

    private final byte[] encKey;
    private final byte[] idKey;
    private final byte[] chunkerSecret;

    public MasterKeys(byte[] encKey, byte[] idKey, byte[] chunkerSecret) {
        if (encKey.length != KEY_LENGTH || idKey.length != KEY_LENGTH || chunkerSecret.length != KEY_LENGTH) {
            throw new IllegalArgumentException("master keys are 32 bytes each");
        }
        this.encKey = encKey.clone();
        this.idKey = idKey.clone();
        this.chunkerSecret = chunkerSecret.clone();
    }

    public static MasterKeys generate(SecureRandom random) {
        byte[] e = new byte[KEY_LENGTH];
        byte[] i = new byte[KEY_LENGTH];
        byte[] c = new byte[KEY_LENGTH];
        random.nextBytes(e);
        random.nextBytes(i);
        random.nextBytes(c);
        return new MasterKeys(e, i, c);
    }

    /** New keys sharing this set's id key and chunker secret, for a repository that dedups with this one. */
    public MasterKeys withFreshEncryptionKey(SecureRandom random) {
        byte[] e = new byte[KEY_LENGTH];
        random.nextBytes(e);
        return new MasterKeys(e, idKey, chunkerSecret);
    }

    public byte[] encKey() {
        return encKey.clone();
    }

    public byte[] idKey() {
        return idKey.clone();
    }

    public byte[] chunkerSecret() {
        return chunkerSecret.clone();
    }

    byte[] encKeyUnsafe() {
        return encKey;
    }

    public byte[] encodePayload() {
        byte[] out = new byte[PAYLOAD_LENGTH];
        out[0] = PAYLOAD_VERSION;
        System.arraycopy(encKey, 0, out, 1, KEY_LENGTH);
        System.arraycopy(idKey, 0, out, 1 + KEY_LENGTH, KEY_LENGTH);
        System.arraycopy(chunkerSecret, 0, out, 1 + 2 * KEY_LENGTH, KEY_LENGTH);
        return out;
    }

    public static MasterKeys decodePayload(byte[] p, String object) throws CorruptObjectException {
        if (p.length != PAYLOAD_LENGTH || p[0] != PAYLOAD_VERSION) {
            throw new CorruptObjectException(object, "key payload has length " + p.length
                    + " and version " + (p.length > 0 ? p[0] : -1) + ", expected " + PAYLOAD_LENGTH + " and " + PAYLOAD_VERSION);
        }
        return new MasterKeys(Arrays.copyOfRange(p, 1, 33), Arrays.copyOfRange(p, 33, 65), Arrays.copyOfRange(p, 65, 97));
    }

    /** Whether both sets share the id key and chunker secret, so their blobs deduplicate. */
    public boolean sharesContentKeys(MasterKeys o) {
        return Arrays.equals(idKey, o.idKey) && Arrays.equals(chunkerSecret, o.chunkerSecret);
    }
}
