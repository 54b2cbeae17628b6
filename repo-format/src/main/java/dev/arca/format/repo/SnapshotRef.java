package dev.arca.format.repo;

import dev.arca.format.id.FileId;
import dev.arca.format.snapshot.Snapshot;

/** A snapshot and the id of the file it was read from. */
public record SnapshotRef(FileId id, Snapshot snapshot) {
}
