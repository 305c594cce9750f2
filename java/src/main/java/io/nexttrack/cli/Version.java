package io.nexttrack.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * What {@code -V} prints on every command: the pom's version, which the build writes into the resource
 * {@code version.txt} (filtered from {@code src/main/resources-filtered}: one source, nothing to keep in step by hand).
 */
final class Version implements CommandLine.IVersionProvider {
    static final String UNKNOWN = "(version unknown: built without Maven's resource filtering)";

    /** The version, e.g. {@code 0.1.0-SNAPSHOT}. */
    static String number() {
        try (InputStream in = Version.class.getResourceAsStream("version.txt")) {
            if (in == null) return UNKNOWN;
            String v = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            return v.isEmpty() || v.startsWith("${") ? UNKNOWN : v;
        } catch (IOException e) {
            return UNKNOWN;
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {"nexttrack " + number()};
    }
}
