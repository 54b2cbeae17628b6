package dev.arca.backend.s3;

import java.net.URI;

/**
 * A parsed {@code s3:} location: {@code s3:http[s]://host[:port]/bucket[/prefix]} for any
 * S3-compatible server, or {@code s3:bucket[/prefix]} for AWS itself.
 *
 * @param endpoint the server, or null for AWS's own endpoint of the region
 * @param bucket   the bucket name
 * @param prefix   the key prefix the repository lives under, without slashes at either end
 *                 ("" for the bucket's root)
 */
public record S3Location(URI endpoint, String bucket, String prefix) {
    public static final String SCHEME = "s3:";

    public static boolean matches(String location) {
        return location.startsWith(SCHEME);
    }

    /** Parses a location; a malformed one is an {@link IllegalArgumentException} saying why. */
    public static S3Location parse(String location) {
        if (!matches(location)) {
            throw new IllegalArgumentException("not an s3: location: " + location);
        }
        String rest = location.substring(SCHEME.length());
        URI endpoint = null;
        if (rest.startsWith("http://") || rest.startsWith("https://")) {
            int slash = rest.indexOf('/', rest.indexOf("//") + 2);
            if (slash < 0) {
                throw new IllegalArgumentException("s3 location '" + location + "' names no bucket; the form is "
                        + "s3:http[s]://host:port/bucket/prefix");
            }
            try {
                endpoint = URI.create(rest.substring(0, slash));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("s3 location '" + location + "': bad endpoint: " + e.getMessage(), e);
            }
            if (endpoint.getHost() == null) {
                throw new IllegalArgumentException("s3 location '" + location + "' has no host");
            }
            rest = rest.substring(slash + 1);
        } else if (rest.startsWith("//")) {
            rest = rest.substring(2);
        }
        while (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new IllegalArgumentException("s3 location '" + location + "': '" + bucket + "' is not a valid bucket "
                    + "name (3-63 characters: lowercase letters, digits, dots and hyphens)");
        }
        for (String part : prefix.split("/", -1)) {
            if (!prefix.isEmpty() && (part.isEmpty() || part.equals(".") || part.equals(".."))) {
                throw new IllegalArgumentException("s3 location '" + location + "': bad prefix '" + prefix + "'");
            }
        }
        return new S3Location(endpoint, bucket, prefix);
    }

    /** The object key of a repository path ({@code data/ab/ab12…}). */
    public String key(String path) {
        return prefix.isEmpty() ? path : prefix + "/" + path;
    }

    @Override
    public String toString() {
        return SCHEME + (endpoint != null ? endpoint + "/" : "") + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }
}
