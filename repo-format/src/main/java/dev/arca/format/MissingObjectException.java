package dev.arca.format;

/** An object that the repository's own records say exists cannot be found. */
public class MissingObjectException extends RepositoryException {
    private static final long serialVersionUID = 1L;
    private final String object;

    public MissingObjectException(String object, String problem) {
        super(object + ": " + problem);
        this.object = object;
    }

    public String object() {
        return object;
    }
}
