package dev.arca.engine.redis;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Keys as path names under {@code /records/db<N>/} and as JSON text: a key that is valid UTF-8 is
 * itself, except that {@code /}, {@code %}, control characters and a leading dot of "." or ".."
 * are written {@code %XX}; a key that is not valid UTF-8 has every byte outside printable ASCII
 * written {@code %XX}. {@link #decode} reverses it.
 */
public final class KeyNames {
    private KeyNames() {
    }

    public static String encode(byte[] key) {
        if (key.length == 0) {
            return "%";
        }
        boolean utf8 = utf8(key) != null;
        StringBuilder b = new StringBuilder();
        String text = utf8 ? new String(key, StandardCharsets.UTF_8) : null;
        if (utf8) {
            text.codePoints().forEach(cp -> {
                if (cp == '/' || cp == '%' || cp < 0x20 || cp == 0x7f) {
                    b.append(String.format("%%%02X", cp));
                } else {
                    b.appendCodePoint(cp);
                }
            });
        } else {
            for (byte x : key) {
                int c = x & 0xff;
                if (c == '/' || c == '%' || c < 0x20 || c >= 0x7f) {
                    b.append(String.format("%%%02X", c));
                } else {
                    b.append((char) c);
                }
            }
        }
        String s = b.toString();
        if (s.equals(".") || s.equals("..")) {
            return s.replace(".", "%2E");
        }
        return s;
    }

    public static byte[] decode(String name) {
        if (name.equals("%")) {
            return new byte[0];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '%' && i + 2 < b.length && hex(b[i + 1]) >= 0 && hex(b[i + 2]) >= 0) {
                out.write(hex(b[i + 1]) << 4 | hex(b[i + 2]));
                i += 2;
            } else {
                out.write(b[i]);
            }
        }
        return out.toByteArray();
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }

    /** The key as UTF-8 text, or null if it is not valid UTF-8. */
    public static String utf8(byte[] key) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(key)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
