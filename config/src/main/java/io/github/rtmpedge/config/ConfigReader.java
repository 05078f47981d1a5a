package io.github.rtmpedge.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.github.rtmpedge.config.InvalidConfigException.Problem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads typed values out of a resolved {@link Config}, recording a {@link Problem} instead of
 * throwing so that every bad key is reported at once. Each getter returns {@code null} when its
 * key had a problem. Remembers every path it read: those are the known keys.
 */
final class ConfigReader {

    private static final ConfigRenderOptions CONCISE = ConfigRenderOptions.concise();

    private final Config config;
    private final List<Problem> problems = new ArrayList<>();
    private final Set<String> readPaths = new LinkedHashSet<>();
    private final Set<String> sections = new LinkedHashSet<>();

    ConfigReader(Config config) {
        this.config = config;
    }

    List<Problem> problems() {
        return problems;
    }

    /** Every path read so far, in reading order. */
    Set<String> readPaths() {
        return readPaths;
    }

    void problem(String path, String value, String expected) {
        problems.add(new Problem(path, value, expected));
    }

    /** The value at {@code path} as HOCON, for a problem report. */
    String render(String path) {
        try {
            if (!config.hasPathOrNull(path)) {
                return "(missing)";
            }
            return config.getIsNull(path) ? "null" : config.getValue(path).render(CONCISE);
        } catch (ConfigException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    static String render(ConfigValue value) {
        return value.render(CONCISE);
    }

    /** The raw value, or {@code null} after recording a problem (missing, null, or a parent of the wrong type). */
    ConfigValue value(String path, String expected) {
        readPaths.add(path);
        try {
            if (config.hasPath(path)) {
                return config.getValue(path);
            }
        } catch (ConfigException e) {
            // a parent is not an object; found below
        }
        // A parent that is not an object (cluster.retry = 5) is reported once, not per child key.
        String parent = brokenParent(path);
        if (parent != null) {
            if (problems.stream().noneMatch(p -> p.path().equals(parent))) {
                problem(parent, render(parent), "an object (a section with keys)");
            }
            return null;
        }
        problem(path, render(path), expected);
        return null;
    }

    private String brokenParent(String path) {
        String prefix = path;
        while (prefix.lastIndexOf('.') > 0) {
            prefix = prefix.substring(0, prefix.lastIndexOf('.'));
            try {
                if (config.hasPathOrNull(prefix)
                        && (config.getIsNull(prefix)
                                || config.getValue(prefix).valueType() != ConfigValueType.OBJECT)) {
                    return prefix;
                }
            } catch (ConfigException e) {
                // a still higher parent is the broken one; keep climbing
            }
        }
        return null;
    }

    /**
     * Declares {@code path} a section whose keys are checked against the known keys (a section
     * with free-form names, such as one app's rules, whose keys may all be absent).
     */
    void section(String path) {
        sections.add(path);
    }

    Set<String> sections() {
        return sections;
    }

    /** Whether {@code path} is set (to anything but null). */
    boolean has(String path) {
        try {
            return config.hasPath(path);
        } catch (ConfigException e) {
            return false;
        }
    }

    /**
     * The keys of the object at {@code path} (an empty list when it is missing or not an object:
     * its children's paths are then reported by whoever reads them). Not recorded as a read path,
     * so that unknown keys below it are still found.
     */
    List<String> objectKeys(String path) {
        try {
            if (config.hasPath(path) && config.getValue(path).valueType() == ConfigValueType.OBJECT) {
                return new ArrayList<>(config.getObject(path).keySet());
            }
        } catch (ConfigException e) {
            // a parent is not an object: nothing to list
        }
        return List.of();
    }

    // Table keys: the path and the bounds come from ConfigKey.

    Duration duration(ConfigKey key) {
        return duration(key.path(), key.type(ValueType.Time.class).zeroAllowed());
    }

    Long bytes(ConfigKey key) {
        ValueType.Size size = key.type(ValueType.Size.class);
        return bytes(key.path(), size.min(), size.max(), size.expected());
    }

    Integer intIn(ConfigKey key) {
        ValueType.Count count = key.type(ValueType.Count.class);
        return intIn(key.path(), count.min(), count.max());
    }

    Double decimal(ConfigKey key) {
        ValueType.Decimal decimal = key.type(ValueType.Decimal.class);
        return decimal(key.path(), decimal.min(), decimal.max(), decimal.expected());
    }

    Boolean bool(ConfigKey key) {
        key.type(ValueType.Flag.class);
        return bool(key.path());
    }

    <E extends Enum<E>> E enumValue(ConfigKey key, Class<E> type) {
        if (key.type(ValueType.Choice.class).type() != type) {
            throw new IllegalStateException(key.path() + " does not hold a " + type.getSimpleName());
        }
        return enumValue(key.path(), type);
    }

    /** {@link #scalarList} of a key of {@link ValueType.Items}, at {@code path}: its own, or an app rule's in one app. */
    <T> List<T> items(ConfigKey key, String path, Class<T> element) {
        ValueType.Items items = key.type(ValueType.Items.class);
        return scalarList(
                path,
                items.expected(),
                text -> items.parse().apply(text).stream().map(element::cast).toList());
    }

    <T> List<T> items(ConfigKey key, Class<T> element) {
        return items(key, key.path(), element);
    }

    String render(ConfigKey key) {
        return render(key.path());
    }

    /** A problem with the key's value as it stands. */
    void problem(ConfigKey key, String expected) {
        problem(key.path(), render(key.path()), expected);
    }

    /** A whole number in {@code min..max}: a number, or a string of digits. */
    Long integer(String path, long min, long max) {
        String expected = "an integer " + min + ".." + max;
        ConfigValue value = value(path, expected);
        if (value == null) {
            return null;
        }
        Long parsed = null;
        Object raw = value.unwrapped();
        if (raw instanceof Integer || raw instanceof Long) {
            parsed = ((Number) raw).longValue();
        } else if (raw instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            parsed = d.longValue();
        } else if (raw instanceof String s) {
            try {
                parsed = Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                parsed = null;
            }
        }
        if (parsed == null || parsed < min || parsed > max) {
            problem(path, render(value), expected);
            return null;
        }
        return parsed;
    }

    Integer intIn(String path, int min, int max) {
        Long value = integer(path, min, max);
        return value == null ? null : value.intValue();
    }

    /** A size in bytes ({@code 16MiB}; a bare number is bytes) in {@code min..max}. */
    Long bytes(String path, long min, long max, String expected) {
        ConfigValue value = value(path, expected);
        if (value == null) {
            return null;
        }
        long bytes;
        try {
            bytes = config.getBytes(path);
        } catch (ConfigException e) {
            problem(path, render(value), expected);
            return null;
        }
        if (bytes < min || bytes > max) {
            problem(path, render(value), expected);
            return null;
        }
        return bytes;
    }

    /** A duration ({@code 700ms}, {@code 2s}; a bare number is milliseconds), positive or non-negative. */
    Duration duration(String path, boolean zeroAllowed) {
        String expected = zeroAllowed
                ? "a duration >= 0 such as 500ms, 2s or 1m (0 = off; a bare number is milliseconds)"
                : "a duration > 0 such as 500ms, 2s or 1m (a bare number is milliseconds)";
        ConfigValue value = value(path, expected);
        if (value == null) {
            return null;
        }
        Duration duration;
        try {
            duration = config.getDuration(path);
        } catch (ConfigException e) {
            problem(path, render(value), expected);
            return null;
        }
        if (duration.isNegative() || (!zeroAllowed && duration.isZero())) {
            problem(path, render(value), expected);
            return null;
        }
        return duration;
    }

    /** A number in {@code min..max}. */
    Double decimal(String path, double min, double max, String expected) {
        ConfigValue value = value(path, expected);
        if (value == null) {
            return null;
        }
        double number;
        try {
            number = config.getDouble(path);
        } catch (ConfigException e) {
            problem(path, render(value), expected);
            return null;
        }
        if (!(number >= min && number <= max)) {
            problem(path, render(value), expected);
            return null;
        }
        return number;
    }

    /** on | off | true | false | yes | no. */
    Boolean bool(String path) {
        String expected = "on, off, true, false, yes or no";
        ConfigValue value = value(path, expected);
        if (value == null) {
            return null;
        }
        try {
            return config.getBoolean(path);
        } catch (ConfigException e) {
            problem(path, render(value), expected);
            return null;
        }
    }

    /** One of the enum's constants, written in lower case ({@code round_robin}). */
    <E extends Enum<E>> E enumValue(String path, Class<E> type) {
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            names.add(constant.name().toLowerCase(Locale.ROOT));
        }
        String expected = "one of " + String.join(", ", names);
        ConfigValue value = value(path, expected);
        if (value == null) {
            return null;
        }
        if (value.valueType() == ConfigValueType.STRING) {
            int index = names.indexOf(((String) value.unwrapped()).trim());
            if (index >= 0) {
                return type.getEnumConstants()[index];
            }
        }
        problem(path, render(value), expected);
        return null;
    }

    /**
     * A list whose elements are numbers or strings, also accepting a single number or string (one
     * element), and an object with numeric keys ({@code -Dlisten.0=1935}, Typesafe's list form for
     * properties). Each element goes through {@code parse}; a failing element is a problem at
     * {@code path[index]}. Returns {@code null} if anything failed.
     */
    <T> List<T> scalarList(String path, String expected, Function<String, List<T>> parse) {
        ConfigValue value = value(path, expected);
        if (value == null) {
            return null;
        }
        List<? extends ConfigValue> elements;
        boolean single = false;
        switch (value.valueType()) {
            case NUMBER, STRING -> {
                elements = List.of(value);
                single = true;
            }
            case LIST, OBJECT -> {
                try {
                    elements = config.getList(path);
                } catch (ConfigException e) {
                    problem(path, render(value), expected);
                    return null;
                }
            }
            default -> {
                problem(path, render(value), expected);
                return null;
            }
        }
        List<T> result = new ArrayList<>();
        boolean failed = false;
        for (int i = 0; i < elements.size(); i++) {
            ConfigValue element = elements.get(i);
            String elementPath = single ? path : path + "[" + i + "]";
            if (element.valueType() != ConfigValueType.NUMBER && element.valueType() != ConfigValueType.STRING) {
                problem(elementPath, render(element), expected);
                failed = true;
                continue;
            }
            try {
                result.addAll(parse.apply(String.valueOf(element.unwrapped())));
            } catch (IllegalArgumentException e) {
                problem(elementPath, render(element), e.getMessage());
                failed = true;
            }
        }
        return failed ? null : result;
    }
}
