package io.github.rtmpedge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The table of keys and {@code reference.conf}, the keys' documentation, agree both ways. */
class ConfigKeyTest {

    private static final Config REFERENCE =
            ConfigFactory.parseResources(ConfigKeyTest.class.getClassLoader(), "reference.conf");

    @Test
    void everyKeyIsInReferenceConfWithTheTablesDefault() {
        List<String> disagreements = new ArrayList<>();
        for (ConfigKey key : ConfigKey.values()) {
            if (!REFERENCE.hasPath(key.path())) {
                disagreements.add(key.path() + " is missing from reference.conf");
                continue;
            }
            Object documented = REFERENCE.getValue(key.path()).unwrapped();
            Object tabled = ConfigFactory.parseString("v = " + key.defaultValue())
                    .getValue("v")
                    .unwrapped();
            if (!documented.equals(tabled)) {
                disagreements.add(key.path() + ": reference.conf has " + documented + ", the table " + tabled);
            }
        }
        assertEquals(List.of(), disagreements);
    }

    @Test
    void everyLeafOfReferenceConfIsInTheTable() {
        List<String> leaves = new ArrayList<>();
        leaves(REFERENCE.root(), List.of(), leaves);
        List<String> table =
                Arrays.stream(ConfigKey.values()).map(ConfigKey::path).toList();
        assertEquals(table, leaves, "the keys of reference.conf, in its order");
    }

    /** Leaves in document order; a section the table lists as one key (security.apps) counts as a leaf. */
    private static void leaves(ConfigObject object, List<String> prefix, List<String> out) {
        List<String> ordered = new ArrayList<>(object.keySet());
        ordered.sort((a, b) -> Integer.compare(line(object.get(a)), line(object.get(b))));
        for (String name : ordered) {
            List<String> parts = new ArrayList<>(prefix);
            parts.add(name);
            String path = ConfigUtil.joinPath(parts);
            ConfigValue value = object.get(name);
            boolean tabled =
                    Arrays.stream(ConfigKey.values()).anyMatch(k -> k.path().equals(path));
            if (value instanceof ConfigObject child && !tabled && !child.isEmpty()) {
                leaves(child, parts, out);
            } else {
                out.add(path);
            }
        }
    }

    private static int line(ConfigValue value) {
        return value.origin().lineNumber();
    }

    @Test
    void theDefaultsRenderAsTheTableWritesThem() {
        EdgeConfig defaults = EdgeConfigLoaderTest.documentedDefaults();
        for (ConfigKey key : ConfigKey.values()) {
            Object rendered = ConfigFactory.parseString("v = " + key.render(defaults))
                    .getValue("v")
                    .unwrapped();
            Object tabled = ConfigFactory.parseString("v = " + key.defaultValue())
                    .getValue("v")
                    .unwrapped();
            // Durations and sizes may be written in another unit; read both as the loader would.
            if (key.type() instanceof ValueType.Time) {
                assertEquals(
                        ConfigFactory.parseString("v = " + key.defaultValue()).getDuration("v"),
                        ConfigFactory.parseString("v = " + key.render(defaults)).getDuration("v"),
                        key.path());
            } else if (key.type() instanceof ValueType.Size) {
                assertEquals(
                        ConfigFactory.parseString("v = " + key.defaultValue()).getBytes("v"),
                        ConfigFactory.parseString("v = " + key.render(defaults)).getBytes("v"),
                        key.path());
            } else if (!(key.type() instanceof ValueType.Address) && !(key.type() instanceof ValueType.Items)) {
                assertEquals(tabled, rendered, key.path());
            }
        }
    }

    @Test
    void srsNamesLeadToTheirKey() {
        for (ConfigKey key : ConfigKey.values()) {
            for (String name : key.srsNames()) {
                assertEquals(key, ConfigKey.bySrsName(name), name);
                assertTrue(
                        name.indexOf('.') < 0 || ConfigKey.isSrsBlock(name.substring(0, name.lastIndexOf('.'))), name);
            }
        }
    }
}
