package dev.arca.format;

/** The work needs more of a resource (memory) than this process has; the data may well be fine. */
public class ResourceLimitException extends RepositoryException {
    private static final long serialVersionUID = 1L;

    public ResourceLimitException(String message) {
        super(message);
    }
}
