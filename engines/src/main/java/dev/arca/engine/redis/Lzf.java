package dev.arca.engine.redis;

/** LZF decompression (liblzf's format), for RDB strings stored compressed. Only keys are ever decompressed. */
final class Lzf {
    private Lzf() {
    }

    /** Decompresses {@code in} into exactly {@code outLen} bytes; null if the data is malformed. */
    static byte[] decompress(byte[] in, int outLen) {
        byte[] out = new byte[outLen];
        int ip = 0;
        int op = 0;
        while (ip < in.length) {
            int ctrl = in[ip++] & 0xff;
            if (ctrl < 32) {
                int n = ctrl + 1;
                if (op + n > outLen || ip + n > in.length) {
                    return null;
                }
                System.arraycopy(in, ip, out, op, n);
                ip += n;
                op += n;
            } else {
                int len = ctrl >>> 5;
                if (len == 7) {
                    if (ip >= in.length) {
                        return null;
                    }
                    len += in[ip++] & 0xff;
                }
                if (ip >= in.length) {
                    return null;
                }
                int ref = op - ((ctrl & 0x1f) << 8) - 1 - (in[ip++] & 0xff);
                len += 2;
                if (ref < 0 || op + len > outLen) {
                    return null;
                }
                for (int k = 0; k < len; k++) {
                    out[op++] = out[ref++];
                }
            }
        }
        return op == outLen ? out : null;
    }
}
