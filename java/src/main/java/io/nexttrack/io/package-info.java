/**
 * Internal: no compatibility promise. File helpers shared by the library and the command line: atomic writes,
 * input checks, quoting of untrusted text in messages.
 */
package io.nexttrack.io;
