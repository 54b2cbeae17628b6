/**
 * The {@code s3:} storage backend: {@link dev.arca.backend.s3.S3Location} parses a location,
 * {@link dev.arca.backend.s3.S3Backend} implements {@link dev.arca.format.backend.Backend} over the
 * AWS SDK for Java v2 for AWS and any S3-compatible server. Its tests run the backend conformance
 * suite against S3Proxy in the test JVM.
 */
package dev.arca.backend.s3;
