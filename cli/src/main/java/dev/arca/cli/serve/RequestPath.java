package dev.arca.cli.serve;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A request's path as a list of names, decoded one segment at a time from the raw path so that an
 * encoded slash ({@code %2F}) stays inside its name and is then refused. A path is refused
 * (null) when a name decodes to ".", "..", or holds '/', '\' , NUL or invalid UTF-8, or when the
 * path is not absolute: nothing a client sends can name anything outside the repository's tree.
 */
public final class RequestPath {
    private RequestPath() {
    }

    /** The names of {@code rawPath}, or null if it is refused. Empty segments ("//") are dropped. */
    public static List<String> parse(String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/")) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String raw : rawPath.split("/", -1)) {
            if (raw.isEmpty()) {
                continue;
            }
            String name = decode(raw);
            if (name == null || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0
                    || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0) {
                return null;
            }
            out.add(name);
        }
        return out;
    }

    private static String decode(String s) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                b.write(hi << 4 | lo);
                i += 2;
            } else if (c < 0x80) {
                b.write(c);
            } else {
                byte[] u = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                b.write(u, 0, u.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** {@code /a/b} with each name percent-encoded (RFC 3986 unreserved characters stay). */
    public static String encode(List<String> names, boolean collection) {
        StringBuilder sb = new StringBuilder();
        for (String n : names) {
            sb.append('/').append(encodeName(n));
        }
        if (collection || names.isEmpty()) {
            sb.append('/');
        }
        return sb.toString();
    }

    public static String encodeName(String name) {
        StringBuilder sb = new StringBuilder();
        for (byte x : name.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }
}
