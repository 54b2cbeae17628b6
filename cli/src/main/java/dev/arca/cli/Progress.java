package dev.arca.cli;

import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress line on the terminal (bytes, rate, ETA, and an extra message such as the file
 * count), refreshed from counters that the work updates; nothing at all when nobody watches.
 */
public final class Progress implements AutoCloseable {
    private final ProgressBar bar;
    private final Thread updater;
    private final LongSupplier current;
    private final LongSupplier total;
    private final Supplier<String> extra;
    private volatile boolean done;

    private Progress(ProgressBar bar, LongSupplier current, LongSupplier total, Supplier<String> extra) {
        this.bar = bar;
        this.current = current;
        this.total = total;
        this.extra = extra;
        this.updater = new Thread(() -> {
            while (!done) {
                update(current, total, extra);
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "arca-progress");
        updater.setDaemon(true);
        updater.start();
    }

    private void update(LongSupplier current, LongSupplier total, Supplier<String> extra) {
        long t = total.getAsLong();
        if (t > 0) {
            bar.maxHint(Math.max(t, current.getAsLong()) >> 10);
        }
        bar.stepTo(current.getAsLong() >> 10);
        String e = extra.get();
        bar.setExtraMessage(e.isEmpty() ? "" : " " + e);
    }

    /**
     * Starts a progress line if {@code show}, else returns a no-op.
     *
     * @param current bytes done so far
     * @param total   bytes expected in all, or ≤ 0 while unknown
     */
    public static Progress start(Context ctx, boolean show, String task, LongSupplier current, LongSupplier total,
                                 Supplier<String> extra) {
        if (!show) {
            return null;
        }
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(-1)
                .setUnit(" MiB", 1024)
                .showSpeed()
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .setConsumer(new ConsoleProgressBarConsumer(ctx.err()))
                .setSpeedUnit(java.time.temporal.ChronoUnit.SECONDS)
                .build();
        return new Progress(bar, current, total, extra);
    }

    public static void stop(Progress p) {
        if (p != null) {
            p.close();
        }
    }

    @Override
    public void close() {
        done = true;
        updater.interrupt();
        try {
            updater.join(Duration.ofSeconds(1).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        update(current, total, extra);
        bar.close();
    }
}
