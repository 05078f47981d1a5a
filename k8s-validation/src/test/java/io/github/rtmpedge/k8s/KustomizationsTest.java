package io.github.rtmpedge.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.github.rtmpedge.config.ClusterConfig;
import io.github.rtmpedge.config.EdgeConfig;
import io.github.rtmpedge.config.EdgeConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** Every kustomization under k8s/ renders, parses strictly and keeps the rollout rules. */
class KustomizationsTest {

    private static StrictManifests.Manifests render(String dir) throws Exception {
        return StrictManifests.parse(Kustomize.render(Kustomize.k8sDir().resolve(dir)));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "base",
                "overlays/canary",
                "overlays/production",
                "overlays/players-hpa",
                "overlays/proxy-protocol"
            })
    void renderingKeepsTheRolloutRules(String dir) throws Exception {
        assertEquals(List.of(), RolloutRules.check(render(dir)), dir);
    }

    @Test
    void baseIsAnOriginAndThreeEdges() throws Exception {
        List<String> workloads = render("base").all(Deployment.class).stream()
                .map(d -> d.getMetadata().getName() + "=" + d.getSpec().getReplicas())
                .sorted()
                .toList();
        assertEquals(List.of("rtmp-edge=3", "rtmp-origin=1"), workloads);
    }

    @Test
    void canaryRunsTheNewImageBesideTheStableEdges() throws Exception {
        List<String> images = render("overlays/canary").all(Deployment.class).stream()
                .map(d -> d.getMetadata().getName() + " "
                        + d.getSpec().getTemplate().getMetadata().getLabels().get("track") + " "
                        + d.getSpec().getReplicas() + " "
                        + d.getSpec()
                                .getTemplate()
                                .getSpec()
                                .getContainers()
                                .get(0)
                                .getImage())
                .sorted()
                .toList();
        assertEquals(
                List.of(
                        "rtmp-edge stable 3 rtmp-edge:latest",
                        "rtmp-edge-canary canary 1 rtmp-edge:next",
                        "rtmp-origin null 1 rtmp-edge:latest"),
                images);
    }

    @Test
    void productionScalesTheEdgesOnCpu() throws Exception {
        StrictManifests.Manifests production = render("overlays/production");
        List<HorizontalPodAutoscaler> autoscalers = production.all(HorizontalPodAutoscaler.class);
        assertEquals(1, autoscalers.size());
        assertEquals(
                "rtmp-edge", autoscalers.get(0).getSpec().getScaleTargetRef().getName());
        assertEquals(1, production.serviceMonitors().size(), "the ServiceMonitor component is included");
        assertEquals(1, production.prometheusRules().size(), "the prometheus-rules component is included");
    }

    @Test
    void thePrometheusRuleHoldsExactlyTheShippedAlertRules() throws Exception {
        StrictManifests.Manifests production = render("overlays/production");
        JsonNode shipped = StrictManifests.STRICT.readTree(
                Files.readString(Kustomize.k8sDir().resolve("../monitoring/prometheus/rtmp-edge.rules.yml")));
        JsonNode rule = production.prometheusRules().get(0);

        assertEquals("rtmp-edge", rule.path("metadata").path("name").asString(""));
        assertTrue(shipped.path("groups").size() > 0, shipped::toString);
        assertEquals(
                shipped.path("groups"),
                rule.path("spec").path("groups"),
                "k8s/components/prometheus-rules/prometheusrule.yaml must hold"
                        + " monitoring/prometheus/rtmp-edge.rules.yml's groups as they are");
    }

    @Test
    void playersHpaScalesTheEdgesOnPlayersPerPodAndOwnsTheirCount() throws Exception {
        StrictManifests.Manifests players = render("overlays/players-hpa");
        List<HorizontalPodAutoscaler> autoscalers = players.all(HorizontalPodAutoscaler.class);
        assertEquals(1, autoscalers.size());
        var metric = autoscalers.get(0).getSpec().getMetrics().get(0);
        Deployment edge = players.all(Deployment.class).stream()
                .filter(d -> d.getMetadata().getName().equals("rtmp-edge"))
                .findFirst()
                .orElseThrow();
        assertEquals(
                Arrays.asList("Pods", "rtmp_edge_players", "700", null, 1),
                Arrays.asList(
                        metric.getType(),
                        metric.getPods().getMetric().getName(),
                        metric.getPods().getTarget().getAverageValue().toString(),
                        edge.getSpec().getReplicas(),
                        players.serviceMonitors().size()));
    }

    @Test
    void theEdgesKeepTheClientsAddressAndSpreadOverZonesAndNodes() throws Exception {
        StrictManifests.Manifests base = render("base");
        Service rtmp = base.all(Service.class).stream()
                .filter(s -> s.getMetadata().getName().equals("rtmp-edge"))
                .findFirst()
                .orElseThrow();
        Deployment edge = base.all(Deployment.class).stream()
                .filter(d -> d.getMetadata().getName().equals("rtmp-edge"))
                .findFirst()
                .orElseThrow();
        assertEquals(
                List.of("Local", 15L, List.of("topology.kubernetes.io/zone", "kubernetes.io/hostname")),
                List.of(
                        rtmp.getSpec().getExternalTrafficPolicy(),
                        PlacementRules.preStopSleepSeconds(edge.getSpec().getTemplate()),
                        edge.getSpec().getTemplate().getSpec().getTopologySpreadConstraints().stream()
                                .map(c -> c.getTopologyKey())
                                .toList()));
    }

    @Test
    void theProxyProtocolComponentTurnsItOnForTheEdgesAndAsksTheBalancerForIt() throws Exception {
        StrictManifests.Manifests proxied = render("overlays/proxy-protocol");
        Service rtmp = proxied.all(Service.class).stream()
                .filter(s -> s.getMetadata().getName().equals("rtmp-edge"))
                .findFirst()
                .orElseThrow();
        Deployment edge = proxied.all(Deployment.class).stream()
                .filter(d -> d.getMetadata().getName().equals("rtmp-edge"))
                .findFirst()
                .orElseThrow();
        Deployment origin = proxied.all(Deployment.class).stream()
                .filter(d -> d.getMetadata().getName().equals("rtmp-origin"))
                .findFirst()
                .orElseThrow();
        String configMap = edgeConfigMapName(proxied);
        java.util.Map<String, String> files = proxied.all(ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().equals(configMap))
                .findFirst()
                .orElseThrow()
                .getData();
        EdgeConfig config = RolloutRules.load(files, "proxy-protocol.conf");
        EdgeConfig base = RolloutRules.load(files, "edge.conf");
        assertEquals(
                Arrays.asList(
                        "*",
                        List.of("-c", "/etc/rtmp-edge/proxy-protocol.conf"),
                        List.of("-c", "/etc/rtmp-edge/origin.conf"),
                        true,
                        "[10.0.0.0/8]",
                        false),
                Arrays.asList(
                        rtmp.getMetadata()
                                .getAnnotations()
                                .get("service.beta.kubernetes.io/aws-load-balancer-proxy-protocol"),
                        edge.getSpec()
                                .getTemplate()
                                .getSpec()
                                .getContainers()
                                .get(0)
                                .getArgs(),
                        origin.getSpec()
                                .getTemplate()
                                .getSpec()
                                .getContainers()
                                .get(0)
                                .getArgs(),
                        config.proxyProtocol().enabled(),
                        config.proxyProtocol().trusted().toString(),
                        base.proxyProtocol().enabled()));
        // Everything else is edge.conf's: the component adds the PROXY protocol and nothing more.
        assertEquals(
                base.render().replace("proxy_protocol { enabled = off, trusted = [] }", ""),
                config.render().replace("proxy_protocol { enabled = on, trusted = [\"10.0.0.0/8\"] }", ""));
    }

    @Test
    void aConfigurationChangeRenamesTheConfigMap() throws Exception {
        Path copy = Files.createTempDirectory("k8s-base");
        try (Stream<Path> files = Files.list(Kustomize.k8sDir().resolve("base"))) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        Files.writeString(
                copy.resolve("edge.conf"), "\nmax_connections = 999\n", java.nio.file.StandardOpenOption.APPEND);
        String before = edgeConfigMapName(render("base"));
        String after = edgeConfigMapName(StrictManifests.parse(Kustomize.render(copy)));
        try (Stream<Path> files = Files.list(copy)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(copy);
        assertTrue(
                before.startsWith("rtmp-edge-config-")
                        && after.startsWith("rtmp-edge-config-")
                        && !before.equals(after),
                before + " -> " + after);
    }

    private static String edgeConfigMapName(StrictManifests.Manifests manifests) {
        Deployment edge = manifests.all(Deployment.class).stream()
                .filter(d -> d.getMetadata().getName().equals("rtmp-edge"))
                .findFirst()
                .orElseThrow();
        String referenced = edge.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getConfigMap() != null)
                .findFirst()
                .orElseThrow()
                .getConfigMap()
                .getName();
        assertTrue(
                manifests.all(ConfigMap.class).stream()
                        .anyMatch(c -> c.getMetadata().getName().equals(referenced)),
                referenced);
        return referenced;
    }

    @ParameterizedTest
    @ValueSource(strings = {"base/edge.conf", "base/origin.conf"})
    void shippedConfigurationLoadsWithTheServersLoaderWithoutWarnings(String file) {
        EdgeConfig config = EdgeConfigLoader.load(
                Optional.of(Kustomize.k8sDir().resolve(file)),
                com.typesafe.config.ConfigFactory.empty(),
                new java.util.Properties());
        assertEquals(List.of(), config.warnings());
    }

    @Test
    void edgeConfigurationUsesSrsKubernetesGraceWaits() {
        EdgeConfig config = EdgeConfigLoader.load(
                Optional.of(Kustomize.k8sDir().resolve("base/edge.conf")),
                com.typesafe.config.ConfigFactory.empty(),
                new java.util.Properties());
        assertEquals(
                List.of(
                        ClusterConfig.Mode.REMOTE,
                        Duration.ofMillis(700),
                        Duration.ofMillis(800),
                        true,
                        Duration.ofMinutes(5)),
                List.of(
                        config.cluster().mode(),
                        config.grace().startWait(),
                        config.grace().finalWait(),
                        config.grace().forceGraceQuit(),
                        config.grace().drainTimeout()));
    }

    @Test
    void kubectlIsFoundOrTheFailureNamesThePackage() {
        assertFalse(Kustomize.MISSING_KUBECTL.isEmpty());
        assertTrue(Files.isExecutable(Kustomize.kubectl()));
    }
}
