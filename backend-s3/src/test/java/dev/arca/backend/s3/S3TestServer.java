package dev.arca.backend.s3;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3 server for tests: S3Proxy in this JVM, on a free loopback port, storing objects in a
 * memory (jclouds' transient blob store: its objects are replaced atomically, like S3's, where
 * the filesystem store lets a reader see half a replaced object), with signature-checked
 * credentials.
 */
public final class S3TestServer implements AutoCloseable {
    public static final String ACCESS_KEY = "arca-test-access";
    public static final String SECRET_KEY = "arca-test-secret-key";
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private final BlobStoreContext context;
    private final S3Proxy proxy;

    public S3TestServer() throws Exception {
        context = ContextBuilder.newBuilder("transient").credentials("identity", "credential")
                .build(BlobStoreContext.class);
        proxy = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!AbstractLifeCycle.STARTED.equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
    }

    public BlobStore blobStore() {
        return context.getBlobStore();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    /** Creates a new, empty bucket and returns its name. */
    public String newBucket() {
        String name = "arca-test-" + BUCKETS.incrementAndGet();
        blobStore().createContainerInLocation(null, name);
        return name;
    }

    /** The environment a client needs to reach this server. */
    public Map<String, String> env() {
        return Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY, "AWS_REGION", "us-east-1");
    }

    /** A location in a new bucket, optionally under a prefix. */
    public String newLocation(String prefix) {
        return "s3:" + endpoint() + "/" + newBucket() + (prefix.isEmpty() ? "" : "/" + prefix);
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
    }
}
