package dev.arca.engine.redis;

import java.io.IOException;

/** A Redis server said no (an error reply), or could not be reached; the message says which server and what. */
public class RedisException extends IOException {
    public RedisException(String message) {
        super(message);
    }

    public RedisException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The server refused the credentials (AUTH failed, or it needs a password). */
    public static final class Auth extends RedisException {
        public Auth(String message) {
            super(message);
        }
    }
}
