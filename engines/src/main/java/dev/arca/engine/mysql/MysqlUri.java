package dev.arca.engine.mysql;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A server address {@code mysql://user[:password]@host[:port][/]} (also {@code mariadb://}); the
 * port defaults to 3306. User and password may be percent-encoded. {@link #toString()} never shows
 * the password.
 */
public record MysqlUri(String user, String password, String host, int port) {
    public static final int DEFAULT_PORT = 3306;

    public static MysqlUri parse(String uri) {
        String rest;
        if (uri.startsWith("mysql://")) {
            rest = uri.substring("mysql://".length());
        } else if (uri.startsWith("mariadb://")) {
            rest = uri.substring("mariadb://".length());
        } else {
            throw new IllegalArgumentException("not a mysql:// URI: " + redact(uri)
                    + " (expected mysql://user[:password]@host:port)");
        }
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        int at = rest.lastIndexOf('@');
        if (at <= 0) {
            throw new IllegalArgumentException("the URI names no user: " + redact(uri)
                    + " (expected mysql://user[:password]@host:port)");
        }
        String userInfo = rest.substring(0, at);
        String hostPort = rest.substring(at + 1);
        String user = userInfo;
        String password = null;
        int colon = userInfo.indexOf(':');
        if (colon >= 0) {
            user = userInfo.substring(0, colon);
            password = decode(userInfo.substring(colon + 1));
        }
        user = decode(user);
        String host = hostPort;
        int port = DEFAULT_PORT;
        int pc = hostPort.lastIndexOf(':');
        if (pc >= 0 && !hostPort.endsWith("]")) {
            host = hostPort.substring(0, pc);
            try {
                port = Integer.parseInt(hostPort.substring(pc + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad port in " + redact(uri));
            }
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty() || user.isEmpty()) {
            throw new IllegalArgumentException("the URI needs a user and a host: " + redact(uri));
        }
        return new MysqlUri(user, password, host, port);
    }

    /** The same address with this password. */
    public MysqlUri withPassword(String p) {
        return new MysqlUri(user, p, host, port);
    }

    /** {@code host:port}, the server's name in snapshot metadata. */
    public String server() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return "mysql://" + user + "@" + server();
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String redact(String uri) {
        return uri.replaceAll("(://[^:@/]*):[^@]*@", "$1:***@");
    }
}
