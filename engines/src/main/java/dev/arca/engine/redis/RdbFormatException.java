package dev.arca.engine.redis;

import java.io.IOException;

/** An RDB (or a DUMP payload) that is malformed: truncated, a wrong CRC64, an unknown type byte. Names the input and the byte offset. */
public final class RdbFormatException extends IOException {
    private final String source;
    private final long offset;

    public RdbFormatException(String source, long offset, String message) {
        super(source + ": " + message + " (at byte offset " + offset + ")");
        this.source = source;
        this.offset = offset;
    }

    public String source() {
        return source;
    }

    public long offset() {
        return offset;
    }
}
