package dev.arca.format.backend;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Bytes to store: a length and a stream that can be opened again (for retries). */
public interface Payload {
    long length();

    InputStream open() throws IOException;

    static Payload of(byte[] data) {
        return of(data, 0, data.length);
    }

    static Payload of(byte[] data, int off, int len) {
        return new Payload() {
            @Override
            public long length() {
                return len;
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(data, off, len);
            }
        };
    }
}
