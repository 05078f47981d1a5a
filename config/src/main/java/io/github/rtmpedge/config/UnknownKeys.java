package io.github.rtmpedge.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the keys an operator wrote that the server does not read (typos), each reported as a
 * problem suggesting the nearest known key. Known keys are those {@link ConfigReader} read.
 */
final class UnknownKeys {

    private UnknownKeys() {}

    /** Records a problem in {@code reader} for every unknown key of {@code layers}. */
    static void check(ConfigReader reader, List<Config> layers) {
        Set<String> known = new HashSet<>(reader.readPaths());
        Set<String> knownSections = sections(known);
        knownSections.addAll(sections(reader.sections()));
        knownSections.addAll(reader.sections());
        List<String> knownList = new ArrayList<>(reader.readPaths());
        knownList.addAll(knownSections.stream().sorted().toList());
        for (Config layer : layers) {
            checkUnknownKeys(reader, layer.root(), List.of(), known, knownSections, knownList);
        }
    }

    private static Set<String> sections(Set<String> known) {
        Set<String> sections = new HashSet<>();
        for (String path : known) {
            List<String> parts = ConfigUtil.splitPath(path);
            for (int i = 1; i < parts.size(); i++) {
                sections.add(ConfigUtil.joinPath(parts.subList(0, i)));
            }
        }
        return sections;
    }

    private static void checkUnknownKeys(
            ConfigReader r,
            ConfigObject object,
            List<String> prefix,
            Set<String> known,
            Set<String> sections,
            List<String> knownList) {
        for (String key : object.keySet()) {
            List<String> parts = new ArrayList<>(prefix);
            parts.add(key);
            String path = ConfigUtil.joinPath(parts);
            ConfigValue value = object.get(key);
            if (known.contains(path)) {
                continue;
            }
            if (sections.contains(path)) {
                if (value instanceof ConfigObject child) {
                    checkUnknownKeys(r, child, parts, known, sections, knownList);
                }
                // A section given a plain value is reported while reading its keys.
                continue;
            }
            if (r.problems().stream().anyMatch(p -> p.path().equals(path))) {
                continue;
            }
            r.problem(
                    path,
                    renderLeniently(value),
                    "a known key (unknown key; did you mean " + closest(path, knownList) + "?)");
        }
    }

    private static String renderLeniently(ConfigValue value) {
        try {
            return ConfigReader.render(value);
        } catch (ConfigException e) {
            return "(unresolved)";
        }
    }

    /** The known key nearest by edit distance, comparing whole paths and last segments. */
    static String closest(String path, List<String> known) {
        String last = lastSegment(path);
        String best = known.get(0);
        int bestScore = Integer.MAX_VALUE;
        for (String candidate : known) {
            int score = Math.min(distance(path, candidate), distance(last, lastSegment(candidate)) + 1);
            if (score < bestScore) {
                bestScore = score;
                best = candidate;
            }
        }
        return best;
    }

    private static String lastSegment(String path) {
        List<String> parts = ConfigUtil.splitPath(path);
        return parts.get(parts.size() - 1);
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
