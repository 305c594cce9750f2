/** Internal: no compatibility promise. The small JSON reader and writer that the reports and the service share. */
package io.nexttrack.json;
