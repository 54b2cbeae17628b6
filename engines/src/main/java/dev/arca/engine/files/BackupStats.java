package dev.arca.engine.files;

import java.util.concurrent.atomic.AtomicLong;

/** Live counters of a backup, read by progress displays from other threads. */
public final class BackupStats {
    public final AtomicLong filesNew = new AtomicLong();
    public final AtomicLong filesChanged = new AtomicLong();
    public final AtomicLong filesUnmodified = new AtomicLong();
    public final AtomicLong dirsNew = new AtomicLong();
    public final AtomicLong dirsChanged = new AtomicLong();
    public final AtomicLong dirsUnmodified = new AtomicLong();
    /** Bytes of file content processed (read, or skipped as unchanged). */
    public final AtomicLong bytesProcessed = new AtomicLong();
    public final AtomicLong filesProcessed = new AtomicLong();

    public long files() {
        return filesProcessed.get();
    }
}
