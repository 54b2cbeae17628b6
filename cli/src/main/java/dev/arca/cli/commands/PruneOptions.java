package dev.arca.cli.commands;

import dev.arca.index.Pruner;
import dev.arca.index.Retention;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The options of {@code prune}, shared with {@code forget --prune}. */
public final class PruneOptions {
    @Option(names = "--keep-delete", paramLabel = "DURATION", defaultValue = "24h",
            description = "Grace period between marking unused packs and deleting them (default ${DEFAULT-VALUE}); "
                    + "it must be longer than any backup runs, e.g. 48h, 90m, 0s.")
    String keepDelete;

    @Option(names = "--max-unused", paramLabel = "PERCENT", defaultValue = "5%",
            description = "Repack packs with more than this share of unused space (default ${DEFAULT-VALUE}), e.g. 10%%.")
    String maxUnused;

    @Option(names = "--max-repack", paramLabel = "SIZE", defaultValue = "unlimited",
            description = "Repack at most this many bytes of packs in one run (default ${DEFAULT-VALUE}), e.g. 2G, 500M.")
    String maxRepack;

    Pruner.Options toOptions(boolean dryRun) {
        return new Pruner.Options(Retention.parseDuration(keepDelete), percent(maxUnused), size(maxRepack), dryRun);
    }

    static double percent(String s) {
        String t = s.endsWith("%") ? s.substring(0, s.length() - 1) : s;
        try {
            double v = Double.parseDouble(t);
            if (v >= 0 && v <= 100) {
                return v / 100;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("--max-unused wants a percentage 0..100 such as 5%, got '" + s + "'");
    }

    static long size(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT);
        if (t.equals("UNLIMITED")) {
            return Long.MAX_VALUE;
        }
        long mult = 1;
        if (t.endsWith("B")) {
            t = t.substring(0, t.length() - 1);
        }
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'K' -> mult = 1L << 10;
                case 'M' -> mult = 1L << 20;
                case 'G' -> mult = 1L << 30;
                case 'T' -> mult = 1L << 40;
                default -> mult = 1;
            }
            if (mult > 1) {
                t = t.substring(0, t.length() - 1);
            }
        }
        try {
            long v = Long.parseLong(t);
            if (v >= 0) {
                return Math.multiplyHigh(v, mult) != 0 ? Long.MAX_VALUE : v * mult;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("--max-repack wants a size such as 500M, 2G or 'unlimited', got '" + s + "'");
    }
}
