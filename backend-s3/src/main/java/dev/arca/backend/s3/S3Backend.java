package dev.arca.backend.s3;

import dev.arca.format.backend.Backend;
import dev.arca.format.backend.FileType;
import dev.arca.format.backend.Handle;
import dev.arca.format.backend.Payload;
import dev.arca.format.backend.PermanentBackendException;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A repository in an S3 bucket (any S3-compatible server), one object per repository file under
 * the location's prefix, with the same paths as a local repository ({@code data/ab/ab12…}).
 *
 * <p>S3 writes are atomic per object, so {@link #save} is one PUT; a crash leaves no object. Range
 * reads are ranged GETs. The SDK's client is thread-safe and pools {@value #CONNECTIONS}
 * connections, so callers that read or write from several threads transfer in parallel. The SDK
 * retries throttling and server errors itself; {@link dev.arca.format.backend.RetryingBackend}
 * adds arca's own retries on top. A missing bucket and refused credentials are
 * {@link PermanentBackendException}s.
 *
 * <p>Configuration, from the environment given to {@link #open}: {@code AWS_ACCESS_KEY_ID},
 * {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_SESSION_TOKEN}; else the profile files
 * ({@code ~/.aws/credentials}, {@code ~/.aws/config}, profile {@code AWS_PROFILE});
 * {@code AWS_REGION} (default {@code us-east-1}). Addressing is path-style, which every
 * S3-compatible server understands.
 */
public final class S3Backend implements Backend {
    static final int CONNECTIONS = 32;

    private final S3Location location;
    private final S3Client s3;

    S3Backend(S3Location location, S3Client s3) {
        this.location = location;
        this.s3 = s3;
    }

    /**
     * Connects and checks that the bucket exists.
     *
     * @throws PermanentBackendException if the bucket does not exist or access is refused
     */
    public static S3Backend open(String location, Map<String, String> env) throws IOException {
        S3Location loc = S3Location.parse(location);
        S3ClientBuilder b = S3Client.builder()
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(CONNECTIONS)
                        .connectionTimeout(Duration.ofSeconds(10)).socketTimeout(Duration.ofSeconds(60)))
                .region(Region.of(value(env, "AWS_REGION", value(env, "AWS_DEFAULT_REGION", "us-east-1"))))
                .credentialsProvider(credentials(loc, env))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true)
                        .chunkedEncodingEnabled(false).build())
                // Checksums only where S3 requires them: many S3-compatible servers reject the
                // newer trailing-checksum uploads; arca's files carry their own hashes.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (loc.endpoint() != null) {
            b.endpointOverride(loc.endpoint());
        }
        S3Client client = b.build();
        S3Backend backend = new S3Backend(loc, client);
        try {
            backend.checkBucket();
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
        return backend;
    }

    private static String value(Map<String, String> env, String name, String fallback) {
        String v = env.get(name);
        return v == null || v.isEmpty() ? fallback : v;
    }

    /**
     * Credentials from the environment, else from the profile files ({@code AWS_SHARED_CREDENTIALS_FILE}
     * and {@code AWS_CONFIG_FILE}, by default {@code ~/.aws/credentials} and {@code ~/.aws/config};
     * profile {@code AWS_PROFILE}, default {@code default}). Deliberately not the SDK's whole default
     * chain: arca never asks a cloud's instance-metadata service for credentials behind the user's back.
     */
    private static AwsCredentialsProvider credentials(S3Location loc, Map<String, String> env)
            throws PermanentBackendException {
        String id = value(env, "AWS_ACCESS_KEY_ID", null);
        String secret = value(env, "AWS_SECRET_ACCESS_KEY", null);
        if (id != null && secret != null) {
            String token = value(env, "AWS_SESSION_TOKEN", null);
            return StaticCredentialsProvider.create(token != null
                    ? AwsSessionCredentials.create(id, secret, token)
                    : AwsBasicCredentials.create(id, secret));
        }
        String home = value(env, "HOME", System.getProperty("user.home"));
        Path credentials = Path.of(value(env, "AWS_SHARED_CREDENTIALS_FILE", home + "/.aws/credentials"));
        Path config = Path.of(value(env, "AWS_CONFIG_FILE", home + "/.aws/config"));
        ProfileFile.Aggregator files = ProfileFile.aggregator();
        boolean any = false;
        if (Files.isRegularFile(credentials)) {
            files.addFile(ProfileFile.builder().content(credentials).type(ProfileFile.Type.CREDENTIALS).build());
            any = true;
        }
        if (Files.isRegularFile(config)) {
            files.addFile(ProfileFile.builder().content(config).type(ProfileFile.Type.CONFIGURATION).build());
            any = true;
        }
        if (!any) {
            throw new PermanentBackendException("no credentials for " + loc + ": set AWS_ACCESS_KEY_ID and "
                    + "AWS_SECRET_ACCESS_KEY, or put a profile in " + credentials + " (AWS_PROFILE selects one)");
        }
        return ProfileCredentialsProvider.builder().profileFile(files.build())
                .profileName(value(env, "AWS_PROFILE", "default")).build();
    }

    private void checkBucket() throws IOException {
        try {
            s3.headBucket(r -> r.bucket(location.bucket()));
        } catch (SdkException e) {
            throw translate(e, "bucket " + location.bucket());
        }
    }

    private String key(Handle h) {
        return location.key(h.path());
    }

    /** An SDK failure as the IOException the Backend contract asks for. */
    private IOException translate(SdkException e, String what) {
        if (e instanceof S3Exception s) {
            String code = s.awsErrorDetails() != null ? s.awsErrorDetails().errorCode() : null;
            int status = s.statusCode();
            if ("NoSuchBucket".equals(code) || status == 404 && what.startsWith("bucket ")) {
                return new PermanentBackendException("the bucket '" + location.bucket() + "' does not exist at "
                        + endpointName() + " (create it first, or check the location)", e);
            }
            if (status == 404 || "NoSuchKey".equals(code)) {
                NoSuchFileException n = new NoSuchFileException(location + "/" + what);
                n.initCause(e);
                return n;
            }
            if (status == 403 || status == 401) {
                return new PermanentBackendException("access to " + location + " refused (" + (code != null ? code : status)
                        + "): check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the profile", e);
            }
            return new IOException(what + ": S3 error " + status + (code != null ? " " + code : "") + ": "
                    + s.getMessage(), e);
        }
        if (e instanceof SdkClientException && String.valueOf(e.getMessage()).startsWith("Unable to load credentials")) {
            return new PermanentBackendException("no credentials for " + location + " in the selected profile: set "
                    + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE", e);
        }
        if (e instanceof SdkClientException && e.getCause() instanceof UncheckedIOException u) {
            return u.getCause();
        }
        if (e.getCause() instanceof IOException io && !(e instanceof SdkClientException)) {
            return io;
        }
        return new IOException(what + ": " + e.getMessage(), e);
    }

    private String endpointName() {
        return location.endpoint() != null ? location.endpoint().toString() : "AWS";
    }

    @Override
    public String location() {
        return location.toString();
    }

    @Override
    public void save(Handle handle, Payload payload) throws IOException {
        long length = payload.length();
        RequestBody body = RequestBody.fromContentProvider(() -> {
            try {
                return new ExactLengthStream(payload.open(), length, handle);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, length, "application/octet-stream");
        try {
            s3.putObject(r -> r.bucket(location.bucket()).key(key(handle)).contentLength(length), body);
        } catch (RuntimeException e) {
            // The payload's own failure (reading the caller's data), wherever the SDK wrapped it.
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof UncheckedIOException u) {
                    throw u.getCause();
                }
            }
            if (e instanceof SdkException sdk) {
                throw translate(sdk, handle.path());
            }
            throw e;
        }
    }

    @Override
    public InputStream openRange(Handle handle, long offset, long length) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset");
        }
        if (length == 0) {
            size(handle);
            return new ByteArrayInputStream(new byte[0]);
        }
        // Servers refuse range ends past 2^63; a length beyond any object's size means "to the end".
        boolean toEnd = length < 0 || length > (1L << 52);
        String range = "bytes=" + offset + "-" + (toEnd ? "" : Long.toString(offset + length - 1));
        GetObjectRequest req = GetObjectRequest.builder().bucket(location.bucket()).key(key(handle)).range(range).build();
        ResponseInputStream<GetObjectResponse> response;
        try {
            response = s3.getObject(req);
        } catch (S3Exception e) {
            if (e.statusCode() == 416) {
                // Starts at or past the end: the bytes that exist there are none.
                size(handle);
                return new ByteArrayInputStream(new byte[0]);
            }
            throw translate(e, handle.path());
        } catch (SdkException e) {
            throw translate(e, handle.path());
        }
        return new FilterInputStream(response) {
            private boolean ended;

            @Override
            public int read() throws IOException {
                int b = super.read();
                ended |= b < 0;
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                ended |= n < 0;
                return n;
            }

            @Override
            public void close() throws IOException {
                if (!ended) {
                    // Dropping the rest of a large range is cheaper than draining it.
                    response.abort();
                }
                super.close();
            }
        };
    }

    @Override
    public long size(Handle handle) throws IOException {
        try {
            HeadObjectResponse r = s3.headObject(b -> b.bucket(location.bucket()).key(key(handle)));
            return r.contentLength();
        } catch (SdkException e) {
            throw translate(e, handle.path());
        }
    }

    @Override
    public void list(FileType type, Consumer<FileInfo> consumer) throws IOException {
        if (type == FileType.CONFIG) {
            try {
                consumer.accept(new FileInfo(Handle.CONFIG, size(Handle.CONFIG)));
            } catch (NoSuchFileException e) {
                // No config: nothing to list.
            }
            return;
        }
        String dir = location.key(type.dir()) + "/";
        ListObjectsV2Request req = ListObjectsV2Request.builder().bucket(location.bucket()).prefix(dir).build();
        try {
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(req)) {
                for (S3Object o : page.contents()) {
                    Handle h = handleOf(type, o.key().substring(dir.length()));
                    if (h != null) {
                        consumer.accept(new FileInfo(h, o.size()));
                    }
                }
            }
        } catch (SdkException e) {
            throw translate(e, "listing " + dir);
        }
    }

    /** The handle of a key below a type's directory, or null for what a repository does not hold. */
    private static Handle handleOf(FileType type, String rest) {
        String name = rest;
        if (type == FileType.PACK) {
            int slash = rest.indexOf('/');
            if (slash != 2 || !rest.startsWith(rest.substring(0, 2), slash + 1)) {
                return null;
            }
            name = rest.substring(slash + 1);
        }
        try {
            Handle h = new Handle(type, name);
            return h.path().equals(type.dir() + "/" + rest) ? h : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public void delete(Handle handle) throws IOException {
        try {
            s3.deleteObject(b -> b.bucket(location.bucket()).key(key(handle)));
        } catch (SdkException e) {
            IOException io = translate(e, handle.path());
            if (!(io instanceof NoSuchFileException)) {
                throw io;
            }
        }
    }

    @Override
    public boolean isEmpty() throws IOException {
        String prefix = location.prefix().isEmpty() ? "" : location.prefix() + "/";
        try {
            ListObjectsV2Response r = s3.listObjectsV2(b -> b.bucket(location.bucket()).prefix(prefix).maxKeys(1));
            return r.contents().isEmpty();
        } catch (SdkException e) {
            throw translate(e, "listing " + location);
        }
    }

    @Override
    public void close() {
        s3.close();
    }

    /**
     * The payload's stream, checked to give exactly the announced length: the SDK would otherwise
     * store a short or cut-off object.
     */
    private static final class ExactLengthStream extends FilterInputStream {
        private final long length;
        private final Handle handle;
        private long pos;

        ExactLengthStream(InputStream in, long length, Handle handle) {
            super(in);
            this.length = length;
            this.handle = handle;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (pos >= length) {
                if (in.read() >= 0) {
                    throw new IOException(handle.path() + ": payload gave more than the announced " + length + " bytes");
                }
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, length - pos));
            if (n < 0) {
                throw new IOException(handle.path() + ": payload gave " + pos + " bytes, announced " + length);
            }
            pos += n;
            if (pos == length && in.read() >= 0) {
                throw new IOException(handle.path() + ": payload gave more than the announced " + length + " bytes");
            }
            return n;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
