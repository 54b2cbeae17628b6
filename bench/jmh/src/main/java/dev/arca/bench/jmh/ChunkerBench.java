package dev.arca.bench.jmh;

import dev.arca.chunker.ChunkerParams;
import dev.arca.chunker.FastCdc;
import dev.arca.chunker.GearTable;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** FastCdc.cut over a whole buffer with the default chunk sizes (256 KiB / 1 MiB / 8 MiB). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ChunkerBench {
    @Param("67108864")
    public int size;

    private byte[] data;
    private FastCdc cdc;

    @Setup
    public void setup() {
        data = StageData.mixed(size, 1);
        byte[] secret = new byte[32];
        for (int i = 0; i < secret.length; i++) {
            secret[i] = (byte) (i * 31 + 7);
        }
        cdc = new FastCdc(GearTable.derive(secret), ChunkerParams.DEFAULT);
    }

    /** Cuts the whole input into chunks; returns the number of chunks. */
    @Benchmark
    public int fastCdcCut() {
        int off = 0;
        int chunks = 0;
        while (off < data.length) {
            off += cdc.cut(data, off, data.length - off);
            chunks++;
        }
        return chunks;
    }
}
