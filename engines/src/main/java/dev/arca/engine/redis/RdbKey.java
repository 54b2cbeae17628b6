package dev.arca.engine.redis;

import java.nio.charset.StandardCharsets;

/**
 * One key in an RDB: its database, name, value type byte and absolute expiry (ms since the epoch,
 * or -1 for none), and where its bytes are: {@code [recordStart, end)} is the whole record
 * (expiry, LRU/LFU opcodes, type byte, key, value); the type byte is at {@code typeOffset}; the
 * value is {@code [valueStart, end)}. A DUMP payload is the type byte plus the value.
 */
public record RdbKey(int db, byte[] key, int type, long expireMs, long recordStart, long typeOffset,
                     long valueStart, long end) {
    public boolean hasExpiry() {
        return expireMs >= 0;
    }

    /** The stored size of the value (its serialized bytes in the RDB). */
    public long valueSize() {
        return end - valueStart;
    }

    public String typeName() {
        return RdbType.name(type);
    }

    /** The key as text, ISO-8859-1 when it is not valid UTF-8 (for messages). */
    public String keyText() {
        return new String(key, StandardCharsets.UTF_8);
    }
}
