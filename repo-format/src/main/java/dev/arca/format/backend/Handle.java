package dev.arca.format.backend;

/**
 * A file in a repository: its type and its name. Packs live one level deeper, under the first
 * two characters of their name ({@code data/ab/ab12…}).
 */
public record Handle(FileType type, String name) {
    public static final Handle CONFIG = new Handle(FileType.CONFIG, "config");

    public Handle {
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..") || name.endsWith(".tmp")) {
            throw new IllegalArgumentException("invalid file name: " + name);
        }
        if (type == FileType.PACK && name.length() < 2) {
            throw new IllegalArgumentException("pack names need at least two characters: " + name);
        }
    }

    /** The path relative to the repository root, with '/' separators. */
    public String path() {
        return switch (type) {
            case CONFIG -> name;
            case PACK -> type.dir() + "/" + name.substring(0, 2) + "/" + name;
            default -> type.dir() + "/" + name;
        };
    }

    @Override
    public String toString() {
        return path();
    }
}
