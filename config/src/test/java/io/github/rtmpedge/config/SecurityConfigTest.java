package io.github.rtmpedge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The security section: defaults, per-app overrides, validation, and secrets kept out of every dump. */
class SecurityConfigTest {

    @TempDir
    java.nio.file.Path dir;

    private EdgeConfig load(String text) {
        return ConfigFiles.load(dir, text);
    }

    private List<String> problems(String hocon) {
        return ConfigFiles.problems(dir, hocon);
    }

    @Test
    void appOverridesOnlyTheKeysItSets() throws Exception {
        SecurityConfig s = load("security { token_secrets = [\"s3cret-one\", \"s3cret-two\"], token_clock_skew = 5s\n"
                        + "  play.deny = [\"10.0.0.0/8\"]\n"
                        + "  http_hooks.on_play = [\"http://127.0.0.1:8085/hooks\"]\n"
                        + "  apps { live { publish.token = on, play.allow = [\"::1\"] } } }")
                .security();
        assertEquals(List.of("s3cret-one", "s3cret-two"), s.tokenSecrets());
        assertEquals(Duration.ofSeconds(5), s.tokenClockSkew());
        SecurityConfig.AppRules live = s.forApp("live");
        assertTrue(live.publish().token());
        assertFalse(live.play().token());
        assertEquals(List.of(CidrBlock.parse("::1")), live.play().allow());
        assertEquals(List.of(CidrBlock.parse("10.0.0.0/8")), live.play().deny(), "inherited from the defaults");
        assertEquals(
                List.of(URI.create("http://127.0.0.1:8085/hooks")), live.hooks().onPlay(), "inherited");
        SecurityConfig.AppRules other = s.forApp("other");
        assertFalse(other.publish().token(), "an app without an entry has the defaults");
        assertFalse(other.play().admits(InetAddress.getByName("10.1.1.1")));
        assertTrue(other.play().admits(InetAddress.getByName("192.168.1.1")));
    }

    @Test
    void denyWinsOverAllowAndAnEmptyAllowListAdmitsEveryone() throws Exception {
        SecurityConfig.AccessRule rule = new SecurityConfig.AccessRule(
                List.of(CidrBlock.parse("10.0.0.0/8")), List.of(CidrBlock.parse("10.6.0.0/16")), false);
        assertTrue(rule.admits(InetAddress.getByName("10.5.0.1")));
        assertFalse(rule.admits(InetAddress.getByName("10.6.0.1")), "deny wins");
        assertFalse(rule.admits(InetAddress.getByName("11.0.0.1")), "not in a non-empty allow list");
        assertTrue(
                new SecurityConfig.AccessRule(List.of(), List.of(), false).admits(InetAddress.getByName("11.0.0.1")));
    }

    @Test
    void badCidrIsReportedWithKeyValueAndExpectation() {
        List<String> problems = problems("security.apps.live.play.deny = [\"127.0.0.1/40\"]");
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("security.apps.live.play.deny[0]"), problems.get(0));
        assertTrue(problems.get(0).contains("127.0.0.1/40"), problems.get(0));
        assertTrue(problems.get(0).contains("CIDR block"), problems.get(0));
    }

    @Test
    void tokenOnWithoutSecretsIsAProblem() {
        List<String> problems = problems("security.publish.token = on");
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(
                problems.get(0).contains("security.publish.token")
                        && problems.get(0).contains("token_secrets"),
                problems.get(0));
    }

    @Test
    void typoInAnAppSectionIsAnUnknownKey() {
        List<String> problems = problems("security.apps.live.publsh.token = on");
        assertTrue(problems.stream().anyMatch(p -> p.contains("security.apps.live.publsh")), problems.toString());
    }

    @Test
    void badHookUrlIsReportedWithoutItsText() {
        List<String> problems = problems("security.http_hooks.on_publish = [\"ftp://user:hunter2@host/x\"]");
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("security.http_hooks.on_publish[0]"), problems.get(0));
        assertFalse(problems.get(0).contains("hunter2"), problems.get(0));
    }

    @Test
    void secretsAndHookCredentialsAreNeverRendered() {
        EdgeConfig config = load("security { token_secrets = [\"hunter2-secret\"], publish.token = on\n"
                + "  http_hooks.on_connect = [\"http://admin:hunter3@127.0.0.1:9/c?key=hunter4\"] }");
        for (String dump : List.of(
                config.render(),
                config.toString(),
                config.security().toString(),
                config.security().defaults().toString())) {
            assertFalse(dump.contains("hunter"), dump);
        }
        assertTrue(config.render().contains("token_secrets = [\"(redacted)\"]"), config.render());
        assertTrue(config.render().contains("http://***@127.0.0.1:9/c?***"), config.render());
    }

    @Test
    void renderedSecurityLoadsBackEqualWhenItHoldsNoSecret() {
        EdgeConfig original = load("security { hook_fail_open = on, play.allow = [\"10.0.0.0/8\", \"2001:db8::/32\"]\n"
                + "  http_hooks.on_stop = [\"http://127.0.0.1:1/stop\"], apps { \"a.b\" { play.token = off } } }");
        assertEquals(original.security(), load(original.render()).security());
    }

    @Test
    void srsVhostSecurityAndHttpHooksMapOntoTheDefaults() throws Exception {
        EdgeConfig config = load("listen 1935;\nvhost __defaultVhost__ {\n"
                + "    security {\n        enabled on;\n        allow publish 10.0.0.0/8;\n        deny publish 10.6.0.0/16;\n"
                + "        allow play all;\n        deny play 192.0.2.7;\n    }\n"
                + "    http_hooks {\n        enabled on;\n        on_publish http://127.0.0.1:8085/a http://127.0.0.1:8085/b;\n"
                + "        on_stop http://127.0.0.1:8085/stop;\n        on_dvr http://127.0.0.1:8085/dvr;\n    }\n}\n");
        SecurityConfig.AppRules rules = config.security().defaults();
        assertTrue(rules.publish().admits(InetAddress.getByName("10.1.2.3")));
        assertFalse(rules.publish().admits(InetAddress.getByName("10.6.2.3")), "deny wins");
        assertFalse(rules.publish().admits(InetAddress.getByName("192.168.1.1")), "not in an allow rule");
        assertTrue(rules.play().admits(InetAddress.getByName("192.168.1.1")), "allow play all");
        assertFalse(rules.play().admits(InetAddress.getByName("192.0.2.7")));
        assertEquals(
                List.of(URI.create("http://127.0.0.1:8085/a"), URI.create("http://127.0.0.1:8085/b")),
                rules.hooks().onPublish());
        assertEquals(
                List.of(URI.create("http://127.0.0.1:8085/stop")), rules.hooks().onStop());
        assertTrue(
                config.warnings().stream().anyMatch(w -> w.contains("on_dvr")),
                config.warnings().toString());
    }

    @Test
    void srsSecurityWithoutAnAllowRuleForAnActionDeniesEveryoneAndDisabledBlocksAreIgnored() throws Exception {
        EdgeConfig config = load("vhost __defaultVhost__ {\n    security {\n        enabled on;\n"
                + "        allow play 127.0.0.1;\n    }\n    http_hooks {\n        enabled off;\n"
                + "        on_play http://127.0.0.1:1/x;\n    }\n}\n");
        SecurityConfig.AppRules rules = config.security().defaults();
        assertFalse(rules.publish().admits(InetAddress.getByName("127.0.0.1")), "SRS: no allow publish rule, nobody");
        assertFalse(rules.publish().admits(InetAddress.getByName("::1")));
        assertTrue(rules.play().admits(InetAddress.getByName("127.0.0.1")));
        assertTrue(rules.hooks().onPlay().isEmpty());
        assertTrue(
                config.warnings().stream().anyMatch(w -> w.contains("http_hooks") && w.contains("enabled off")),
                config.warnings().toString());
    }
}
