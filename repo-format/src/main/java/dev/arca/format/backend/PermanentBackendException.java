package dev.arca.format.backend;

import java.io.IOException;

/**
 * A backend failure that trying again cannot fix (a bucket that does not exist, credentials that
 * are refused): {@link RetryingBackend} passes it on at once.
 */
public class PermanentBackendException extends IOException {
    private static final long serialVersionUID = 1L;

    public PermanentBackendException(String message) {
        super(message);
    }

    public PermanentBackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
