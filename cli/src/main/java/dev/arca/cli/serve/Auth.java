package dev.arca.cli.serve;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Who may use the server. {@link #none()} lets everyone in (loopback only, the command makes
 * sure); {@link #basic} checks HTTP Basic credentials; {@link #token} accepts
 * {@code Authorization: Bearer TOKEN} or HTTP Basic with any user name and TOKEN as the
 * password (so browsers and WebDAV clients that only speak Basic can use it).
 * Comparisons take the same time whatever the input.
 */
public final class Auth {
    private final String user;
    private final byte[] secret;

    private Auth(String user, String secret) {
        this.user = user;
        this.secret = secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
    }

    public static Auth none() {
        return new Auth(null, null);
    }

    public static Auth basic(String user, String password) {
        if (user.isEmpty() || user.contains(":") || password.isEmpty()) {
            throw new IllegalArgumentException("a user name (without ':') and a non-empty password are needed");
        }
        return new Auth(user, password);
    }

    public static Auth token(String token) {
        if (token.length() < 16) {
            throw new IllegalArgumentException("a token must have at least 16 characters");
        }
        return new Auth(null, token);
    }

    public boolean required() {
        return secret != null;
    }

    /** Whether a request with this {@code Authorization} header (may be null) is let in. */
    public boolean allows(String authorization) {
        if (secret == null) {
            return true;
        }
        if (authorization == null) {
            return false;
        }
        if (user == null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return same(authorization.substring(7).trim(), secret);
        }
        if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return false;
        }
        boolean userOk = user == null || same(decoded.substring(0, colon), user.getBytes(StandardCharsets.UTF_8));
        return same(decoded.substring(colon + 1), secret) & userOk;
    }

    private static boolean same(String given, byte[] expected) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected);
    }
}
