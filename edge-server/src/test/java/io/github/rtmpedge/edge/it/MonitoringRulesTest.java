package io.github.rtmpedge.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The shipped alert rules (monitoring/prometheus) pass promtool's check and their own unit tests. */
class MonitoringRulesTest {

    static final Path PROMETHEUS = Path.of("..", "monitoring", "prometheus");
    static final Path RULES = PROMETHEUS.resolve("rtmp-edge.rules.yml");
    static final Path RULE_TESTS = PROMETHEUS.resolve("rtmp-edge.rules.test.yml");
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void rulesPassPromtoolCheckRules() {
        Promtool.Result check = Promtool.checkRules(RULES, WAIT);

        assertEquals(0, check.exitCode(), check::toString);
        assertTrue(
                check.output().contains("SUCCESS: " + alerts(RULES, "- alert: ").size() + " rules found"),
                check::toString);
    }

    @Test
    void rulesPassTheirUnitTests() {
        Promtool.Result test = Promtool.testRules(RULE_TESTS, WAIT);

        assertEquals(0, test.exitCode(), test::toString);
        assertTrue(test.output().contains("SUCCESS"), test::toString);
    }

    @Test
    void everyAlertHasAUnitTestInWhichItFires() {
        Set<String> alerts = alerts(RULES, "- alert: ");
        Set<String> tested = alerts(RULE_TESTS, "alertname: ");
        assertFalse(alerts.isEmpty());

        assertEquals(alerts, tested);
        String tests = read(RULE_TESTS);
        for (String alert : alerts) {
            assertTrue(
                    Pattern.compile("alertname: " + alert + "\\n\\s+exp_alerts:")
                            .matcher(tests)
                            .find(),
                    alert + " is never expected to fire in " + RULE_TESTS);
        }
    }

    static Set<String> alerts(Path file, String prefix) {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile(Pattern.quote(prefix) + "(\\w+)").matcher(read(file));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
