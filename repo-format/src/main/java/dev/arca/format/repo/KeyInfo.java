package dev.arca.format.repo;

import dev.arca.format.id.FileId;

/** A key file as listed by {@code key list}. */
public record KeyInfo(FileId id, boolean current, String created, String host, String user) {
}
