package dev.arca.format;

/** A file's format version lies outside the window this reader understands. */
public class UnsupportedVersionException extends RepositoryException {
    private static final long serialVersionUID = 1L;

    public UnsupportedVersionException(String object, String kind, int version, int minVersion, int maxVersion) {
        super(object + ": " + kind + " version " + version + " is not supported by this arca (it reads versions "
                + minVersion + (minVersion == maxVersion ? "" : " to " + maxVersion)
                + (version > maxVersion ? "); a newer arca wrote it, upgrade to read it" : ")"));
    }
}
