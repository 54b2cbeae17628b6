package dev.arca.engine.aerospike;

import java.io.IOException;

/** A malformed {@code .asb} input: names the file, the line and the column (both from 1). */
public final class AsbFormatException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final long line;
    private final long column;

    public AsbFormatException(String file, long line, long column, String problem) {
        super(file + ":" + line + ":" + column + ": " + problem);
        this.file = file;
        this.line = line;
        this.column = column;
    }

    /** A problem with the whole file (not text, compressed, encrypted): no position. */
    public AsbFormatException(String file, String problem) {
        super(file + ": " + problem);
        this.file = file;
        this.line = 0;
        this.column = 0;
    }

    public String file() {
        return file;
    }

    public long line() {
        return line;
    }

    public long column() {
        return column;
    }
}
