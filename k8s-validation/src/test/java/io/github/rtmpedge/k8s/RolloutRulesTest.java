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
}
