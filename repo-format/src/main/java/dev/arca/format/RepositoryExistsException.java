package dev.arca.format;

/** {@code init} found a repository, or other files, where it was asked to create one. */
public class RepositoryExistsException extends RepositoryException {
    private static final long serialVersionUID = 1L;

    public RepositoryExistsException(String message) {
        super(message);
    }
}
