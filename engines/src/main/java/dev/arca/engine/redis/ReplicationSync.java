package dev.arca.engine.redis;

import dev.arca.format.io.LimitedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An RDB received from a live server over the replication protocol, as {@code redis-cli --rdb}
 * gets it (engine-formats.md §4.3): {@code REPLCONF capa eof}, {@code REPLCONF rdb-only 1} (7.0+;
 * older servers refuse it and then follow the RDB with the command stream, which is not read),
 * then an inline {@code SYNC}. The reply, after bare {@code \n} keepalives, is {@code $<len>}
 * followed by exactly len bytes (a disk-based transfer), or {@code $EOF:<40-byte mark>} followed
 * by the RDB and the same mark (diskless). {@link #rdb()} is the RDB alone in either case, and
 * ends where it ends; reading it needs no memory beyond two 64 KiB buffers.
 */
public final class ReplicationSync implements AutoCloseable {
    static final int MARK = 40;

    private final RespClient client;
    private final InputStream rdb;
    private final long length;
    private final String redisVersion;
    private final MarkTerminated marked;

    private ReplicationSync(RespClient client, InputStream rdb, long length, String redisVersion, MarkTerminated marked) {
        this.client = client;
        this.rdb = rdb;
        this.length = length;
        this.redisVersion = redisVersion;
        this.marked = marked;
    }

    /** Connects, authenticates and starts the transfer; the RDB can then be read from {@link #rdb()}. */
    public static ReplicationSync start(RedisUri uri, int readTimeoutMs) throws IOException {
        RespClient c = RespClient.connect(uri, readTimeoutMs);
        try {
            String version = RespClient.infoField(c.info("server"), "redis_version");
            c.check("REPLCONF", "capa", "eof");
            Object r = c.call("REPLCONF", "rdb-only", "1");
            if (r instanceof RespClient.Error e && (e.message().startsWith("NOAUTH") || e.message().startsWith("NOPERM"))) {
                throw new RedisException.Auth(uri + ": REPLCONF refused: " + e.message());
            }
            c.sendRaw("SYNC\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = c.input();
            int b;
            do {
                b = in.read();
            } while (b == '\n');
            if (b < 0) {
                throw new RedisException(uri + ": the server closed the connection instead of sending an RDB");
            }
            StringBuilder line = new StringBuilder().append((char) b);
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new RedisException(uri + ": the connection ended inside the SYNC reply");
                }
                if (line.length() > 200) {
                    throw new RedisException(uri + ": not a SYNC reply: '" + line + "…'");
                }
                line.append((char) b);
            }
            String reply = line.toString().strip();
            if (reply.startsWith("-")) {
                String msg = reply.substring(1);
                if (msg.startsWith("NOAUTH") || msg.startsWith("NOPERM") || msg.startsWith("WRONGPASS")) {
                    throw new RedisException.Auth(uri + ": SYNC refused: " + msg);
                }
                throw new RedisException(uri + ": SYNC refused: " + msg);
            }
            if (reply.startsWith("$EOF:")) {
                byte[] mark = reply.substring(5).getBytes(StandardCharsets.US_ASCII);
                if (mark.length != MARK) {
                    throw new RedisException(uri + ": bad diskless end mark in '" + reply + "'");
                }
                MarkTerminated m = new MarkTerminated(in, mark, uri.toString());
                return new ReplicationSync(c, m, -1, version, m);
            }
            if (reply.startsWith("$")) {
                long len;
                try {
                    len = Long.parseLong(reply.substring(1));
                } catch (NumberFormatException e) {
                    throw new RedisException(uri + ": not a SYNC reply: '" + reply + "'");
                }
                return new ReplicationSync(c, new Exact(in, len, uri.toString()), len, version, null);
            }
            throw new RedisException(uri + ": not a SYNC reply: '" + reply + "'");
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** The RDB bytes, ending with the RDB. */
    public InputStream rdb() {
        return rdb;
    }

    /** The RDB's length for a disk-based transfer, or -1 for a diskless one. */
    public long length() {
        return length;
    }

    public boolean diskless() {
        return marked != null;
    }

    /** The server's {@code redis_version}, or null. */
    public String redisVersion() {
        return redisVersion;
    }

    @Override
    public void close() {
        client.close();
    }

    /** Exactly {@code len} bytes; ending early is an error. */
    private static final class Exact extends FilterInputStream {
        private final String who;
        private long left;

        Exact(InputStream in, long len, String who) {
            super(new LimitedInputStream(in, len));
            this.left = len;
            this.who = who;
        }

        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n < 0 && left > 0) {
                throw new EOFException(who + ": the connection ended " + left + " bytes before the end of the RDB");
            }
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public void close() {
            // the socket is closed with the sync
        }
    }

    /**
     * The bytes before the 40-byte end mark: it holds back the last 40 bytes read and ends when
     * they are the mark. The server sends nothing after it (rdb-only), so the mark is at the end
     * of what a read returns.
     */
    static final class MarkTerminated extends InputStream {
        private final InputStream in;
        private final byte[] mark;
        private final String who;
        private final byte[] buf = new byte[(1 << 16) + MARK];
        private int start;
        private int end;
        private boolean done;

        MarkTerminated(InputStream in, byte[] mark, String who) {
            this.in = in;
            this.mark = mark;
            this.who = who;
        }

        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (true) {
                int free = end - start - (done ? 0 : MARK);
                if (free > 0) {
                    int n = Math.min(len, free);
                    System.arraycopy(buf, start, b, off, n);
                    start += n;
                    return n;
                }
                if (done) {
                    return -1;
                }
                if (start > 0) {
                    System.arraycopy(buf, start, buf, 0, end - start);
                    end -= start;
                    start = 0;
                }
                int n = in.read(buf, end, buf.length - end);
                if (n < 0) {
                    throw new EOFException(who + ": the connection ended before the diskless transfer's end mark");
                }
                end += n;
                if (end - start >= MARK && Arrays.equals(buf, end - MARK, end, mark, 0, MARK)) {
                    end -= MARK;
                    done = true;
                }
            }
        }

        @Override
        public void close() {
            // the socket is closed with the sync
        }
    }
}
