package dev.arca.format.repo;

import dev.arca.format.id.FileId;

/**
 * A key file as listed by {@code key list}. {@code problem} says why a key file cannot be read
 * (then the other fields are null), so that a damaged or planted file is shown and can be removed.
 */
public record KeyInfo(FileId id, boolean current, String created, String host, String user, String problem) {
}
