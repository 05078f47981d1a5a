package io.github.rtmpedge.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each rule catches the mistake it is there for: the base rendering, broken one way at a time. */
class RolloutRulesTest {

    private static String base;

    @BeforeAll
    static void renderBase() throws Exception {
        base = Kustomize.render(Kustomize.k8sDir().resolve("base"));
    }

    private static List<String> problemsAfter(String from, String to) {
        assertTrue(base.contains(from), "the base rendering holds: " + from);
        return RolloutRules.check(StrictManifests.parse(base.replace(from, to)));
    }

    /** Replaces the first occurrence only: in the rendering, the edge comes before the origin. */
    private static List<String> problemsAfterFirst(String from, String to) {
        assertTrue(base.contains(from), "the base rendering holds: " + from);
        int at = base.indexOf(from);
        return RolloutRules.check(
                StrictManifests.parse(base.substring(0, at) + to + base.substring(at + from.length())));
    }

    private static void assertOneProblem(List<String> problems, String expected) {
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains(expected), problems.toString());
    }

    @Test
    void gracePeriodShorterThanTheWaitsIsCaught() {
        assertOneProblem(
                problemsAfter("terminationGracePeriodSeconds: 360", "terminationGracePeriodSeconds: 300"),
                "Deployment rtmp-edge: terminationGracePeriodSeconds 300");
    }

    @Test
    void longerDrainInTheConfigMapIsCaught() {
        assertOneProblem(
                problemsAfter("drain_timeout = 5m", "drain_timeout = 6m"),
                "Deployment rtmp-edge: terminationGracePeriodSeconds 360");
    }

    @Test
    void readinessOnTheWrongPathIsCaught() {
        assertOneProblem(problemsAfterFirst("path: /readyz", "path: /healthz"), "readinessProbe: path must be /readyz");
    }

    @Test
    void httpPortDifferentFromTheConfigurationIsCaught() {
        List<String> problems = problemsAfterFirst(
                "http_api { enabled = on, listen = 1985 }", "http_api { enabled = on, listen = 8080 }");
        assertTrue(
                problems.stream().allMatch(p -> p.startsWith("Deployment rtmp-edge"))
                        && problems.stream()
                                .anyMatch(p -> p.contains("container port 'http' is 1985 but http_api.listen is 8080")),
                problems.toString());
    }

    @Test
    void maxUnavailableAboveZeroIsCaught() {
        assertOneProblem(problemsAfter("maxUnavailable: 0", "maxUnavailable: 1"), "maxUnavailable must be 0");
    }

    @Test
    void writableRootFilesystemIsCaught() {
        List<String> problems = RolloutRules.check(StrictManifests.parse(
                base.replaceFirst("readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false")));
        assertOneProblem(problems, "readOnlyRootFilesystem must be true");
    }

    @Test
    void rtmpServiceThatMissesTheCanaryIsCaught() throws Exception {
        String canary = Kustomize.render(Kustomize.k8sDir().resolve("overlays/canary"));
        String selector = "  selector:\n    app.kubernetes.io/component: edge\n    app.kubernetes.io/name: rtmp-edge\n"
                + "  type: LoadBalancer\n";
        assertTrue(canary.contains(selector), "the canary rendering holds the RTMP Service's selector");
        List<String> problems = RolloutRules.check(StrictManifests.parse(canary.replace(
                selector, selector.replace("  type: LoadBalancer", "    track: stable\n  type: LoadBalancer"))));
        assertOneProblem(problems, "Service rtmp-edge: selector");
    }

    @Test
    void unhashedConfigMapNameIsCaught() {
        String hashed = base.lines()
                .filter(l -> l.contains("name: rtmp-edge-config-"))
                .findFirst()
                .orElseThrow()
                .trim()
                .substring("name: ".length());
        List<String> problems = RolloutRules.check(StrictManifests.parse(base.replace(hashed, "rtmp-edge-config")));
        assertOneProblem(problems, "no generator hash suffix");
    }

    @Test
    void clusterTrafficPolicyIsCaught() {
        assertOneProblem(
                problemsAfter("externalTrafficPolicy: Local", "externalTrafficPolicy: Cluster"),
                "Service rtmp-edge: externalTrafficPolicy must be Local");
    }

    @Test
    void aPreStopTooShortForTheLoadBalancerIsCaught() {
        assertOneProblem(problemsAfter("seconds: 15", "seconds: 2"), "needs a preStop sleep of at least 10 s");
    }

    @Test
    void aPreStopTheGracePeriodDoesNotCoverIsCaught() {
        assertOneProblem(
                problemsAfter("seconds: 15", "seconds: 60"), "Deployment rtmp-edge: terminationGracePeriodSeconds 360");
    }

    @Test
    void edgesNotSpreadOverZonesAreCaught() {
        assertOneProblem(
                problemsAfter("topologyKey: topology.kubernetes.io/zone", "topologyKey: example.com/rack"),
                "needs a topologySpreadConstraint over topology.kubernetes.io/zone");
    }

    @Test
    void unboundedDirectMemoryIsCaught() {
        assertOneProblem(
                // The option alone: kustomize folds the long option line, so what follows it may be a line break.
                problemsAfterFirst("-XX:MaxDirectMemorySize=384m", ""),
                "Deployment rtmp-edge container edge: JAVA_TOOL_OPTIONS must bound the heap");
    }

    @Test
    void heapAndDirectMemoryAboveTheLimitAreCaught() {
        assertOneProblem(
                problemsAfterFirst("-XX:MaxDirectMemorySize=384m", "-XX:MaxDirectMemorySize=512m"),
                "heap 358 MiB + direct 512 MiB + 256 MiB for the rest of the JVM = 1126 MiB exceed the memory limit"
                        + " 1024 MiB");
    }

    @Test
    void aPlayersTargetAtMaxConnectionsIsCaught() throws Exception {
        assertOneProblem(
                playersHpaProblemsAfter("averageValue: \"700\"", "averageValue: \"1000\""),
                "must be below max_connections 1000");
    }

    @Test
    void aPlayersMetricTheAdapterDoesNotServeIsCaught() throws Exception {
        assertOneProblem(
                playersHpaProblemsAfter("name: rtmp_edge_players", "name: rtmp_players"),
                "Pods metric rtmp_players is not one the prometheus-adapter rule");
    }

    @Test
    void aFastScaleDownIsCaught() throws Exception {
        assertOneProblem(
                playersHpaProblemsAfter(
                        "      - periodSeconds: 300\n        type: Pods\n        value: 1\n",
                        "      - periodSeconds: 300\n        type: Pods\n        value: 4\n"),
                "behavior.scaleDown must allow 1 pod per 60 s or more");
    }

    private static List<String> playersHpaProblemsAfter(String from, String to) throws Exception {
        String rendering = Kustomize.render(Kustomize.k8sDir().resolve("overlays/players-hpa"));
        assertTrue(rendering.contains(from), "the players-hpa rendering holds: " + from);
        return RolloutRules.check(StrictManifests.parse(rendering.replace(from, to)));
    }
}
