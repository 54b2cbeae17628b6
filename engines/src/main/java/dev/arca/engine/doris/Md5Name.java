package dev.arca.engine.doris;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A file name carrying the md5 of the file's content: {@code <base>.<md5hex>}, split at the last
 * '.', with exactly 32 lowercase hex digits after it (Doris' {@code name + "." + md5Hex(content)}).
 */
public record Md5Name(String base, String md5) {
    private static final HexFormat HEX = HexFormat.of();

    /** The name split into base and md5, or null if it does not carry an md5. */
    public static Md5Name parse(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot <= 0 || fileName.length() - dot - 1 != 32) {
            return null;
        }
        String md5 = fileName.substring(dot + 1);
        for (int i = 0; i < md5.length(); i++) {
            char c = md5.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return null;
            }
        }
        return new Md5Name(fileName.substring(0, dot), md5);
    }

    public String fileName() {
        return base + "." + md5;
    }

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks MD5", e);
        }
    }

    public static String hex(byte[] digest) {
        return HEX.formatHex(digest);
    }
}
