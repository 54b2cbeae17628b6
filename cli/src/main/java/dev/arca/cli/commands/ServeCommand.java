package dev.arca.cli.commands;

import dev.arca.cli.CommandFailure;
import dev.arca.cli.ExitCodes;
import dev.arca.cli.Output;
import dev.arca.cli.serve.ArcaServer;
import dev.arca.cli.serve.Auth;
import dev.arca.format.repo.Repository;
import dev.arca.nio.RepositoryTree;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", description = {
    "Serve the repository over HTTP, read-only: WebDAV (mount it with a file manager, rclone or davfs2) "
            + "and HTML pages for browsers (snapshots by host, directories, downloads as zip or tar, diffs).",
    "",
    "Paths: /snapshots/<id>/... (a full id or a unique prefix), /latest/<host>/..., and records/ in "
            + "the root of engine snapshots that have a record view. Stop with Ctrl-C. With --json the "
            + "start is one JSON line: {\"message_type\":\"serving\",\"urls\":[...]}.",
    "",
    "Examples:",
    "  arca serve                                  (http://127.0.0.1:8070/)",
    "  rclone copy --webdav-url http://127.0.0.1:8070/latest/db1 :webdav: ./copy",
    "  arca serve --listen 0.0.0.0:8070 --auth ana:/etc/arca/serve.password",
    "  arca serve --listen 10.0.0.5:8443 --token /etc/arca/serve.token"})
public final class ServeCommand extends RepoCommand {
    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8070",
            description = "Address and port to listen on (default ${DEFAULT-VALUE}; port 0 picks a free one). "
                    + "Any address other than loopback needs --auth or --token. Example: --listen [::1]:8080")
    String listen;

    @Option(names = "--read-only", defaultValue = "true", fallbackValue = "true",
            description = "Serve without any way to change the repository (the only mode there is).")
    boolean readOnly;

    @Option(names = "--auth", paramLabel = "USER:PASSWORDFILE",
            description = "Require HTTP Basic authentication as USER with the password in PASSWORDFILE "
                    + "(first line). Example: --auth ana:/etc/arca/serve.password")
    String basic;

    @Option(names = "--token", paramLabel = "TOKENFILE",
            description = "Require the token in TOKENFILE (first line, 16+ characters), sent as 'Authorization: "
                    + "Bearer TOKEN' or as the password of HTTP Basic with any user. Example: --token ~/.arca-token")
    String token;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "16",
            description = "Requests answered at the same time (default ${DEFAULT-VALUE}); idle connections cost no thread.")
    int threads;

    @Override
    public Integer call() throws Exception {
        if (!readOnly) {
            throw new CommandFailure(ExitCodes.USAGE, "serve is read-only; --read-only=false is not supported");
        }
        InetSocketAddress address = address(listen);
        Auth auth = auth();
        if (!auth.required() && !address.getAddress().isLoopbackAddress()) {
            throw new CommandFailure(ExitCodes.USAGE, "refusing to serve on " + listen + " without credentials: an "
                    + "address other than loopback needs --auth USER:PASSWORDFILE or --token TOKENFILE");
        }
        if (threads < 1) {
            throw new CommandFailure(ExitCodes.USAGE, "--threads must be at least 1");
        }
        try (Repository repo = open()) {
            RepositoryTree tree = new RepositoryTree(repo);
            int count = tree.snapshots().size();
            ArcaServer server;
            try {
                server = ArcaServer.start(tree, address, auth, threads, ctx().err());
            } catch (java.net.BindException e) {
                throw new CommandFailure(ExitCodes.ERROR, "cannot listen on " + listen + ": " + e.getMessage());
            }
            try {
                announce(server, count, auth);
                ctx().out().flush();
                Thread hook = new Thread(server::close);
                Runtime.getRuntime().addShutdownHook(hook);
                try {
                    new java.util.concurrent.CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException shuttingDown) {
                        // the hook is running
                    }
                }
            } finally {
                server.close();
            }
            return 0;
        }
    }

    /** Prints where the server answers: the URLs for people, or one JSON line with --json. */
    private void announce(ArcaServer server, int count, Auth auth) throws IOException {
        List<String> urls = urls(server.address());
        if (root.json()) {
            var o = Output.object().put("message_type", "serving").put("snapshots", count)
                    .put("credentials_required", auth.required());
            urls.forEach(o.putArray("urls")::add);
            ctx().out().println(Output.json(o));
            return;
        }
        ctx().out().println("serving " + root.locator().location() + " (" + count + " snapshot"
                + (count == 1 ? "" : "s") + ", read-only" + (auth.required() ? ", credentials required" : "") + ") at:");
        for (String url : urls) {
            ctx().out().println("  " + url);
        }
        ctx().out().println("stop with Ctrl-C");
    }

    private Auth auth() throws IOException {
        if (basic != null && token != null) {
            throw new CommandFailure(ExitCodes.USAGE, "give --auth or --token, not both");
        }
        try {
            if (basic != null) {
                int colon = basic.indexOf(':');
                if (colon <= 0 || colon == basic.length() - 1) {
                    throw new CommandFailure(ExitCodes.USAGE, "--auth takes USER:PASSWORDFILE, got '" + basic + "'");
                }
                return Auth.basic(basic.substring(0, colon), firstLine(basic.substring(colon + 1), "--auth"));
            }
            if (token != null) {
                return Auth.token(firstLine(token, "--token"));
            }
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(ExitCodes.USAGE, e.getMessage());
        }
        return Auth.none();
    }

    private String firstLine(String file, String option) throws IOException {
        try {
            String s = Files.readString(ctx().path(file), StandardCharsets.UTF_8);
            int nl = s.indexOf('\n');
            String line = (nl < 0 ? s : s.substring(0, nl)).strip();
            if (line.isEmpty()) {
                throw new CommandFailure(ExitCodes.USAGE, option + ": " + file + " is empty");
            }
            return line;
        } catch (java.nio.file.NoSuchFileException e) {
            throw new CommandFailure(ExitCodes.USAGE, option + ": no such file " + file);
        }
    }

    static InetSocketAddress address(String listen) {
        String host;
        String port;
        if (listen.startsWith("[")) {
            int close = listen.indexOf("]:");
            if (close < 0) {
                throw new CommandFailure(ExitCodes.USAGE, "--listen takes HOST:PORT or [IPv6]:PORT, got '" + listen + "'");
            }
            host = listen.substring(1, close);
            port = listen.substring(close + 2);
        } else {
            int colon = listen.lastIndexOf(':');
            if (colon < 0 || listen.indexOf(':') != colon) {
                throw new CommandFailure(ExitCodes.USAGE, "--listen takes HOST:PORT or [IPv6]:PORT, got '" + listen + "'");
            }
            host = listen.substring(0, colon);
            port = listen.substring(colon + 1);
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            p = -1;
        }
        if (p < 0 || p > 65535) {
            throw new CommandFailure(ExitCodes.USAGE, "--listen: bad port '" + port + "'");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host.isEmpty() ? "127.0.0.1" : host), p);
        } catch (UnknownHostException e) {
            throw new CommandFailure(ExitCodes.USAGE, "--listen: unknown host '" + host + "'");
        }
    }

    /** The URLs the server answers at: the bound address, or each interface's for a wildcard address. */
    static List<String> urls(InetSocketAddress bound) throws IOException {
        List<InetAddress> addrs = new ArrayList<>();
        if (bound.getAddress().isAnyLocalAddress()) {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nif.isUp()) {
                    addrs.addAll(Collections.list(nif.getInetAddresses()));
                }
            }
        } else {
            addrs.add(bound.getAddress());
        }
        List<String> out = new ArrayList<>();
        for (InetAddress a : addrs) {
            if (a instanceof Inet6Address && (a.isLinkLocalAddress()
                    || bound.getAddress() instanceof java.net.Inet4Address)) {
                continue;
            }
            String h = a.getHostAddress().replaceAll("%.*$", "");
            out.add("http://" + (a instanceof Inet6Address ? "[" + h + "]" : h) + ":" + bound.getPort() + "/");
        }
        return out;
    }
}
