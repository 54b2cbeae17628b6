package dev.arca.cli.commands;

import dev.arca.format.repo.Repository;
import picocli.CommandLine.Option;

/** The {@code --compression} option of the commands that store data (a picocli mixin). */
public final class CompressionOption {
    /** The zstd level {@code auto} stands for. */
    public static final int AUTO_LEVEL = Repository.DEFAULT_COMPRESSION_LEVEL;

    @Option(names = "--compression", paramLabel = "MODE", defaultValue = "auto",
            description = "How hard to compress new data: auto (default, zstd level " + AUTO_LEVEL + "), off, "
                    + "fastest (level 1), better (level 9), max (level 19), or a zstd level from -7 to 22. "
                    + "Blocks that do not shrink are stored as they are. Example: --compression max")
    String mode = "auto";

    /** The zstd level, 0 for none. */
    public int level() {
        return switch (mode) {
            case "auto" -> AUTO_LEVEL;
            case "off" -> 0;
            case "fastest" -> 1;
            case "better" -> 9;
            case "max" -> 19;
            default -> {
                int n;
                try {
                    n = Integer.parseInt(mode);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--compression: expected auto, off, fastest, better, max or a "
                            + "zstd level from -7 to 22, got '" + mode + "'");
                }
                if (n < -7 || n > 22) {
                    throw new IllegalArgumentException("--compression: zstd level must be -7..22, got " + n);
                }
                yield n;
            }
        };
    }
}
