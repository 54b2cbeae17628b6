package dev.arca.cli;

import dev.arca.backend.s3.S3Backend;
import dev.arca.backend.s3.S3Location;
import dev.arca.format.backend.Backend;
import dev.arca.format.backend.LocalBackend;
import dev.arca.format.backend.RetryingBackend;
import java.io.IOException;
import java.util.function.UnaryOperator;

/**
 * Turns a repository location as a user writes it into a {@link Backend}: a directory (or
 * {@code local:DIR}), or {@code s3:http[s]://host:port/bucket/prefix} (or {@code s3:bucket/prefix}
 * on AWS). Every backend is wrapped in a {@link RetryingBackend}.
 */
public final class Locations {
    /** Tests put a fault-injecting decorator here; it wraps every backend below the retries. */
    static volatile UnaryOperator<Backend> testDecorator = UnaryOperator.identity();

    private Locations() {
    }

    /** Whether the location is a directory on this machine. */
    public static boolean isLocal(String location) {
        return location.startsWith("local:") || !location.matches("^[a-z][a-z0-9+.-]*:.*");
    }

    /** Opens the backend of a location, checking only what is cheap (an S3 bucket's existence). */
    public static Backend open(Context ctx, String location) throws IOException {
        Backend raw;
        if (S3Location.matches(location)) {
            raw = S3Backend.open(location, ctx.env());
        } else if (isLocal(location)) {
            raw = new LocalBackend(ctx.path(location.startsWith("local:") ? location.substring(6) : location));
        } else {
            throw new IllegalArgumentException("unknown repository location '" + location
                    + "': give a directory, local:DIR, or s3:http[s]://host:port/bucket/prefix");
        }
        return RetryingBackend.wrap(testDecorator.apply(raw));
    }
}
