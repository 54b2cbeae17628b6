package dev.arca.engine.redis;

/** RDB value type bytes ({@code rdb.h}): their names as {@code TYPE} reports them, their encodings, and the RDB version that introduced each. */
public final class RdbType {
    private RdbType() {
    }

    /** The highest value type byte of RDB version 12. */
    public static final int MAX = 25;

    /** The Redis type ({@code TYPE key}): string, list, set, zset, hash, stream, module. */
    public static String name(int t) {
        return switch (t) {
            case 0 -> "string";
            case 1, 10, 14, 18 -> "list";
            case 2, 11, 20 -> "set";
            case 3, 5, 12, 17 -> "zset";
            case 4, 9, 13, 16, 22, 23, 24, 25 -> "hash";
            case 6, 7 -> "module";
            case 15, 19, 21 -> "stream";
            default -> "unknown-" + t;
        };
    }

    /** The encoding of the stored value (as the rdb.h constant names it, lower case). */
    public static String encoding(int t) {
        return switch (t) {
            case 0 -> "string";
            case 1 -> "linkedlist";
            case 2 -> "hashtable";
            case 3 -> "skiplist";
            case 4 -> "hashtable";
            case 5 -> "skiplist2";
            case 6, 7 -> "module";
            case 9 -> "zipmap";
            case 10 -> "ziplist";
            case 11 -> "intset";
            case 12 -> "ziplist";
            case 13 -> "ziplist";
            case 14 -> "quicklist";
            case 15 -> "listpacks";
            case 16 -> "listpack";
            case 17 -> "listpack";
            case 18 -> "quicklist2";
            case 19 -> "listpacks2";
            case 20 -> "listpack";
            case 21 -> "listpacks3";
            case 22 -> "metadata-pre-ga";
            case 23 -> "listpack-ex-pre-ga";
            case 24 -> "metadata";
            case 25 -> "listpack-ex";
            default -> "unknown";
        };
    }

    /**
     * The first RDB version whose loader knows type byte {@code t}; a DUMP payload of that type
     * can be labelled with any version from this one on.
     */
    public static int sinceVersion(int t) {
        return switch (t) {
            case 0, 1, 2, 3, 4 -> 1;
            case 9, 10, 11, 12, 13 -> 2;
            case 5 -> 8;
            case 6 -> 8;
            case 7 -> 8;
            case 14 -> 7;
            case 15 -> 9;
            case 16, 17 -> 10;
            case 18, 19 -> 10;
            case 20, 21 -> 11;
            case 22, 23, 24, 25 -> 12;
            default -> Integer.MAX_VALUE;
        };
    }

    /** Whether {@code t} is a value type this parser can walk. */
    static boolean known(int t) {
        return t >= 0 && t <= MAX && t != 6 && t != 8;
    }
}
