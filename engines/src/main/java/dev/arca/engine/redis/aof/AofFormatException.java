package dev.arca.engine.redis.aof;

import java.io.IOException;

/** A malformed AOF directory, manifest or file: names the file and, where it applies, the byte offset. */
public final class AofFormatException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final long offset;

    /** A problem at byte {@code offset} (from 0) of {@code file}. */
    public AofFormatException(String file, long offset, String problem) {
        super(file + ": at byte offset " + offset + ": " + problem);
        this.file = file;
        this.offset = offset;
    }

    /** A problem with the whole file or directory: no position. */
    public AofFormatException(String file, String problem) {
        super(file + ": " + problem);
        this.file = file;
        this.offset = -1;
    }

    public String file() {
        return file;
    }

    /** The byte offset, or -1 when the problem has none. */
    public long offset() {
        return offset;
    }
}
