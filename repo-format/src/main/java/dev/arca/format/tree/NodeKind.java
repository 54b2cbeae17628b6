package dev.arca.format.tree;

/** The type of a tree entry; the code is the byte stored in trees (spec §10). */
public enum NodeKind {
    FILE(1),
    DIR(2),
    SYMLINK(3),
    FIFO(4),
    CHAR_DEVICE(5),
    BLOCK_DEVICE(6),
    SOCKET(7);

    private final int code;

    NodeKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static NodeKind fromCode(int code) {
        for (NodeKind k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        return null;
    }

    /** Whether the node carries a device number ({@code rdev}) instead of content. */
    public boolean isSpecial() {
        return code >= 4;
    }
}
