package dev.arca.format;

/** No key file of the repository opens with the given password. */
public class WrongPasswordException extends RepositoryException {
    private static final long serialVersionUID = 1L;

    public WrongPasswordException(String message) {
        super(message);
    }
}
