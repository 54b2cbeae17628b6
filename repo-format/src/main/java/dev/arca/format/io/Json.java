package dev.arca.format.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.arca.format.CorruptObjectException;
import java.io.IOException;

/** The one JSON mapper of the format: unknown fields ignored on read (spec §5, §7, §11). */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private Json() {
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    public static <T> T read(byte[] data, int off, int len, Class<T> type, String object) throws CorruptObjectException {
        try {
            T v = MAPPER.readValue(data, off, len, type);
            if (v == null) {
                throw new CorruptObjectException(object, "empty JSON document");
            }
            return v;
        } catch (CorruptObjectException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CorruptObjectException(object, "invalid JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }
}
