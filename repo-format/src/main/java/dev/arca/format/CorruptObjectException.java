package dev.arca.format;

/**
 * A stored object exists but its bytes are not what the format or its authentication tag
 * demands: a flipped bit, a truncation, a file that does not match its name. The message names
 * the object.
 */
public class CorruptObjectException extends RepositoryException {
    private static final long serialVersionUID = 1L;
    private final String object;

    public CorruptObjectException(String object, String problem) {
        super(object + ": " + problem);
        this.object = object;
    }

    public CorruptObjectException(String object, String problem, Throwable cause) {
        super(object + ": " + problem, cause);
        this.object = object;
    }

    /** The object, as a repository path such as {@code data/ab/ab12…} or {@code blob 5f3e…}. */
    public String object() {
        return object;
    }
}
