package dev.arca.engine.files;

import dev.arca.format.repo.Repository;
import dev.arca.format.snapshot.Snapshot;
import java.io.IOException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * What changed between two snapshots, as {@code arca diff} and the browse page of
 * {@code arca serve} show it: every change in path order, metadata-only changes only when asked
 * for, and the count of each kind of change.
 */
public final class SnapshotDiff {
    private final Repository repo;
    private final boolean metadata;

    /** @param metadata whether entries whose metadata alone changed are reported */
    public SnapshotDiff(Repository repo, boolean metadata) {
        this.repo = repo;
        this.metadata = metadata;
    }

    /** Sends each change to {@code listener}; returns how many of each kind there were. */
    public Map<TreeDiff.Change, Long> run(Snapshot before, Snapshot after, TreeDiff.Listener listener) throws IOException {
        Map<TreeDiff.Change, Long> counts = new EnumMap<>(TreeDiff.Change.class);
        for (TreeDiff.Change c : TreeDiff.Change.values()) {
            counts.put(c, 0L);
        }
        new TreeDiff(repo).diff(before.treeId(), after.treeId(), "", (change, path, x, y) -> {
            if (change == TreeDiff.Change.METADATA && !metadata) {
                return;
            }
            counts.merge(change, 1L, Long::sum);
            listener.changed(change, path, x, y);
        });
        return Collections.unmodifiableMap(counts);
    }
}
