package dev.arca.engine.mysql;

import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a {@code mariadb-dump --master-data=2 --gtid} (or {@code mysqldump --source-data=2}) says
 * about itself in its comments: the binlog file and position it is consistent with, and the GTID
 * position (MariaDB prints it near the end of the dump).
 */
final class DumpHeader implements Consumer<String> {
    private static final Pattern COORDS = Pattern.compile(
            "^-- CHANGE (?:MASTER|REPLICATION SOURCE) TO (?:MASTER|SOURCE)_LOG_FILE='([^']+)', (?:MASTER|SOURCE)_LOG_POS=(\\d+)");
    private static final Pattern GTID = Pattern.compile("^-- SET GLOBAL gtid_slave_pos='([^']*)'");
    private static final Pattern VERSION = Pattern.compile("^-- Server version\\s+(.+)$");

    String file;
    long position = -1;
    String gtid;
    String serverVersion;

    @Override
    public void accept(String line) {
        if (!line.startsWith("-- ")) {
            return;
        }
        Matcher m = COORDS.matcher(line);
        if (m.find()) {
            file = m.group(1);
            position = Long.parseLong(m.group(2));
            return;
        }
        m = GTID.matcher(line);
        if (m.find()) {
            gtid = m.group(1);
            return;
        }
        m = VERSION.matcher(line);
        if (m.find() && serverVersion == null) {
            serverVersion = m.group(1).strip();
        }
    }

    boolean hasCoordinates() {
        return file != null && position >= 0;
    }
}
