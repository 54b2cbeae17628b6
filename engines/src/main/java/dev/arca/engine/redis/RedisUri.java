package dev.arca.engine.redis;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * {@code redis://[[user]:password@]host[:port]} (port 6379 by default). TLS ({@code rediss://})
 * is not supported.
 */
public record RedisUri(String host, int port, String user, String password) {
    public static RedisUri parse(String uri) {
        String rest;
        if (uri.startsWith("redis://")) {
            rest = uri.substring("redis://".length());
        } else if (uri.startsWith("rediss://")) {
            throw new IllegalArgumentException("rediss:// (TLS) is not supported; use redis:// (e.g. through a TLS tunnel)");
        } else {
            throw new IllegalArgumentException("'" + uri + "' is not a redis://[user:password@]host:port URI");
        }
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            String tail = rest.substring(slash + 1);
            if (!tail.isEmpty() && !tail.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("'" + uri + "': unexpected path '/" + tail + "'");
            }
            rest = rest.substring(0, slash);
        }
        String user = null;
        String password = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String cred = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = cred.indexOf(':');
            if (colon >= 0) {
                user = decode(cred.substring(0, colon));
                password = decode(cred.substring(colon + 1));
            } else {
                password = decode(cred);
            }
            if (user != null && user.isEmpty()) {
                user = null;
            }
        }
        String host = rest;
        int port = 6379;
        int colon = rest.lastIndexOf(':');
        if (colon >= 0 && !rest.endsWith("]")) {
            host = rest.substring(0, colon);
            try {
                port = Integer.parseInt(rest.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + uri + "': bad port '" + rest.substring(colon + 1) + "'");
            }
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("'" + uri + "': a host and a port from 1 to 65535 are needed");
        }
        return new RedisUri(host, port, user, password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The URI without the password, for metadata and messages. */
    public String redacted() {
        String cred = user == null && password == null ? "" : (user == null ? "" : user) + (password == null ? "" : ":***") + "@";
        return "redis://" + cred + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return redacted();
    }
}
