package dev.arca.engine.redis;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A small RESP2 client: commands as arrays of bulk strings, replies as {@code String} (simple),
 * {@code Long}, {@code byte[]} (bulk), {@code List<Object>}, null, or {@link Error}. Commands can
 * be pipelined: {@link #send} writes, {@link #flush} sends, {@link #reply} reads in order.
 */
public final class RespClient implements AutoCloseable {
    /** An error reply. */
    public record Error(String message) {
    }

    private final RedisUri uri;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RespClient(RedisUri uri, Socket socket) throws IOException {
        this.uri = uri;
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
    }

    /** Connects and authenticates (AUTH [user] password when the URI has a password). */
    public static RespClient connect(RedisUri uri, int readTimeoutMs) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(uri.host(), uri.port()), 10_000);
            s.setSoTimeout(readTimeoutMs);
            s.setTcpNoDelay(true);
        } catch (UnknownHostException e) {
            s.close();
            throw new RedisException(uri + ": unknown host '" + uri.host() + "'", e);
        } catch (ConnectException | SocketTimeoutException e) {
            s.close();
            throw new RedisException(uri + ": cannot connect (" + e.getMessage() + "); is redis-server running there?", e);
        } catch (IOException e) {
            s.close();
            throw new RedisException(uri + ": cannot connect: " + e.getMessage(), e);
        }
        RespClient c = new RespClient(uri, s);
        try {
            if (uri.password() != null) {
                Object r = uri.user() == null ? c.call("AUTH", uri.password()) : c.call("AUTH", uri.user(), uri.password());
                if (r instanceof Error e) {
                    throw new RedisException.Auth(uri + ": authentication failed: " + e.message());
                }
            }
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    public RedisUri uri() {
        return uri;
    }

    /** The raw input, for the RDB after SYNC. */
    InputStream input() {
        return in;
    }

    public void setReadTimeout(int ms) throws IOException {
        socket.setSoTimeout(ms);
    }

    /** Sends one command and returns its reply. */
    public Object call(String... args) throws IOException {
        byte[][] b = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            b[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        send(b);
        flush();
        return reply();
    }

    /** Like {@link #call}, but an error reply (or an auth demand) is an exception naming the command. */
    public Object check(String... args) throws IOException {
        Object r = call(args);
        if (r instanceof Error e) {
            if (e.message().startsWith("NOAUTH") || e.message().startsWith("WRONGPASS")) {
                throw new RedisException.Auth(uri + ": " + e.message() + " (give the password in the URI: "
                        + "redis://[user]:password@host:port)");
            }
            throw new RedisException(uri + ": " + args[0] + " failed: " + e.message());
        }
        return r;
    }

    public void send(byte[]... args) throws IOException {
        out.write('*');
        out.write(Long.toString(args.length).getBytes(StandardCharsets.US_ASCII));
        out.write('\r');
        out.write('\n');
        for (byte[] a : args) {
            out.write('$');
            out.write(Long.toString(a.length).getBytes(StandardCharsets.US_ASCII));
            out.write('\r');
            out.write('\n');
            out.write(a);
            out.write('\r');
            out.write('\n');
        }
    }

    /** Writes raw bytes (the inline {@code SYNC}). */
    void sendRaw(byte[] b) throws IOException {
        out.write(b);
        out.flush();
    }

    public void flush() throws IOException {
        out.flush();
    }

    public Object reply() throws IOException {
        int t = in.read();
        if (t < 0) {
            throw new EOFException(uri + ": the server closed the connection");
        }
        String line = line();
        switch (t) {
            case '+':
                return line;
            case '-':
                return new Error(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                byte[] b = in.readNBytes(n);
                if (b.length != n) {
                    throw new EOFException(uri + ": the connection ended inside a reply");
                }
                in.read();
                in.read();
                return b;
            }
            case '*': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                List<Object> l = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    l.add(reply());
                }
                return l;
            }
            default:
                throw new IOException(uri + ": not a RESP reply (first byte 0x" + Integer.toHexString(t) + ")");
        }
    }

    /** A line up to CRLF (or LF), without it. */
    String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException(uri + ": the server closed the connection");
            }
            if (c == '\n') {
                break;
            }
            b.write(c);
        }
        byte[] l = b.toByteArray();
        int n = l.length > 0 && l[l.length - 1] == '\r' ? l.length - 1 : l.length;
        return new String(l, 0, n, StandardCharsets.UTF_8);
    }

    /**
     * The server's {@code INFO section} as text, or "" when the user may not run INFO; a server
     * that wants a password is a {@link RedisException.Auth}.
     */
    public String info(String section) throws IOException {
        Object r = call("INFO", section);
        if (r instanceof Error e) {
            if (e.message().startsWith("NOAUTH") || e.message().startsWith("WRONGPASS")) {
                throw new RedisException.Auth(uri + ": " + e.message() + " (give the password in the URI: "
                        + "redis://[user]:password@host:port)");
            }
            return "";
        }
        return r instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(r);
    }

    /** A field of an INFO text, or null. */
    public static String infoField(String info, String field) {
        for (String l : info.split("\r?\n")) {
            if (l.startsWith(field + ":")) {
                return l.substring(field.length() + 1).trim();
            }
        }
        return null;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to do with a socket that will not close
        }
    }
}
