package dev.arca.engine.doris;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The names of a Doris backup repository (engine-formats.md §3):
 * <pre>
 * __palo_repository_&lt;repo&gt;/
 *   __repo_info                                   JSON {"name", "create_time"}; no md5 in the name
 *   __ss_&lt;label&gt;/
 *     __meta.&lt;md5&gt;                               BackupMeta (opaque)
 *     __info_&lt;yyyy-MM-dd-HH-mm-ss&gt;.&lt;md5&gt;         job info JSON
 *     __ss_content/__db_&lt;dbId&gt;/__tbl_&lt;tblId&gt;/__part_&lt;partId&gt;/__idx_&lt;indexId&gt;/__&lt;tabletId&gt;/
 *       &lt;tabletId&gt;.hdr.&lt;md5&gt;, &lt;rowsetId&gt;_&lt;seg&gt;.dat.&lt;md5&gt;, *.idx.&lt;md5&gt;, …
 * </pre>
 * An older layout puts the tablet's files one level lower, in {@code __<schemaHash>/}; both are read.
 */
public final class DorisLayout {
    public static final String REPOSITORY_PREFIX = "__palo_repository_";
    public static final String REPO_INFO = "__repo_info";
    public static final String SNAPSHOT_PREFIX = "__ss_";
    public static final String CONTENT = "__ss_content";
    public static final String META = "__meta";
    public static final String INFO_PREFIX = "__info_";
    public static final String DB_PREFIX = "__db_";
    public static final String TABLE_PREFIX = "__tbl_";
    public static final String PARTITION_PREFIX = "__part_";
    public static final String INDEX_PREFIX = "__idx_";
    public static final String TABLET_PREFIX = "__";
    /** The job's create time in the FE's time zone, as in {@code __info_2024-03-01-02-00-13}. */
    public static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{2}");
    /** Doris labels and repository names: letters, digits, '_', '-' and ':'. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_:\\-]{1,128}");

    private DorisLayout() {
    }

    /** Whether {@code s} can be a repository name or a snapshot label (and so a path element). */
    public static boolean validName(String s) {
        return s != null && NAME.matcher(s).matches();
    }

    /** The id in a directory name like {@code __tbl_10004}, or -1. */
    public static long idAfter(String prefix, String name) {
        if (!name.startsWith(prefix) || name.length() == prefix.length() || name.length() - prefix.length() > 18) {
            return -1;
        }
        long v = 0;
        for (int i = prefix.length(); i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** The timestamp of an info file's base name ({@code __info_<ts>}), or null. */
    public static String infoTimestamp(String base) {
        if (!base.startsWith(INFO_PREFIX)) {
            return null;
        }
        String ts = base.substring(INFO_PREFIX.length());
        return TIMESTAMP.matcher(ts).matches() ? ts : null;
    }

    /**
     * The {@code __palo_repository_<name>} directory that {@code dir} is or holds (exactly one).
     *
     * @throws DorisFormatException if there is none or more than one
     */
    public static Path findRepository(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "no such directory");
        }
        Path name = dir.getFileName();
        if (name != null && name.toString().startsWith(REPOSITORY_PREFIX)) {
            return dir;
        }
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, REPOSITORY_PREFIX + "*")) {
            for (Path p : ds) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    found.add(p);
                }
            }
        }
        if (found.isEmpty()) {
            throw new DorisFormatException(dir.toString(), "not a Doris repository: no " + REPOSITORY_PREFIX
                    + "<name> directory in it");
        }
        if (found.size() > 1) {
            found.sort(null);
            throw new DorisFormatException(dir.toString(), "holds " + found.size() + " Doris repositories ("
                    + found.stream().map(p -> p.getFileName().toString()).toList() + "); name one of them");
        }
        return found.get(0);
    }

    /** The repository name of a {@code __palo_repository_<name>} directory. */
    public static String repositoryName(Path repoDir) throws DorisFormatException {
        String dirName = repoDir.getFileName().toString();
        String name = dirName.substring(REPOSITORY_PREFIX.length());
        if (!dirName.startsWith(REPOSITORY_PREFIX) || !validName(name)) {
            throw new DorisFormatException(repoDir.toString(), "not a " + REPOSITORY_PREFIX + "<name> directory");
        }
        return name;
    }
}
