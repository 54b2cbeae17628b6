package dev.arca.format;

/**
 * What the user named is not a snapshot of this repository: an unknown id or prefix, or
 * {@code latest} where there is none. Not an integrity problem: nothing stored is damaged.
 */
public class NoSuchSnapshotException extends RepositoryException {
    private static final long serialVersionUID = 1L;

    public NoSuchSnapshotException(String message) {
        super(message);
    }
}
