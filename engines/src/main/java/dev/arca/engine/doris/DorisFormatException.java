package dev.arca.engine.doris;

import java.io.IOException;

/** A Doris repository tree that breaks its layout or its checksums; names the file it is about. */
public final class DorisFormatException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String file;

    public DorisFormatException(String file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public DorisFormatException(String file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file or directory the problem is about. */
    public String file() {
        return file;
    }
}
