package dev.arca.format.id;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The name of a stored pack, index, snapshot or key file: the SHA-256 of its bytes (spec §1). */
public final class FileId extends Hash32 implements Comparable<FileId> {
    private FileId(byte[] raw, int off) {
        super(raw, off);
    }

    public static FileId fromBytes(byte[] raw) {
        return new FileId(raw, 0);
    }

    public static FileId fromBytes(byte[] raw, int off) {
        return new FileId(raw, off);
    }

    public static FileId fromHex(String hex) {
        return new FileId(parseHex(hex), 0);
    }

    /** Whether {@code s} has the form of a file id (64 lowercase hex digits). */
    public static boolean isValid(String s) {
        if (s.length() != 2 * LENGTH) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** The id of a file with these bytes. */
    public static FileId of(byte[] data, int off, int len) {
        MessageDigest md = sha256();
        md.update(data, off, len);
        return new FileId(md.digest(), 0);
    }

    public static FileId of(byte[] data) {
        return of(data, 0, data.length);
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable in this JDK", e);
        }
    }

    @Override
    public int compareTo(FileId o) {
        return compareWords(o);
    }
}
