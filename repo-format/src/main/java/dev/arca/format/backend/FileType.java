package dev.arca.format.backend;

/** The kinds of files in a repository and the directory each lives in (spec §2). */
public enum FileType {
    CONFIG(""),
    KEY("keys"),
    PACK("data"),
    INDEX("index"),
    SNAPSHOT("snapshots"),
    /** Prune's deletion marks and their cancellations (spec §13.1). */
    MARK("marks"),
    LOCK("locks");

    private final String dir;

    FileType(String dir) {
        this.dir = dir;
    }

    /** The directory, or "" for the config which lives at the top. */
    public String dir() {
        return dir;
    }
}
