package dev.arca.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.cli.Output;
import dev.arca.format.backend.FileType;
import dev.arca.format.backend.Handle;
import dev.arca.format.crypto.KeyFile;
import dev.arca.format.id.BlobId;
import dev.arca.format.id.FileId;
import dev.arca.format.index.IndexFile;
import dev.arca.format.pack.PackEntry;
import dev.arca.format.repo.Repository;
import dev.arca.format.tree.Node;
import dev.arca.format.tree.Tree;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "cat", description = {
    "Print a repository object, decrypted, as JSON (for inspection and debugging): "
            + "config, snapshot ID, index ID, key ID, pack ID (its header), tree ID, or blob ID (raw bytes).",
    "",
    "Examples:",
    "  arca cat config",
    "  arca cat snapshot latest",
    "  arca cat tree 5f3e…"})
public final class CatCommand extends RepoCommand {
    @Parameters(index = "0", paramLabel = "TYPE", description = "config, snapshot, index, key, pack, tree or blob.")
    String type;

    @Parameters(index = "1", paramLabel = "ID", arity = "0..1", description = "The object's id (snapshots: also a prefix or 'latest').")
    String id;

    @Override
    public Integer call() throws Exception {
        try (Repository repo = open()) {
            var out = ctx().out();
            switch (type) {
                case "config" -> out.println(Output.json(Output.JSON.valueToTree(repo.config())));
                case "snapshot" -> {
                    FileId sid = snapshot(repo, need());
                    out.println(Output.json(Output.snapshotJson(sid, repo.loadSnapshot(sid))));
                }
                case "index" -> out.println(Output.json(indexJson(repo.loadIndexFile(FileId.fromHex(need())))));
                case "key" -> {
                    Handle h = new Handle(FileType.KEY, need());
                    KeyFile k = KeyFile.parse(repo.readNamedFile(h), h.path());
                    out.println(Output.json(Output.object().put("created", k.created()).put("host", k.host())
                            .put("user", k.user()).put("kdf_iterations", k.kdf().iterations())
                            .put("kdf_memory_kib", k.kdf().memoryKib()).put("kdf_parallelism", k.kdf().parallelism())));
                }
                case "pack" -> {
                    FileId pid = FileId.fromHex(need());
                    long size = repo.backend().size(Repository.packHandle(pid));
                    ArrayNode arr = Output.JSON.createArrayNode();
                    for (PackEntry e : repo.readPackHeader(pid, size)) {
                        arr.add(entryJson(e));
                    }
                    out.println(Output.json(arr));
                }
                case "tree" -> {
                    Tree t = repo.loadTree(BlobId.fromHex(need()));
                    ArrayNode arr = Output.JSON.createArrayNode();
                    for (Node n : t.nodes()) {
                        ObjectNode o = Output.nodeJson(n.name(), n);
                        if (n.isDir()) {
                            o.put("subtree", n.subtree().hex());
                        }
                        if (n.isFile()) {
                            ArrayNode c = o.putArray(n.contentIsIndirect() ? "content_lists" : "content");
                            n.content().forEach(b -> c.add(b.hex()));
                        }
                        arr.add(o);
                    }
                    out.println(Output.json(arr));
                }
                case "blob" -> {
                    out.write(repo.loadBlob(BlobId.fromHex(need())));
                    out.flush();
                }
                default -> throw new IllegalArgumentException("unknown object type '" + type
                        + "'; use config, snapshot, index, key, pack, tree or blob");
            }
            return 0;
        }
    }

    private String need() {
        if (id == null) {
            throw new IllegalArgumentException("'cat " + type + "' needs an id");
        }
        return id;
    }

    private static ObjectNode entryJson(PackEntry e) {
        return Output.object().put("id", e.id().hex()).put("type", e.type().name().toLowerCase())
                .put("offset", e.offset()).put("length", e.storedLength()).put("uncompressed_length", e.rawLength())
                .put("compressed", e.compressed());
    }

    private static ObjectNode indexJson(IndexFile f) {
        ObjectNode o = Output.object();
        ArrayNode sup = o.putArray("supersedes");
        f.supersedes().forEach(s -> sup.add(s.hex()));
        ArrayNode packs = o.putArray("packs");
        for (IndexFile.Pack p : f.packs()) {
            ObjectNode po = packs.addObject().put("id", p.id().hex()).put("length", p.length());
            ArrayNode blobs = po.putArray("blobs");
            p.entries().forEach(e -> blobs.add(entryJson(e)));
        }
        return o;
    }
}
