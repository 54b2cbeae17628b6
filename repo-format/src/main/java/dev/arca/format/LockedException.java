package dev.arca.format;

/** Another process holds the exclusive lock an operation needs (only prunes take one). */
public class LockedException extends RepositoryException {
    private static final long serialVersionUID = 1L;

    public LockedException(String message) {
        super(message);
    }
}
