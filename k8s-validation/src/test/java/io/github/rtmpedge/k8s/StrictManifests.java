package io.github.rtmpedge.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.introspect.Annotated;
import tools.jackson.databind.introspect.JacksonAnnotationIntrospector;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Parses rendered manifests into the fabric8 Kubernetes model, rejecting every field the model
 * does not know. The model's classes catch unknown fields in an any-setter
 * ({@code additionalProperties}), which FAIL_ON_UNKNOWN_PROPERTIES never sees: a typo such as
 * {@code periodSecond} would load silently. Turning the any-setter off makes it an error.
 */
final class StrictManifests {

    /** The kinds the manifests may hold, each with the one apiVersion we write. */
    private static final Map<String, Kind> KINDS = Map.of(
            "ConfigMap", new Kind("v1", ConfigMap.class),
            "Service", new Kind("v1", Service.class),
            "Deployment", new Kind("apps/v1", Deployment.class),
            "PodDisruptionBudget", new Kind("policy/v1", PodDisruptionBudget.class),
            "HorizontalPodAutoscaler", new Kind("autoscaling/v2", HorizontalPodAutoscaler.class));

    /** ServiceMonitor is not in the core model: its fields are checked here, by name. */
    private static final String SERVICE_MONITOR_API = "monitoring.coreos.com/v1";

    private static final Set<String> SERVICE_MONITOR_FIELDS = Set.of("apiVersion", "kind", "metadata", "spec");
    private static final Set<String> SERVICE_MONITOR_SPEC_FIELDS =
            Set.of("selector", "endpoints", "namespaceSelector", "jobLabel");
    private static final Set<String> SERVICE_MONITOR_ENDPOINT_FIELDS =
            Set.of("port", "path", "interval", "scrapeTimeout", "scheme");

    /** PrometheusRule (the same API group): its fields, by name, down to each rule's. */
    private static final Set<String> PROMETHEUS_RULE_SPEC_FIELDS = Set.of("groups");

    private static final Set<String> RULE_GROUP_FIELDS =
            Set.of("name", "interval", "rules", "limit", "query_offset", "labels");
    private static final Set<String> RULE_FIELDS =
            Set.of("alert", "record", "expr", "for", "keep_firing_for", "labels", "annotations");

    private record Kind(String apiVersion, Class<? extends HasMetadata> type) {}

    /** What one rendering holds: the typed objects, and the ServiceMonitors and PrometheusRules as trees. */
    record Manifests(List<HasMetadata> objects, List<JsonNode> serviceMonitors, List<JsonNode> prometheusRules) {
        Manifests {
            objects = List.copyOf(objects);
            serviceMonitors = List.copyOf(serviceMonitors);
            prometheusRules = List.copyOf(prometheusRules);
        }

        <T extends HasMetadata> List<T> all(Class<T> type) {
            return objects.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    static final ObjectMapper STRICT = YAMLMapper.builder()
            .annotationIntrospector(new JacksonAnnotationIntrospector() {
                private static final long serialVersionUID = 1L;

                @Override
                public Boolean hasAnySetter(MapperConfig<?> config, Annotated annotated) {
                    return Boolean.FALSE;
                }
            })
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** With only FAIL_ON_UNKNOWN_PROPERTIES: what a plain strict-looking mapper would do. */
    static final ObjectMapper ANY_SETTER_ON = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private StrictManifests() {}

    /** Every document of a multi-document YAML stream, empty documents skipped. */
    static List<JsonNode> documents(String yaml) {
        List<JsonNode> documents = new ArrayList<>();
        List<JsonNode> all =
                STRICT.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll();
        for (JsonNode node : all) {
            if (node != null && !node.isNull() && !node.isMissingNode()) {
                documents.add(node);
            }
        }
        return documents;
    }

    /** Parses every document strictly; throws on an unknown kind, apiVersion or field. */
    static Manifests parse(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        List<JsonNode> serviceMonitors = new ArrayList<>();
        List<JsonNode> prometheusRules = new ArrayList<>();
        for (JsonNode document : documents(yaml)) {
            String kind = document.path("kind").asString("");
            String apiVersion = document.path("apiVersion").asString("");
            if (kind.equals("ServiceMonitor")) {
                checkServiceMonitor(document, apiVersion);
                serviceMonitors.add(document);
                continue;
            }
            if (kind.equals("PrometheusRule")) {
                checkPrometheusRule(document, apiVersion);
                prometheusRules.add(document);
                continue;
            }
            Kind expected = KINDS.get(kind);
            if (expected == null) {
                throw new IllegalArgumentException(
                        "unexpected kind '" + kind + "' (" + apiVersion + "); known: " + KINDS.keySet());
            }
            if (!expected.apiVersion().equals(apiVersion)) {
                throw new IllegalArgumentException(
                        kind + " has apiVersion '" + apiVersion + "', expected " + expected.apiVersion());
            }
            objects.add(STRICT.treeToValue(document, expected.type()));
        }
        return new Manifests(objects, serviceMonitors, prometheusRules);
    }

    private static void checkPrometheusRule(JsonNode document, String apiVersion) {
        if (!SERVICE_MONITOR_API.equals(apiVersion)) {
            throw new IllegalArgumentException(
                    "PrometheusRule has apiVersion '" + apiVersion + "', expected " + SERVICE_MONITOR_API);
        }
        onlyFields("PrometheusRule", document, SERVICE_MONITOR_FIELDS);
        onlyFields("PrometheusRule.spec", document.path("spec"), PROMETHEUS_RULE_SPEC_FIELDS);
        for (JsonNode group : document.path("spec").path("groups")) {
            onlyFields("PrometheusRule.spec.groups[]", group, RULE_GROUP_FIELDS);
            for (JsonNode rule : group.path("rules")) {
                onlyFields("PrometheusRule.spec.groups[].rules[]", rule, RULE_FIELDS);
                if (rule.path("alert").isMissingNode() == rule.path("record").isMissingNode()
                        || !rule.path("expr").isString()) {
                    throw new IllegalArgumentException(
                            "PrometheusRule: a rule needs exactly one of alert and record, and an expr: " + rule);
                }
            }
        }
        STRICT.treeToValue(document.path("metadata"), io.fabric8.kubernetes.api.model.ObjectMeta.class);
    }

    private static void checkServiceMonitor(JsonNode document, String apiVersion) {
        if (!SERVICE_MONITOR_API.equals(apiVersion)) {
            throw new IllegalArgumentException(
                    "ServiceMonitor has apiVersion '" + apiVersion + "', expected " + SERVICE_MONITOR_API);
        }
        onlyFields("ServiceMonitor", document, SERVICE_MONITOR_FIELDS);
        onlyFields("ServiceMonitor.spec", document.path("spec"), SERVICE_MONITOR_SPEC_FIELDS);
        for (JsonNode endpoint : document.path("spec").path("endpoints")) {
            onlyFields("ServiceMonitor.spec.endpoints[]", endpoint, SERVICE_MONITOR_ENDPOINT_FIELDS);
        }
        // metadata and selector have the core model's shape: parse them strictly too.
        STRICT.treeToValue(document.path("metadata"), io.fabric8.kubernetes.api.model.ObjectMeta.class);
        STRICT.treeToValue(document.path("spec").path("selector"), io.fabric8.kubernetes.api.model.LabelSelector.class);
    }

    private static void onlyFields(String where, JsonNode node, Set<String> allowed) {
        for (String name : node.propertyNames()) {
            if (!allowed.contains(name)) {
                throw new IllegalArgumentException(where + ": unknown field '" + name + "'; known: " + allowed);
            }
        }
    }
}
