package io.github.rtmpedge.config;

import com.typesafe.config.ConfigUtil;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The effective configuration as one line of HOCON ({@link EdgeConfig#render()}): every
 * {@link ConfigKey} in table order, grouped into sections by path, each value printed by its
 * {@link ValueType} (which redacts secrets).
 */
final class ConfigRenderer {

    private ConfigRenderer() {}

    static String render(EdgeConfig config) {
        Section root = new Section();
        for (ConfigKey key : ConfigKey.values()) {
            root.put(ConfigUtil.splitPath(key.path()), key.render(config));
        }
        return root.body();
    }

    /** {@code security.apps}: each app's rules, all of them (an app's entry is already merged over the defaults). */
    static String apps(Map<String, SecurityConfig.AppRules> apps) {
        if (apps.isEmpty()) {
            return "{}";
        }
        List<String> entries = new ArrayList<>();
        apps.forEach((app, rules) -> {
            Section section = new Section();
            for (ConfigKey key : ConfigKey.appRules()) {
                section.put(key.appRuleSegments(), key.render(rules));
            }
            entries.add(ConfigUtil.quoteString(app) + " { " + section.body() + " }");
        });
        return "{ " + String.join(", ", entries) + " }";
    }

    /** Rendered values and subsections by name, in insertion order. */
    private static final class Section {
        private final Map<String, Object> entries = new LinkedHashMap<>();

        void put(List<String> path, String value) {
            if (path.size() == 1) {
                entries.put(path.get(0), value);
                return;
            }
            Section child = (Section) entries.computeIfAbsent(path.get(0), name -> new Section());
            child.put(path.subList(1, path.size()), value);
        }

        /** {@code a = 1, b { c = 2 }}; an object value is written like a section ({@code apps {}}). */
        String body() {
            List<String> parts = new ArrayList<>();
            entries.forEach((name, value) -> {
                if (value instanceof Section section) {
                    parts.add(name + " { " + section.body() + " }");
                } else if (((String) value).startsWith("{")) {
                    parts.add(name + " " + value);
                } else {
                    parts.add(name + " = " + value);
                }
            });
            return String.join(", ", parts);
        }
    }
}
