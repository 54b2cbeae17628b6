package dev.arca.format.crypto;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.arca.format.CorruptObjectException;
import dev.arca.format.ResourceLimitException;
import dev.arca.format.UnsupportedVersionException;
import dev.arca.format.WrongPasswordException;
import dev.arca.format.io.Json;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * A key file (spec §5): the master keys sealed under a key derived from a password with Argon2id.
 *
 * <pre>
 * keyfile := "ARCK" || u8 1 || UTF-8 JSON {created, host, user, kdf{…, salt}, data}
 * data    := base64(sealed(u8 1 || encKey || idKey || chunkerSecret)), purpose 4, aad "ARCK" || u8 1
 * </pre>
 */
public final class KeyFile {
    public static final String MAGIC = "ARCK";
    public static final int VERSION_START = 1;
    public static final int VERSION_CURRENT = 1;
    private static final int LEAD = 5;
    private static final byte[] AAD = {'A', 'R', 'C', 'K', VERSION_CURRENT};

    /** The JSON body. Field names are the spec's. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static final class Body {
        @JsonProperty("created") public String created;
        @JsonProperty("host") public String host;
        @JsonProperty("user") public String user;
        @JsonProperty("kdf") public Kdf kdf;
        @JsonProperty("data") public String data;
    }

    public static final class Kdf {
        @JsonProperty("algorithm") public String algorithm;
        @JsonProperty("version") public int version;
        @JsonProperty("iterations") public int iterations;
        @JsonProperty("memory_kib") public int memoryKib;
        @JsonProperty("parallelism") public int parallelism;
        @JsonProperty("salt") public String salt;
    }

    private final Body body;

    private KeyFile(Body body) {
        this.body = body;
    }

    public String created() {
        return body.created;
    }

    public String host() {
        return body.host;
    }

    public String user() {
        return body.user;
    }

    public KdfParams kdf() {
        return new KdfParams(body.kdf.iterations, body.kdf.memoryKib, body.kdf.parallelism);
    }

    /** Wraps {@code keys} under {@code password}. */
    public static KeyFile create(MasterKeys keys, char[] password, KdfParams params, SecureRandom random,
                                 String host, String user, Instant created) {
        byte[] salt = new byte[32];
        random.nextBytes(salt);
        byte[] kek = argon2id(password, salt, params);
        byte[] payload = keys.encodePayload();
        byte[] sealed = SegmentedAead.seal(new SecretKeySpec(kek, "AES"), SegmentedAead.PURPOSE_KEY, 0, 1, AAD,
                payload, 0, payload.length);
        Arrays.fill(kek, (byte) 0);
        Arrays.fill(payload, (byte) 0);
        Body b = new Body();
        b.created = created.toString();
        b.host = host;
        b.user = user;
        b.kdf = new Kdf();
        b.kdf.algorithm = "argon2id";
        b.kdf.version = 0x13;
        b.kdf.iterations = params.iterations();
        b.kdf.memoryKib = params.memoryKib();
        b.kdf.parallelism = params.parallelism();
        b.kdf.salt = Base64.getEncoder().encodeToString(salt);
        b.data = Base64.getEncoder().encodeToString(sealed);
        return new KeyFile(b);
    }

    public byte[] encode() {
        byte[] json = Json.write(body);
        byte[] out = new byte[LEAD + json.length];
        System.arraycopy(AAD, 0, out, 0, LEAD);
        System.arraycopy(json, 0, out, LEAD, json.length);
        return out;
    }

    private static ResourceLimitException tooBig(String object, long need) {
        return new ResourceLimitException(object + " asks for " + (need >> 20) + " MiB to derive the key, more than this "
                + "process can spare (at most " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB); give Java more "
                + "memory (ARCA_JAVA_OPTS=-Xmx...)");
    }

    /** Relative cost of deriving this file's key (memory × passes), to try cheap key files first. */
    public long cost() {
        return (long) body.kdf.memoryKib * body.kdf.iterations;
    }

    /** Parses a key file without opening it. */
    public static KeyFile parse(byte[] file, String object) throws CorruptObjectException, UnsupportedVersionException {
        if (file.length < LEAD || file[0] != 'A' || file[1] != 'R' || file[2] != 'C' || file[3] != 'K') {
            throw new CorruptObjectException(object, "not an arca key file (bad magic)");
        }
        int version = file[4] & 0xff;
        if (version < VERSION_START || version > VERSION_CURRENT) {
            throw new UnsupportedVersionException(object, "key file", version, VERSION_START, VERSION_CURRENT);
        }
        Body b = Json.read(file, LEAD, file.length - LEAD, Body.class, object);
        if (b.kdf == null || b.data == null || b.kdf.salt == null) {
            throw new CorruptObjectException(object, "key file lacks kdf or data");
        }
        if (!"argon2id".equals(b.kdf.algorithm) || b.kdf.version != 0x13) {
            throw new CorruptObjectException(object, "unknown key derivation " + b.kdf.algorithm + " version " + b.kdf.version);
        }
        try {
            new KdfParams(b.kdf.iterations, b.kdf.memoryKib, b.kdf.parallelism);
            if (Base64.getDecoder().decode(b.kdf.salt).length != 32) {
                throw new CorruptObjectException(object, "key file salt is not 32 bytes");
            }
            Base64.getDecoder().decode(b.data);
        } catch (IllegalArgumentException e) {
            throw new CorruptObjectException(object, "invalid key file: " + e.getMessage());
        }
        return new KeyFile(b);
    }

    /** Opens the key file with a password. */
    public MasterKeys open(char[] password, String object)
            throws WrongPasswordException, CorruptObjectException, ResourceLimitException {
        long need = (long) body.kdf.memoryKib * 1024;
        if (need > Runtime.getRuntime().maxMemory()) {
            throw tooBig(object, need);
        }
        byte[] salt = Base64.getDecoder().decode(body.kdf.salt);
        byte[] sealed = Base64.getDecoder().decode(body.data);
        byte[] kek;
        try {
            kek = argon2id(password, salt, kdf());
        } catch (OutOfMemoryError e) {
            // One large, short-lived allocation: when it fails, nothing else holds the memory.
            throw tooBig(object, need);
        }
        try {
            byte[] payload = SegmentedAead.open(new SecretKeySpec(kek, "AES"), SegmentedAead.PURPOSE_KEY, 0, 1, AAD,
                    sealed, 0, sealed.length);
            try {
                return MasterKeys.decodePayload(payload, object);
            } finally {
                Arrays.fill(payload, (byte) 0);
            }
        } catch (AEADBadTagException e) {
            throw new WrongPasswordException("wrong password for " + object);
        } finally {
            Arrays.fill(kek, (byte) 0);
        }
    }

    static byte[] argon2id(char[] password, byte[] salt, KdfParams p) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] pw = new byte[encoded.remaining()];
        encoded.get(pw);
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt)
                .withIterations(p.iterations())
                .withMemoryAsKB(p.memoryKib())
                .withParallelism(p.parallelism())
                .build();
        Argon2BytesGenerator g = new Argon2BytesGenerator();
        g.init(params);
        byte[] out = new byte[32];
        g.generateBytes(pw, out);
        Arrays.fill(pw, (byte) 0);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        return out;
    }
}
