package dev.arca.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs arca in a separate JVM, for what needs a real process: SIGKILL, dropped privileges. */
final class Subprocess {
    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private Subprocess() {
    }

    static List<String> javaCommand(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens",
                "java.base/sun.nio.ch=ALL-UNNAMED", "-Xss4m", "-cp", System.getProperty("java.class.path"),
                "dev.arca.cli.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static ProcessBuilder builder(Cli cli, List<String> cmd, Path outFile, Path errFile) {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cli.cwd.toFile())
                .redirectOutput(outFile.toFile()).redirectError(errFile.toFile());
        pb.environment().putAll(cli.env);
        pb.environment().put("LC_ALL", "C.UTF-8");
        return pb;
    }

    static Result run(Cli cli, List<String> cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile(cli.cwd, "out", ".txt");
        Path err = Files.createTempFile(cli.cwd, "err", ".txt");
        Process p = builder(cli, cmd, out, err).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("arca did not finish: " + cmd);
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /**
     * Runs arca so that file permissions apply to it: as root, without the capabilities that
     * bypass them (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), via util-linux's setpriv.
     */
    static Result arcaWithoutPrivileges(Cli cli, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (Hosts.isRoot()) {
            cmd.addAll(List.of("setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--inh-caps",
                    "-dac_override,-dac_read_search"));
        }
        cmd.addAll(javaCommand(args));
        return run(cli, cmd);
    }
}
