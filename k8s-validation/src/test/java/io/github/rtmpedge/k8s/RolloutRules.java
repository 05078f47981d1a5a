package io.github.rtmpedge.k8s;

import com.typesafe.config.ConfigFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.github.rtmpedge.config.ClusterConfig;
import io.github.rtmpedge.config.EdgeConfig;
import io.github.rtmpedge.config.EdgeConfigLoader;
import io.github.rtmpedge.config.GraceConfig;
import io.github.rtmpedge.config.InvalidConfigException;
import io.github.rtmpedge.config.OriginAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The rules a rendering of k8s/ must follow for rolling updates, rollbacks and canaries to be
 * invisible to viewers (see k8s/README.md). {@link #check} lists every broken rule, one line
 * each; an empty list means the rendering is good.
 */
final class RolloutRules {

    /** Grace period beyond the configured waits, for the JVM to stop and the kubelet to notice. */
    static final Duration GRACE_MARGIN = Duration.ofSeconds(15);

    static final String CONFIG_DIR = "/etc/rtmp-edge";
    static final long IMAGE_UID = 10001;
    /** A kustomize configMapGenerator name: the base name, '-', a 10-character content hash. */
    private static final Pattern HASHED_NAME = Pattern.compile("[a-z0-9-]+-[a-z0-9]{10}");

    private final StrictManifests.Manifests manifests;
    private final List<String> problems = new ArrayList<>();

    private RolloutRules(StrictManifests.Manifests manifests) {
        this.manifests = manifests;
    }

    static List<String> check(StrictManifests.Manifests manifests) {
        RolloutRules rules = new RolloutRules(manifests);
        rules.run();
        return List.copyOf(rules.problems);
    }

    private void problem(String message) {
        problems.add(message);
    }

    private void run() {
        List<Deployment> deployments = manifests.all(Deployment.class);
        List<Deployment> edges = deployments.stream()
                .filter(d -> "edge".equals(component(d.getSpec().getTemplate())))
                .toList();
        if (edges.isEmpty()) {
            problem("no Deployment with pods labelled app.kubernetes.io/component=edge");
        }
        for (Deployment deployment : deployments) {
            checkWorkload(deployment);
        }
        checkSelectorsDisjoint(deployments);
        checkRtmpService(edges);
        checkMetricsService(edges);
        checkDisruptionBudget(edges);
        checkAutoscalers(deployments);
        checkServiceMonitors();
        problems.addAll(PlacementRules.check(manifests, edges, this::maxConnections));
    }

    /** An edge's max_connections, read quietly (its configuration's problems are reported once, above). */
    private OptionalLong maxConnections(Deployment edge) {
        PodSpec pod = edge.getSpec().getTemplate().getSpec();
        return new RolloutRules(manifests)
                .mountedConfig("", pod, pod.getContainers().get(0))
                .map(c -> OptionalLong.of(c.maxConnections()))
                .orElse(OptionalLong.empty());
    }

    // ---- workloads ---------------------------------------------------------------------------

    private void checkWorkload(Deployment deployment) {
        String name = "Deployment " + deployment.getMetadata().getName();
        PodTemplateSpec template = deployment.getSpec().getTemplate();
        Map<String, String> podLabels = labels(template);
        Map<String, String> selector = deployment.getSpec().getSelector().getMatchLabels();
        if (selector == null || selector.isEmpty() || !selects(selector, podLabels)) {
            problem(name + ": selector " + selector + " does not match its pod labels " + podLabels);
        }
        boolean edge = "edge".equals(component(template));
        if (edge) {
            checkRollingUpdate(name, deployment);
        }
        PodSpec pod = template.getSpec();
        if (pod.getContainers().size() != 1) {
            problem(name + ": expected one container, found "
                    + pod.getContainers().size());
            return;
        }
        Container container = pod.getContainers().get(0);
        checkSecurity(name, pod, container);
        checkTmp(name, pod, container);
        checkResources(name, container);
        Optional<EdgeConfig> config = mountedConfig(name, pod, container);
        if (config.isEmpty()) {
            return;
        }
        EdgeConfig edgeConfig = config.get();
        checkPorts(name, container, edgeConfig);
        checkProbes(name, container, edgeConfig);
        checkScrapeAnnotations(name, template, edgeConfig);
        checkGracePeriod(name, pod, PlacementRules.preStopSleepSeconds(template), edgeConfig.grace());
        if (edge) {
            checkEdgeCluster(name, edgeConfig.cluster());
        }
    }

    private void checkRollingUpdate(String name, Deployment deployment) {
        var strategy = deployment.getSpec().getStrategy();
        if (strategy == null || !"RollingUpdate".equals(strategy.getType()) || strategy.getRollingUpdate() == null) {
            problem(name + ": strategy must be RollingUpdate with maxUnavailable 0 and a surge");
            return;
        }
        RollingUpdateDeployment rolling = strategy.getRollingUpdate();
        if (!isZero(rolling.getMaxUnavailable())) {
            problem(name + ": rollingUpdate.maxUnavailable must be 0, is " + show(rolling.getMaxUnavailable()));
        }
        if (rolling.getMaxSurge() == null || isZero(rolling.getMaxSurge())) {
            problem(name + ": rollingUpdate.maxSurge must be > 0 (with maxUnavailable 0 nothing could move)");
        }
    }

    private void checkSecurity(String name, PodSpec pod, Container container) {
        PodSecurityContext podContext =
                Optional.ofNullable(pod.getSecurityContext()).orElseGet(PodSecurityContext::new);
        SecurityContext context =
                Optional.ofNullable(container.getSecurityContext()).orElseGet(SecurityContext::new);
        boolean nonRoot = Boolean.TRUE.equals(context.getRunAsNonRoot())
                || (context.getRunAsNonRoot() == null && Boolean.TRUE.equals(podContext.getRunAsNonRoot()));
        if (!nonRoot) {
            problem(name + ": runAsNonRoot must be true");
        }
        Long uid = context.getRunAsUser() != null ? context.getRunAsUser() : podContext.getRunAsUser();
        if (uid == null || uid != IMAGE_UID) {
            problem(name + ": runAsUser must be the image's user " + IMAGE_UID + ", is " + uid);
        }
        if (!Boolean.TRUE.equals(context.getReadOnlyRootFilesystem())) {
            problem(name + ": readOnlyRootFilesystem must be true");
        }
        if (!Boolean.FALSE.equals(context.getAllowPrivilegeEscalation())) {
            problem(name + ": allowPrivilegeEscalation must be false");
        }
        if (context.getCapabilities() == null
                || context.getCapabilities().getDrop() == null
                || !context.getCapabilities().getDrop().contains("ALL")) {
            problem(name + ": capabilities must drop ALL");
        }
    }

    private void checkTmp(String name, PodSpec pod, Container container) {
        Optional<VolumeMount> tmp = mount(container, "/tmp");
        boolean emptyDir = tmp.flatMap(m -> volume(pod, m.getName()))
                .map(v -> v.getEmptyDir() != null)
                .orElse(false);
        if (!emptyDir) {
            problem(name + ": /tmp must be an emptyDir (the root filesystem is read-only)");
        }
    }

    private void checkResources(String name, Container container) {
        var resources = container.getResources();
        if (resources == null
                || resources.getRequests() == null
                || resources.getLimits() == null
                || !resources.getRequests().containsKey("cpu")
                || !resources.getRequests().containsKey("memory")
                || !resources.getLimits().containsKey("memory")) {
            problem(name + ": resources must request cpu and memory and limit memory");
        }
    }

    /** The configuration the container reads: `-c FILE` in its args, FILE from a mounted ConfigMap. */
    private Optional<EdgeConfig> mountedConfig(String name, PodSpec pod, Container container) {
        List<String> args = Optional.ofNullable(container.getArgs()).orElse(List.of());
        int flag = args.indexOf("-c");
        if (flag < 0 || flag + 1 >= args.size()) {
            problem(name + ": args must name the configuration file with -c, are " + args);
            return Optional.empty();
        }
        Path file = Path.of(args.get(flag + 1));
        Optional<VolumeMount> mount = mount(container, file.getParent().toString());
        if (!file.getParent().toString().equals(CONFIG_DIR) || mount.isEmpty()) {
            problem(name + ": the configuration file " + file + " must be in the mounted " + CONFIG_DIR);
            return Optional.empty();
        }
        Optional<Volume> volume = volume(pod, mount.get().getName());
        if (volume.isEmpty() || volume.get().getConfigMap() == null) {
            problem(name + ": " + CONFIG_DIR + " must be a ConfigMap volume");
            return Optional.empty();
        }
        String configMapName = volume.get().getConfigMap().getName();
        if (!HASHED_NAME.matcher(configMapName).matches()) {
            problem(name + ": ConfigMap " + configMapName
                    + " has no generator hash suffix (a config change would not roll the pods)");
        }
        Optional<ConfigMap> configMap = manifests.all(ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().equals(configMapName))
                .findFirst();
        String key = file.getFileName().toString();
        if (configMap.isEmpty()
                || configMap.get().getData() == null
                || !configMap.get().getData().containsKey(key)) {
            problem(name + ": ConfigMap " + configMapName + " with key " + key + " is not in the rendering");
            return Optional.empty();
        }
        try {
            EdgeConfig config = load(configMap.get().getData(), key);
            if (!config.warnings().isEmpty()) {
                problem(name + ": configuration " + configMapName + "/" + key + " loads with warnings "
                        + config.warnings());
            }
            return Optional.of(config);
        } catch (InvalidConfigException e) {
            problem(name + ": configuration " + configMapName + "/" + key + " does not load: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Loads configuration text with the server's own loader, free of this JVM's environment. */
    static EdgeConfig load(String text) {
        return load(Map.of("edge.conf", text), "edge.conf");
    }

    /**
     * Loads the file {@code key} of a ConfigMap's {@code files}, written side by side as the kubelet
     * mounts them (so that an {@code include} of another file of the map resolves), with the
     * server's own loader, free of this JVM's environment.
     */
    static EdgeConfig load(Map<String, String> files, String key) {
        try {
            Path dir = Files.createTempDirectory("k8s-config");
            try {
                for (Map.Entry<String, String> file : files.entrySet()) {
                    Files.writeString(dir.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
                }
                return EdgeConfigLoader.load(Optional.of(dir.resolve(key)), ConfigFactory.empty(), new Properties());
            } finally {
                for (String name : files.keySet()) {
                    Files.deleteIfExists(dir.resolve(name));
                }
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void checkPorts(String name, Container container, EdgeConfig config) {
        if (!config.httpApi().enabled()) {
            problem(name + ": http_api must be enabled (the probes and /metrics need it)");
        }
        Integer http = containerPort(container, "http");
        if (http == null || http != config.httpApi().listen().port()) {
            problem(name + ": container port 'http' is " + http + " but http_api.listen is "
                    + config.httpApi().listen().port());
        }
        Integer rtmp = containerPort(container, "rtmp");
        boolean listened = config.listen().stream().anyMatch(l -> rtmp != null && l.port() == rtmp);
        if (!listened) {
            problem(name + ": container port 'rtmp' is " + rtmp + " but listen is " + config.listen());
        }
    }

    private void checkProbes(String name, Container container, EdgeConfig config) {
        checkProbe(name + " readinessProbe", container, container.getReadinessProbe(), "/readyz", config);
        checkProbe(name + " livenessProbe", container, container.getLivenessProbe(), "/healthz", config);
        Probe readiness = container.getReadinessProbe();
        if (readiness != null) {
            int period = Optional.ofNullable(readiness.getPeriodSeconds()).orElse(10);
            int failures = Optional.ofNullable(readiness.getFailureThreshold()).orElse(3);
            if (period > 2 || failures > 2) {
                problem(name
                        + " readinessProbe: a drain must show within seconds (periodSeconds <= 2, failureThreshold <= 2), is "
                        + period + " s x " + failures);
            }
        }
    }

    private void checkProbe(String name, Container container, Probe probe, String path, EdgeConfig config) {
        HTTPGetAction get = probe == null ? null : probe.getHttpGet();
        if (get == null) {
            problem(name + ": must be an httpGet on " + path);
            return;
        }
        if (!path.equals(get.getPath())) {
            problem(name + ": path must be " + path + ", is " + get.getPath());
        }
        Integer port = resolve(container, get.getPort());
        if (port == null || port != config.httpApi().listen().port()) {
            problem(name + ": port " + show(get.getPort()) + " is not http_api.listen "
                    + config.httpApi().listen().port());
        }
    }

    private void checkScrapeAnnotations(String name, PodTemplateSpec template, EdgeConfig config) {
        Map<String, String> annotations =
                Optional.ofNullable(template.getMetadata().getAnnotations()).orElse(Map.of());
        if (!"true".equals(annotations.get("prometheus.io/scrape"))
                || !String.valueOf(config.httpApi().listen().port()).equals(annotations.get("prometheus.io/port"))
                || !"/metrics".equals(annotations.get("prometheus.io/path"))) {
            problem(name + ": pod annotations must say prometheus.io/scrape \"true\", port "
                    + config.httpApi().listen().port() + ", path /metrics; are " + annotations);
        }
    }

    /** The grace period counts from the deletion: the preStop sleep is part of it. */
    private void checkGracePeriod(String name, PodSpec pod, long preStopSeconds, GraceConfig grace) {
        if (!grace.forceGraceQuit()) {
            problem(name + ": force_grace_quit must be on (the kubelet may send SIGTERM)");
        }
        if (!grace.drainBounded()) {
            problem(name + ": drain_timeout must be set (> 0): an unbounded drain outlasts any grace period");
            return;
        }
        Duration needed = Duration.ofSeconds(preStopSeconds)
                .plus(grace.startWait())
                .plus(grace.drainTimeout())
                .plus(grace.drainSpread())
                .plus(grace.finalWait());
        Long period = pod.getTerminationGracePeriodSeconds();
        if (period == null || Duration.ofSeconds(period).compareTo(needed.plus(GRACE_MARGIN)) < 0) {
            problem(name + ": terminationGracePeriodSeconds " + period
                    + " must be at least the preStop sleep + grace_start_wait + drain_timeout + drain_spread"
                    + " + grace_final_wait ("
                    + needed.toMillis() / 1000.0 + " s) + " + GRACE_MARGIN.toSeconds() + " s");
        }
    }

    private void checkEdgeCluster(String name, ClusterConfig cluster) {
        if (cluster.mode() != ClusterConfig.Mode.REMOTE) {
            problem(name + ": an edge's cluster.mode must be remote, is " + cluster.mode());
            return;
        }
        List<Deployment> origins = manifests.all(Deployment.class).stream()
                .filter(d -> "origin".equals(component(d.getSpec().getTemplate())))
                .toList();
        for (OriginAddress origin : cluster.origins()) {
            Optional<Service> service = service(origin.host());
            boolean reaches = service.isPresent()
                    && service.get().getSpec().getPorts().stream().anyMatch(p -> p.getPort() == origin.port())
                    && origins.stream()
                            .anyMatch(o -> selects(
                                    service.get().getSpec().getSelector(),
                                    labels(o.getSpec().getTemplate())));
            if (!reaches) {
                problem(name + ": cluster.origin " + origin
                        + " is not a Service of this rendering selecting an origin Deployment");
            }
        }
    }

    @SuppressWarnings("ReferenceEquality") // each deployment against every other one, not against itself
    private void checkSelectorsDisjoint(List<Deployment> deployments) {
        for (Deployment a : deployments) {
            for (Deployment b : deployments) {
                if (a != b
                        && selects(
                                a.getSpec().getSelector().getMatchLabels(),
                                labels(b.getSpec().getTemplate()))) {
                    problem("Deployment " + a.getMetadata().getName() + " selects the pods of Deployment "
                            + b.getMetadata().getName());
                }
            }
        }
    }

    // ---- services and friends ----------------------------------------------------------------

    private void checkRtmpService(List<Deployment> edges) {
        Optional<Service> service = service("rtmp-edge");
        if (service.isEmpty()) {
            problem("no Service rtmp-edge");
            return;
        }
        var spec = service.get().getSpec();
        if (!"LoadBalancer".equals(spec.getType())) {
            problem("Service rtmp-edge: type must be LoadBalancer, is " + spec.getType());
        }
        checkServicePort("Service rtmp-edge", spec.getPorts(), 1935, "rtmp", edges);
        for (Deployment edge : edges) {
            if (!selects(spec.getSelector(), labels(edge.getSpec().getTemplate()))) {
                problem("Service rtmp-edge: selector " + spec.getSelector() + " misses the pods of Deployment "
                        + edge.getMetadata().getName());
            }
        }
    }

    private void checkMetricsService(List<Deployment> edges) {
        Optional<Service> service = service("rtmp-edge-metrics");
        if (service.isEmpty()) {
            problem("no Service rtmp-edge-metrics");
            return;
        }
        var spec = service.get().getSpec();
        if (spec.getType() != null && !"ClusterIP".equals(spec.getType())) {
            problem("Service rtmp-edge-metrics: type must be ClusterIP, is " + spec.getType());
        }
        if (!Boolean.TRUE.equals(spec.getPublishNotReadyAddresses())) {
            problem(
                    "Service rtmp-edge-metrics: publishNotReadyAddresses must be true (a draining edge is not ready but must be scraped)");
        }
        checkServicePort("Service rtmp-edge-metrics", spec.getPorts(), 1985, "http", edges);
        for (Deployment edge : edges) {
            if (!selects(spec.getSelector(), labels(edge.getSpec().getTemplate()))) {
                problem("Service rtmp-edge-metrics: selector misses the pods of Deployment "
                        + edge.getMetadata().getName());
            }
        }
    }

    private void checkServicePort(
            String name, List<ServicePort> ports, int port, String targetName, List<Deployment> edges) {
        Optional<ServicePort> servicePort =
                ports.stream().filter(p -> p.getPort() == port).findFirst();
        if (servicePort.isEmpty()) {
            problem(name + ": no port " + port);
            return;
        }
        IntOrString target = servicePort.get().getTargetPort();
        for (Deployment edge : edges) {
            Container container =
                    edge.getSpec().getTemplate().getSpec().getContainers().get(0);
            Integer resolved = resolve(container, target);
            if (resolved == null || !resolved.equals(containerPort(container, targetName))) {
                problem(name + ": port " + port + " targets " + show(target) + ", not the '" + targetName + "' port of "
                        + edge.getMetadata().getName());
            }
        }
    }

    private void checkDisruptionBudget(List<Deployment> edges) {
        List<PodDisruptionBudget> budgets = manifests.all(PodDisruptionBudget.class);
        for (Deployment edge : edges) {
            boolean covered = budgets.stream()
                    .anyMatch(b -> selects(
                            b.getSpec().getSelector().getMatchLabels(),
                            labels(edge.getSpec().getTemplate())));
            if (!covered) {
                problem("no PodDisruptionBudget covers the pods of Deployment "
                        + edge.getMetadata().getName());
            }
        }
    }

    private void checkAutoscalers(List<Deployment> deployments) {
        for (HorizontalPodAutoscaler hpa : manifests.all(HorizontalPodAutoscaler.class)) {
            var target = hpa.getSpec().getScaleTargetRef();
            boolean exists = "Deployment".equals(target.getKind())
                    && deployments.stream()
                            .anyMatch(d -> d.getMetadata().getName().equals(target.getName()));
            if (!exists) {
                problem("HorizontalPodAutoscaler " + hpa.getMetadata().getName() + ": target " + target.getKind() + "/"
                        + target.getName() + " is not in the rendering");
            }
        }
    }

    private void checkServiceMonitors() {
        for (JsonNode monitor : manifests.serviceMonitors()) {
            String name =
                    "ServiceMonitor " + monitor.path("metadata").path("name").asString("");
            Map<String, String> selector = new java.util.HashMap<>();
            monitor.path("spec")
                    .path("selector")
                    .path("matchLabels")
                    .properties()
                    .forEach(e -> selector.put(e.getKey(), e.getValue().asString()));
            List<Service> selected = manifests.all(Service.class).stream()
                    .filter(s -> !selector.isEmpty()
                            && selects(selector, s.getMetadata().getLabels()))
                    .toList();
            if (selected.size() != 1 || !selected.get(0).getMetadata().getName().equals("rtmp-edge-metrics")) {
                problem(name + ": must select exactly the Service rtmp-edge-metrics, selects "
                        + selected.stream().map(s -> s.getMetadata().getName()).toList());
                continue;
            }
            for (JsonNode endpoint : monitor.path("spec").path("endpoints")) {
                String port = endpoint.path("port").asString("");
                if (selected.get(0).getSpec().getPorts().stream().noneMatch(p -> port.equals(p.getName()))) {
                    problem(name + ": endpoint port '" + port + "' is not a port name of rtmp-edge-metrics");
                }
                if (!"/metrics".equals(endpoint.path("path").asString("/metrics"))) {
                    problem(name + ": endpoint path must be /metrics");
                }
            }
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    private Optional<Service> service(String name) {
        return manifests.all(Service.class).stream()
                .filter(s -> s.getMetadata().getName().equals(name))
                .findFirst();
    }

    private static Map<String, String> labels(PodTemplateSpec template) {
        return Optional.ofNullable(template.getMetadata().getLabels()).orElse(Map.of());
    }

    private static String component(PodTemplateSpec template) {
        return labels(template).get("app.kubernetes.io/component");
    }

    /** Whether an equality selector picks an object with these labels (empty selects nothing here). */
    static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        if (selector == null || selector.isEmpty() || labels == null) {
            return false;
        }
        return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    private static Optional<VolumeMount> mount(Container container, String path) {
        return Optional.ofNullable(container.getVolumeMounts()).orElse(List.of()).stream()
                .filter(m -> m.getMountPath().equals(path))
                .findFirst();
    }

    private static Optional<Volume> volume(PodSpec pod, String name) {
        return Optional.ofNullable(pod.getVolumes()).orElse(List.of()).stream()
                .filter(v -> v.getName().equals(name))
                .findFirst();
    }

    private static Integer containerPort(Container container, String name) {
        return Optional.ofNullable(container.getPorts()).orElse(List.of()).stream()
                .filter(p -> name.equals(p.getName()))
                .map(ContainerPort::getContainerPort)
                .findFirst()
                .orElse(null);
    }

    /** A probe's or Service's port: a number, or the name of one of the container's ports. */
    private static Integer resolve(Container container, IntOrString port) {
        if (port == null) {
            return null;
        }
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return containerPort(container, port.getStrVal());
    }

    private static boolean isZero(IntOrString value) {
        return value != null
                && (Objects.equals(value.getIntVal(), 0)
                        || "0%".equals(value.getStrVal())
                        || "0".equals(value.getStrVal()));
    }

    private static String show(IntOrString value) {
        return value == null
                ? "unset"
                : value.getIntVal() != null ? value.getIntVal().toString() : value.getStrVal();
    }
}
