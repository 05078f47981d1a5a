package io.github.rtmpedge.k8s;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Renders a kustomization directory with {@code kubectl kustomize}, offline. */
final class Kustomize {

    /**
     * What to install when kubectl is missing. It is the Kubernetes project's {@code kubectl}
     * package (the machine images carry it); Debian's {@code kubernetes-client} (1.20) embeds
     * kustomize v2, which knows neither {@code components} nor {@code labels}.
     */
    static final String MISSING_KUBECTL = "kubectl not found on PATH (set KUBECTL to its path): the"
            + " k8s-validation tests render k8s/ with `kubectl kustomize`, which needs kubectl >= 1.27"
            + " (kustomize v5). Install the `kubectl` package from the Kubernetes apt repository;"
            + " Debian's `kubernetes-client` 1.20 is too old (kustomize v2: no components, no labels).";

    private Kustomize() {}

    /** The k8s/ directory of the project (surefire passes it as {@code rtmpedge.k8s.dir}). */
    static Path k8sDir() {
        String dir = System.getProperty("rtmpedge.k8s.dir");
        Path path = dir != null ? Path.of(dir) : Path.of("..", "k8s");
        if (!Files.isDirectory(path)) {
            throw new AssertionError("k8s directory not found: " + path.toAbsolutePath());
        }
        return path.toAbsolutePath().normalize();
    }

    static Path kubectl() {
        Optional<Path> fromEnv = Optional.ofNullable(System.getenv("KUBECTL")).map(Path::of);
        if (fromEnv.isPresent()) {
            if (!Files.isExecutable(fromEnv.get())) {
                throw new AssertionError("KUBECTL=" + fromEnv.get() + " is not executable. " + MISSING_KUBECTL);
            }
            return fromEnv.get();
        }
        String pathVariable = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String entry : pathVariable.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(entry, "kubectl");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(MISSING_KUBECTL);
    }

    /** The multi-document YAML {@code kubectl kustomize dir} prints; fails with kubectl's stderr. */
    static String render(Path dir) throws IOException, InterruptedException {
        Path stderr = Files.createTempFile("kustomize", ".err");
        try {
            Process process = new ProcessBuilder(kubectl().toString(), "kustomize", dir.toString())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectError(stderr.toFile())
                    .start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("kubectl kustomize " + dir + " did not finish within 2 minutes");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + dir + " exited " + process.exitValue() + ": "
                        + Files.readString(stderr, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(stderr);
        }
    }
}
