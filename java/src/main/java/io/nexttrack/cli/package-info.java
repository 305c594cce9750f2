/**
 * Internal: no compatibility promise. The command line ({@code ./nexttrack}, {@link io.nexttrack.cli.Main}): one
 * class per command, on picocli, an optional dependency that a library user does not get.
 */
package io.nexttrack.cli;
