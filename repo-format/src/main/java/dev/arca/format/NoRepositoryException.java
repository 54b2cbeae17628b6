package dev.arca.format;

/** The location holds no arca repository (no config), or cannot be reached. */
public class NoRepositoryException extends RepositoryException {
    private static final long serialVersionUID = 1L;

    public NoRepositoryException(String message) {
        super(message);
    }
}
