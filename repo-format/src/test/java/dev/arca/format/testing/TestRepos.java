package dev.arca.format.testing;

import dev.arca.format.backend.Backend;
import dev.arca.format.backend.MemoryBackend;
import dev.arca.format.crypto.KdfParams;
import dev.arca.format.crypto.MasterKeys;
import dev.arca.format.index.MemoryBlobIndex;
import dev.arca.format.repo.Repository;
import java.io.IOException;
import java.security.SecureRandom;

/** Repositories for tests of the layers above the format: cheap key derivation, small packs. */
public final class TestRepos {
    /** Argon2id parameters that cost milliseconds, for tests only. */
    public static final KdfParams FAST_KDF = new KdfParams(1, 8, 1);
    public static final char[] PASSWORD = "test-password".toCharArray();

    private TestRepos() {
    }

    public static Repository.InitOptions options() {
        return Repository.InitOptions.defaults("test-host", "test-user").withKdf(FAST_KDF).withPackSize(1 << 20);
    }

    /** A new repository in memory, with a memory index. */
    public static Repository memory() throws IOException {
        return init(new MemoryBackend());
    }

    public static Repository init(Backend backend) throws IOException {
        return Repository.init(backend, PASSWORD, options(), id -> new MemoryBlobIndex(), new SecureRandom());
    }

    public static Repository open(Backend backend) throws IOException {
        return Repository.open(backend, PASSWORD, id -> new MemoryBlobIndex(), new SecureRandom());
    }

    /** The master keys of the golden vectors (spec §16): bytes 0x00.., 0x20.., 0x40... */
    public static MasterKeys goldenKeys() {
        byte[] e = new byte[32];
        byte[] i = new byte[32];
        byte[] c = new byte[32];
        for (int k = 0; k < 32; k++) {
            e[k] = (byte) k;
            i[k] = (byte) (0x20 + k);
            c[k] = (byte) (0x40 + k);
        }
        return new MasterKeys(e, i, c);
    }
}
