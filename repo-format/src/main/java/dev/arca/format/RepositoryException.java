package dev.arca.format;

import java.io.IOException;

/** Base of arca's typed repository errors. */
public class RepositoryException extends IOException {
    private static final long serialVersionUID = 1L;

    public RepositoryException(String message) {
        super(message);
    }

    public RepositoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
