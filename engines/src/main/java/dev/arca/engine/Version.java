package dev.arca.engine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The program's version, as recorded in snapshots and shown by {@code arca --version}. */
public final class Version {
    public static final String NUMBER = load();
    public static final String PROGRAM = "arca " + NUMBER;

    private Version() {
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
