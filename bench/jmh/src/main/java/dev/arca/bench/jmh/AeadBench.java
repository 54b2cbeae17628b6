package dev.arca.bench.jmh;

import dev.arca.format.crypto.SegmentedAead;
import java.util.concurrent.TimeUnit;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** AES-256-GCM in 64 KiB segments (SegmentedAead), sealing and opening a 1 MiB blob. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AeadBench {
    @Param("1048576")
    public int size;

    private byte[] data;
    private byte[] sealed;
    private byte[] out;
    private SecretKey key;
    private final byte[] aad = {1, 2, 3, 4};

    @Setup
    public void setup() {
        data = StageData.mixed(size, 3);
        byte[] k = new byte[32];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) (i * 13 + 5);
        }
        key = new SecretKeySpec(k, "AES");
        out = new byte[(int) SegmentedAead.sealedLength(size)];
        sealed = SegmentedAead.seal(key, SegmentedAead.PURPOSE_PACK_BLOB, 0, SegmentedAead.PACK_STRIDE, aad, data, 0, size);
    }

    @Benchmark
    public int seal() {
        return SegmentedAead.seal(key, SegmentedAead.PURPOSE_PACK_BLOB, 0, SegmentedAead.PACK_STRIDE, aad, data, 0, size, out, 0);
    }

    @Benchmark
    public byte[] open() throws AEADBadTagException {
        return SegmentedAead.open(key, SegmentedAead.PURPOSE_PACK_BLOB, 0, SegmentedAead.PACK_STRIDE, aad, sealed, 0, sealed.length);
    }
}
