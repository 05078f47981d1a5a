package io.github.rtmpedge.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRules;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Where the edges run and how they are sized and scaled (k8s/README.md): the public Service keeps
 * the client's address ({@code externalTrafficPolicy: Local}) and so the edges sleep in a preStop
 * while the load balancer's node check moves on; edges spread over zones and nodes; every JVM's
 * heap and direct memory fit its container's memory limit together; an autoscaler scales on CPU
 * or on players per pod, a metric the shipped prometheus-adapter rule serves, below
 * max_connections, and scales down one drain at a time.
 */
final class PlacementRules {

    /** Memory a JVM needs beside heap and direct buffers: metaspace, code, threads, GC, native (k8s/README.md). */
    static final long NON_HEAP_RESERVE_BYTES = 256L << 20;
    /** The shortest preStop sleep that outlasts a cloud load balancer's node health check. */
    static final long MIN_PRESTOP_SECONDS = 10;

    static final Path ADAPTER_RULES = Path.of("components", "hpa-players", "adapter-rules.yaml");
    private static final Set<String> SPREAD_KEYS = Set.of("topology.kubernetes.io/zone", "kubernetes.io/hostname");
    private static final Pattern HEAP_PERCENT = Pattern.compile("-XX:MaxRAMPercentage=([0-9.]+)");
    private static final Pattern XMX = Pattern.compile("-Xmx([0-9]+[kKmMgG]?)");
    private static final Pattern DIRECT = Pattern.compile("-XX:MaxDirectMemorySize=([0-9]+[kKmMgG]?)");

    private final StrictManifests.Manifests manifests;
    private final List<Deployment> edges;
    private final Function<Deployment, OptionalLong> maxConnections;
    private final List<String> problems = new ArrayList<>();

    private PlacementRules(
            StrictManifests.Manifests manifests,
            List<Deployment> edges,
            Function<Deployment, OptionalLong> maxConnections) {
        this.manifests = manifests;
        this.edges = edges;
        this.maxConnections = maxConnections;
    }

    /** Every broken rule, one line each; {@code maxConnections} reads an edge Deployment's configuration. */
    static List<String> check(
            StrictManifests.Manifests manifests,
            List<Deployment> edges,
            Function<Deployment, OptionalLong> maxConnections) {
        PlacementRules rules = new PlacementRules(manifests, edges, maxConnections);
        rules.checkClientAddressAndPreStop();
        edges.forEach(rules::checkSpread);
        manifests.all(Deployment.class).forEach(rules::checkMemory);
        manifests.all(HorizontalPodAutoscaler.class).forEach(rules::checkAutoscaler);
        return List.copyOf(rules.problems);
    }

    /** The preStop sleep of a pod's first container, 0 without one. */
    static long preStopSleepSeconds(PodTemplateSpec template) {
        Lifecycle lifecycle = template.getSpec().getContainers().get(0).getLifecycle();
        if (lifecycle == null
                || lifecycle.getPreStop() == null
                || lifecycle.getPreStop().getSleep() == null) {
            return 0;
        }
        return lifecycle.getPreStop().getSleep().getSeconds();
    }

    private void checkClientAddressAndPreStop() {
        Optional<Service> rtmp = manifests.all(Service.class).stream()
                .filter(s -> s.getMetadata().getName().equals("rtmp-edge"))
                .findFirst();
        if (rtmp.isEmpty()) {
            return; // RolloutRules reports it
        }
        if (!"Local".equals(rtmp.get().getSpec().getExternalTrafficPolicy())) {
            problem(
                    "Service rtmp-edge: externalTrafficPolicy must be Local (the edges must see the client's address), is "
                            + rtmp.get().getSpec().getExternalTrafficPolicy());
            return;
        }
        for (Deployment edge : edges) {
            Lifecycle lifecycle = edge.getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0)
                    .getLifecycle();
            if (lifecycle != null
                    && lifecycle.getPreStop() != null
                    && lifecycle.getPreStop().getSleep() == null) {
                problem(name(edge) + ": preStop must be a sleep (the image has no shell to rely on)");
            } else if (preStopSleepSeconds(edge.getSpec().getTemplate()) < MIN_PRESTOP_SECONDS) {
                problem(name(edge) + ": with externalTrafficPolicy Local the edge needs a preStop sleep of at least "
                        + MIN_PRESTOP_SECONDS + " s while the load balancer's node check moves on, has "
                        + preStopSleepSeconds(edge.getSpec().getTemplate()) + " s");
            }
        }
    }

    private void checkSpread(Deployment edge) {
        List<TopologySpreadConstraint> constraints = Optional.ofNullable(
                        edge.getSpec().getTemplate().getSpec().getTopologySpreadConstraints())
                .orElse(List.of());
        Map<String, String> podLabels =
                edge.getSpec().getTemplate().getMetadata().getLabels();
        for (String key : SPREAD_KEYS) {
            boolean spread = constraints.stream()
                    .anyMatch(c -> key.equals(c.getTopologyKey())
                            && c.getMaxSkew() != null
                            && c.getMaxSkew() == 1
                            && selects(c.getLabelSelector(), podLabels));
            if (!spread) {
                problem(name(edge) + ": needs a topologySpreadConstraint over " + key
                        + " with maxSkew 1 selecting its pods");
            }
        }
    }

    private void checkMemory(Deployment deployment) {
        for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
            String name = name(deployment) + " container " + container.getName();
            Quantity limit =
                    container.getResources() == null || container.getResources().getLimits() == null
                            ? null
                            : container.getResources().getLimits().get("memory");
            if (limit == null) {
                continue; // RolloutRules reports it
            }
            long limitBytes = Quantity.getAmountInBytes(limit).longValue();
            String options = Optional.ofNullable(container.getEnv()).orElse(List.of()).stream()
                    .filter(e -> "JAVA_TOOL_OPTIONS".equals(e.getName()))
                    .map(EnvVar::getValue)
                    .findFirst()
                    .orElse("");
            OptionalLong heap = heapBytes(options, limitBytes);
            OptionalLong direct = size(DIRECT, options);
            if (heap.isEmpty() || direct.isEmpty()) {
                problem(name + ": JAVA_TOOL_OPTIONS must bound the heap (-XX:MaxRAMPercentage or -Xmx) and"
                        + " direct memory (-XX:MaxDirectMemorySize), which defaults to the heap's size; is '"
                        + options + "'");
                continue;
            }
            long needed = heap.getAsLong() + direct.getAsLong() + NON_HEAP_RESERVE_BYTES;
            if (needed > limitBytes) {
                problem(name + ": heap " + mib(heap.getAsLong()) + " + direct " + mib(direct.getAsLong())
                        + " + " + mib(NON_HEAP_RESERVE_BYTES) + " for the rest of the JVM = " + mib(needed)
                        + " exceed the memory limit " + mib(limitBytes));
            }
        }
    }

    private void checkAutoscaler(HorizontalPodAutoscaler hpa) {
        String name = "HorizontalPodAutoscaler " + hpa.getMetadata().getName();
        for (MetricSpec metric : hpa.getSpec().getMetrics()) {
            boolean cpu = metric.getResource() != null
                    && "cpu".equals(metric.getResource().getName());
            boolean players = metric.getPods() != null;
            if (!cpu && !players) {
                problem(name + ": scales on cpu or on players per pod (a Pods metric), not on " + metric.getType());
            }
            if (players) {
                checkPlayersMetric(name, hpa, metric);
            }
        }
        HPAScalingRules down = hpa.getSpec().getBehavior() == null
                ? null
                : hpa.getSpec().getBehavior().getScaleDown();
        boolean oneDrainAtATime = down != null
                && down.getPolicies() != null
                && !down.getPolicies().isEmpty()
                && down.getPolicies().stream()
                        .allMatch(p -> "Pods".equals(p.getType()) && p.getValue() == 1 && p.getPeriodSeconds() >= 60);
        if (!oneDrainAtATime) {
            problem(name + ": scale-down drains edges: behavior.scaleDown must allow 1 pod per 60 s or more");
        }
    }

    private void checkPlayersMetric(String name, HorizontalPodAutoscaler hpa, MetricSpec metric) {
        String metricName = metric.getPods().getMetric().getName();
        if (!adapterMetrics().contains(metricName)) {
            problem(name + ": Pods metric " + metricName + " is not one the prometheus-adapter rule in " + ADAPTER_RULES
                    + " serves " + adapterMetrics());
        }
        Quantity average = metric.getPods().getTarget().getAverageValue();
        Optional<Deployment> target = edges.stream()
                .filter(d -> d.getMetadata()
                        .getName()
                        .equals(hpa.getSpec().getScaleTargetRef().getName()))
                .findFirst();
        OptionalLong max = target.map(maxConnections).orElse(OptionalLong.empty());
        if (average == null || max.isEmpty()) {
            problem(name + ": Pods metric " + metricName + " needs an averageValue target on an edge Deployment");
        } else if (Quantity.getAmountInBytes(average).compareTo(BigDecimal.valueOf(max.getAsLong())) >= 0) {
            problem(name + ": target of " + average + " players per pod must be below max_connections "
                    + max.getAsLong() + " (no headroom for a surge or a drain's players)");
        }
    }

    /** The metric names the shipped prometheus-adapter rules serve, from players' connection counts. */
    private static List<String> adapterMetrics() {
        Path file = Kustomize.k8sDir().resolve(ADAPTER_RULES);
        JsonNode rules;
        try {
            rules = new YAMLMapper().readTree(Files.readString(file)).path("rules");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> names = new ArrayList<>();
        for (JsonNode rule : rules) {
            String series = rule.path("seriesQuery").asString("");
            if (series.startsWith("rtmp_connections_active{") && series.contains("role=\"player\"")) {
                names.add(rule.path("name").path("as").asString(""));
            }
        }
        return names;
    }

    private static OptionalLong heapBytes(String options, long limitBytes) {
        Matcher percent = HEAP_PERCENT.matcher(options);
        if (percent.find()) {
            return OptionalLong.of((long) (limitBytes * Double.parseDouble(percent.group(1)) / 100));
        }
        return size(XMX, options);
    }

    /** A JVM size option's value in bytes ({@code 384m}, {@code 2g}, {@code 1048576}). */
    static OptionalLong size(Pattern option, String options) {
        Matcher m = option.matcher(options);
        if (!m.find()) {
            return OptionalLong.empty();
        }
        String value = m.group(1);
        char unit = Character.toLowerCase(value.charAt(value.length() - 1));
        long shift = switch (unit) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        String digits = shift == 0 ? value : value.substring(0, value.length() - 1);
        return OptionalLong.of(Long.parseLong(digits) << shift);
    }

    private static boolean selects(LabelSelector selector, Map<String, String> labels) {
        return selector != null && RolloutRules.selects(selector.getMatchLabels(), labels);
    }

    private static String name(Deployment deployment) {
        return "Deployment " + deployment.getMetadata().getName();
    }

    private static String mib(long bytes) {
        return (bytes >> 20) + " MiB";
    }

    private void problem(String message) {
        problems.add(message);
    }
}
