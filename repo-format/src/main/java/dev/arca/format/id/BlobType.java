package dev.arca.format.id;

/** What a blob holds (spec §1). The code is the byte stored in pack headers and index files. */
public enum BlobType {
    DATA(1),
    TREE(2);

    private final int code;

    BlobType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type for a stored code, or null if unknown. */
    public static BlobType fromCode(int code) {
        return switch (code) {
            case 1 -> DATA;
            case 2 -> TREE;
            default -> null;
        };
    }
}
