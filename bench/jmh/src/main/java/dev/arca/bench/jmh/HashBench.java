package dev.arca.bench.jmh;

import dev.arca.format.crypto.BlobHasher;
import dev.arca.format.id.BlobId;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Blob ids: HMAC-SHA256 of a 1 MiB chunk (the average chunk size). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HashBench {
    @Param("1048576")
    public int size;

    private byte[] data;
    private BlobHasher hasher;

    @Setup
    public void setup() {
        data = StageData.mixed(size, 2);
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i * 17 + 3);
        }
        hasher = new BlobHasher(key);
    }

    @Benchmark
    public BlobId blobHasherId() {
        return hasher.id(data);
    }
}
