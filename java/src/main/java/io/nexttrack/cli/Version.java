package io.nexttrack.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/**
 * What {@code -V} prints on every command: the pom's version, which the build writes into the resource
 * {@code version.properties} (one source; nothing to keep in step by hand).
 */
final class Version implements CommandLine.IVersionProvider {
    static final String UNKNOWN = "(version unknown: built without Maven's resource filtering)";

    /** The version, e.g. {@code 0.1.0-SNAPSHOT}. */
    static String number() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) return UNKNOWN;
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "");
            return v.isBlank() || v.startsWith("${") ? UNKNOWN : v;
        } catch (IOException e) {
            return UNKNOWN;
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {"nexttrack " + number()};
    }
}
