package io.github.rtmpedge.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;

/** The parser rejects what Kubernetes would reject (or silently ignore). */
class StrictParsingTest {

    /** A readiness probe whose periodSeconds is misspelt periodSecond. */
    private static final String TYPO = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: typo
            spec:
              selector:
                matchLabels: {app: typo}
              template:
                metadata:
                  labels: {app: typo}
                spec:
                  containers:
                    - name: edge
                      image: rtmp-edge
                      readinessProbe:
                        httpGet: {path: /readyz, port: 1985}
                        periodSecond: 1
            """;

    @Test
    void misspeltFieldIsRejected() {
        JacksonException e = assertThrows(JacksonException.class, () -> StrictManifests.parse(TYPO));
        assertTrue(e.getMessage().contains("periodSecond"), e.getMessage());
    }

    @Test
    void failOnUnknownPropertiesAloneLetsTheTypoThrough() {
        Deployment deployment = StrictManifests.ANY_SETTER_ON.readValue(TYPO, Deployment.class);
        var probe = deployment
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getReadinessProbe();
        assertEquals(1, probe.getAdditionalProperties().get("periodSecond"));
    }

    @Test
    void unknownKindIsRejected() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> StrictManifests.parse("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"));
        assertTrue(e.getMessage().contains("Pod"), e.getMessage());
    }

    @Test
    void oldApiVersionIsRejected() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> StrictManifests.parse(
                        "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: p}\n"));
        assertTrue(e.getMessage().contains("policy/v1beta1"), e.getMessage());
    }

    @Test
    void serviceMonitorTypoIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StrictManifests.parse("""
                apiVersion: monitoring.coreos.com/v1
                kind: ServiceMonitor
                metadata: {name: m}
                spec:
                  selector: {matchLabels: {a: b}}
                  endpoints:
                    - {port: http, intervall: 15s}
                """));
        assertTrue(e.getMessage().contains("intervall"), e.getMessage());
    }

    @Test
    void prometheusRuleTypoAndARuleWithoutExprAreRejected() {
        String rule = """
                apiVersion: monitoring.coreos.com/v1
                kind: PrometheusRule
                metadata: {name: r}
                spec:
                  groups:
                    - name: g
                      rules:
                        - {alert: A, expr: up == 0, for: 1m}
                """;
        assertEquals(1, StrictManifests.parse(rule).prometheusRules().size());
        IllegalArgumentException typo = assertThrows(
                IllegalArgumentException.class, () -> StrictManifests.parse(rule.replace("for: 1m", "fro: 1m")));
        assertTrue(typo.getMessage().contains("fro"), typo.getMessage());
        IllegalArgumentException noExpr = assertThrows(
                IllegalArgumentException.class, () -> StrictManifests.parse(rule.replace("expr: up == 0, ", "")));
        assertTrue(noExpr.getMessage().contains("expr"), noExpr.getMessage());
    }

    @Test
    void documentsOfAStreamAreAllRead() {
        assertEquals(2, StrictManifests.documents("a: 1\n---\n---\nb: 2\n").size());
    }

    /** The model knows preStop's sleep action (Kubernetes 1.30+) and catches a typo inside it. */
    @Test
    void preStopSleepIsKnownAndItsTypoRejected() {
        String sleep = """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: sleeper
                spec:
                  selector:
                    matchLabels: {app: sleeper}
                  template:
                    metadata:
                      labels: {app: sleeper}
                    spec:
                      containers:
                        - name: edge
                          image: rtmp-edge
                          lifecycle:
                            preStop:
                              sleep: {seconds: 15}
                """;
        Deployment deployment = StrictManifests.STRICT.readValue(sleep, Deployment.class);
        assertEquals(
                15L,
                deployment
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getLifecycle()
                        .getPreStop()
                        .getSleep()
                        .getSeconds());
        JacksonException e = assertThrows(
                JacksonException.class, () -> StrictManifests.parse(sleep.replace("{seconds: 15}", "{second: 15}")));
        assertTrue(e.getMessage().contains("second"), e.getMessage());
    }
}
