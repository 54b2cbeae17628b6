package dev.arca.bench.jmh;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * zstd-jni on a 1 MiB blob of mixed data, as arca's BlobWriter calls it (one ZstdCompressCtx per
 * thread; arca's default level is 2). Decompression reads the output of the same level.
 * The compression ratio is printed at tear-down ("# zstd level N ratio R").
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ZstdBench {
    @Param("1048576")
    public int size;

    @Param({"1", "2", "3"})
    public int level;

    private byte[] data;
    private byte[] compressed;
    private int compressedLength;
    private byte[] dst;
    private byte[] back;
    private ZstdCompressCtx ctx;

    @Setup
    public void setup() {
        data = StageData.mixed(size, 4);
        ctx = new ZstdCompressCtx().setLevel(level);
        dst = new byte[(int) Zstd.compressBound(size)];
        compressed = new byte[dst.length];
        compressedLength = ctx.compressByteArray(compressed, 0, compressed.length, data, 0, size);
        back = new byte[size];
    }

    @TearDown
    public void tearDown() {
        System.out.printf("# zstd level %d ratio %.2f%n", level, (double) size / compressedLength);
        ctx.close();
    }

    @Benchmark
    public int compress() {
        return ctx.compressByteArray(dst, 0, dst.length, data, 0, size);
    }

    @Benchmark
    public long decompress() {
        return Zstd.decompressByteArray(back, 0, back.length, compressed, 0, compressedLength);
    }
}
