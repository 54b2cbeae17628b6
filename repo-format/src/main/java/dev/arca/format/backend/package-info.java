/**
 * The storage SPI: a repository is a set of named files, and a {@link dev.arca.format.backend.Backend}
 * stores, lists, reads ranges of and deletes them. Backends know nothing of the format.
 *
 * <p>{@link dev.arca.format.backend.LocalBackend} is the embedded default (a directory);
 * {@link dev.arca.format.backend.MemoryBackend} is the reference implementation that tests of the
 * layers above use; {@link dev.arca.format.backend.RetryingBackend} is the decorator every location
 * is opened through. Every implementation passes the conformance suite in this module's tests
 * (a test-jar, which the {@code s3:} backend's tests in module {@code backend-s3} also run).
 */
package dev.arca.format.backend;
