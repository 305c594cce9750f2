package io.nexttrack.spark;

/** Column names as the user gave them, for {@code functions.col}: quoted, so that a dot or a space is part of the name. */
final class Columns {
    private Columns() {}

    static String quoted(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
