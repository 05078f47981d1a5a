package io.github.rtmpedge.config;

import static io.github.rtmpedge.config.ConfigKey.CHUNK_SIZE;
import static io.github.rtmpedge.config.ConfigKey.SECURITY_PLAY_ALLOW;
import static io.github.rtmpedge.config.ConfigKey.SECURITY_PLAY_DENY;
import static io.github.rtmpedge.config.ConfigKey.SECURITY_PUBLISH_ALLOW;
import static io.github.rtmpedge.config.ConfigKey.SECURITY_PUBLISH_DENY;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import io.github.rtmpedge.config.InvalidConfigException.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Turns the directives of an SRS configuration file into the keys of {@code reference.conf}, so
 * the file goes through the same layers and the same validation as a HOCON file. Each value keeps
 * its directive as origin ({@link #ORIGIN_PREFIX}), so a validation problem can name the SRS line.
 *
 * <p>A directive whose path is a key's SRS name ({@link ConfigKey#srsNames()}) sets that key, in
 * SRS's unit ({@link ConfigKey.SrsValue}); a directive may be given once, except the list-valued
 * ones ({@code listen}, {@code origin}), whose lines add up. Blocks holding such directives
 * ({@code rtmp}, {@code http_api}, and in {@code vhost __defaultVhost__}: {@code cluster},
 * {@code play}) are entered. What needs more than a 1:1 mapping is handled here:
 * <pre>
 * chunk_size, and vhost's chunk_size       the default vhost's wins, with a warning
 * daemon on|off;                           ignored with a warning (rtmp-edge never daemonizes)
 * vhost __defaultVhost__ {
 *     security { enabled on|off; allow|deny publish|play all|IP|CIDR; ... }
 *         the publish/play allow/deny lists: with enabled on, as SRS, an action no allow rule
 *         names is denied to all
 *     http_hooks { enabled on|off; on_connect|on_publish|on_unpublish|on_play|on_stop URL ...; }
 *         the hook lists of their SRS names, when enabled
 * }
 * </pre>
 * Every other directive, other vhosts included, is ignored with one warning naming it and its
 * line. A directive we read that takes one value and is given twice is a problem (SRS would
 * silently read the first), as is a wrong number of arguments or a block where a value belongs.
 */
final class SrsConfigTranslator {

    /** Start of the origin description of every value taken from an SRS file. */
    static final String ORIGIN_PREFIX = "SRS directive ";

    static final String DEFAULT_VHOST = "__defaultVhost__";
    /** How {@link ConfigKey#srsNames()} write {@code vhost __defaultVhost__}. */
    private static final String VHOST = "vhost";
    /** SRS's {@code allow|deny publish|play}: the key each action's rule sets. */
    private static final Map<String, ConfigKey> ALLOW =
            Map.of("publish", SECURITY_PUBLISH_ALLOW, "play", SECURITY_PLAY_ALLOW);

    private static final Map<String, ConfigKey> DENY =
            Map.of("publish", SECURITY_PUBLISH_DENY, "play", SECURITY_PLAY_DENY);

    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?[0-9]+");
    private static final Pattern DECIMAL_NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

    /** The file layer an SRS file gives, and what was ignored in it. */
    record Translation(Config config, List<String> warnings) {}

    private final Path mainFile;
    private final List<String> warnings = new ArrayList<>();
    private final List<Problem> problems = new ArrayList<>();
    /** Single-valued keys: the directive that set each. */
    private final Map<ConfigKey, SrsDirective> scalars = new EnumMap<>(ConfigKey.class);

    private final Map<ConfigKey, ConfigValue> values = new LinkedHashMap<>();
    /** List-valued keys: every argument, and the first directive (for the origin). */
    private final Map<ConfigKey, List<String>> lists = new LinkedHashMap<>();

    private final Map<ConfigKey, List<SrsDirective>> listDirectives = new EnumMap<>(ConfigKey.class);
    private SrsDirective globalChunkSize;
    private SrsDirective vhostChunkSize;
    private boolean defaultVhostSeen;

    private SrsConfigTranslator(Path mainFile) {
        this.mainFile = mainFile;
    }

    /** Parses and translates {@code file}; syntax and mapping problems are thrown all together. */
    static Translation translate(Path file) {
        return translate(file, SrsConfigParser.parse(file));
    }

    static Translation translate(Path mainFile, List<SrsDirective> root) {
        SrsConfigTranslator translator = new SrsConfigTranslator(mainFile);
        translator.root(root);
        if (!translator.problems.isEmpty()) {
            throw new InvalidConfigException(translator.problems);
        }
        return new Translation(translator.config(), List.copyOf(translator.warnings));
    }

    private void root(List<SrsDirective> directives) {
        for (SrsDirective d : directives) {
            if (d.name().equals(VHOST)) {
                vhost(d);
            } else if (d.name().equals("daemon")) {
                warnings.add("SRS directive `daemon` " + at(d)
                        + ": ignored (rtmp-edge always runs in the foreground; run it under a supervisor)");
            } else if (ConfigKey.bySrsName(d.name()) == CHUNK_SIZE) {
                if (checkOneValue(d) && notTwice(d, globalChunkSize)) {
                    globalChunkSize = d;
                }
            } else if (!mapped(d.name(), d.name(), d)) {
                unsupported(d, d.name());
            }
        }
        if (globalChunkSize != null && vhostChunkSize != null) {
            warnings.add("SRS directive `" + globalChunkSize.name() + "` " + at(globalChunkSize) + ": ignored (the `"
                    + vhostChunkSize.name() + "` of vhost " + DEFAULT_VHOST + " " + at(vhostChunkSize) + " applies)");
        }
        SrsDirective chunkSize = vhostChunkSize != null ? vhostChunkSize : globalChunkSize;
        if (chunkSize != null) {
            set(CHUNK_SIZE, chunkSize, chunkSize.args().get(0));
        }
    }

    private void vhost(SrsDirective d) {
        if (d.args().size() != 1 || !d.hasBlock()) {
            problem(d, "`vhost NAME { ... }`");
            return;
        }
        if (!d.args().get(0).equals(DEFAULT_VHOST)) {
            unsupported(d, "vhost " + d.args().get(0));
            return;
        }
        if (defaultVhostSeen) {
            problem(d, "one `vhost " + DEFAULT_VHOST + "` block (SRS would read only the first)");
            return;
        }
        defaultVhostSeen = true;
        String prefix = "vhost " + DEFAULT_VHOST;
        for (SrsDirective child : d.block()) {
            String srsPath = VHOST + "." + child.name();
            String shown = prefix + " > " + child.name();
            if (ConfigKey.bySrsName(srsPath) == CHUNK_SIZE) {
                if (checkOneValue(child) && notTwice(child, vhostChunkSize)) {
                    vhostChunkSize = child;
                }
            } else if (child.name().equals("security")) {
                security(child, shown);
            } else if (child.name().equals("http_hooks")) {
                httpHooks(child, srsPath, shown);
            } else if (!mapped(srsPath, shown, child)) {
                unsupported(child, shown);
            }
        }
    }

    /**
     * A directive at {@code srsPath} that is a key's SRS name, or a block holding some (its
     * children are mapped in turn, {@code shown} naming it in warnings). False if it is neither.
     */
    private boolean mapped(String srsPath, String shown, SrsDirective d) {
        ConfigKey key = ConfigKey.bySrsName(srsPath);
        if (key != null) {
            if (key.type() instanceof ValueType.Items) {
                list(d, key);
            } else {
                scalar(d, key);
            }
            return true;
        }
        if (ConfigKey.isSrsBlock(srsPath)) {
            block(d, shown, child -> mapped(srsPath + "." + child.name(), shown + " > " + child.name(), child));
            return true;
        }
        return false;
    }

    /**
     * SRS's vhost {@code security}: with {@code enabled on}, an action is allowed to a client that
     * an allow rule names ({@code all} = everyone) and no deny rule names; an action no allow rule
     * names is allowed to nobody. Off (SRS's default): no rules.
     */
    private void security(SrsDirective d, String name) {
        if (!d.args().isEmpty() || !d.hasBlock()) {
            problem(d, "`security { ... }` (a block without arguments)");
            return;
        }
        boolean enabled = false;
        Map<ConfigKey, List<String>> rules = new LinkedHashMap<>();
        Map<ConfigKey, Boolean> everyone = new LinkedHashMap<>();
        for (SrsDirective child : d.block()) {
            switch (child.name()) {
                case "enabled" -> {
                    if (checkOneValue(child)) {
                        enabled = child.args().get(0).equals("on");
                    }
                }
                case "allow", "deny" -> {
                    if (child.hasBlock()
                            || child.args().size() != 2
                            || !ALLOW.containsKey(child.args().get(0))) {
                        problem(child, "`" + child.name() + " publish|play all|IP|CIDR;`");
                        continue;
                    }
                    ConfigKey key = (child.name().equals("allow") ? ALLOW : DENY)
                            .get(child.args().get(0));
                    if (child.args().get(1).equals("all")) {
                        everyone.put(key, true);
                    } else {
                        rules.computeIfAbsent(key, k -> new ArrayList<>())
                                .add(child.args().get(1));
                    }
                }
                default -> unsupported(child, name + " > " + child.name());
            }
        }
        if (!enabled) {
            if (!rules.isEmpty() || !everyone.isEmpty()) {
                warnings.add("SRS directive `" + name + "` " + at(d) + ": enabled off, its rules are ignored");
            }
            return;
        }
        for (String action : List.of("publish", "play")) {
            ConfigKey allow = ALLOW.get(action);
            ConfigKey deny = DENY.get(action);
            List<String> allowed = everyone.containsKey(allow) ? List.of() : rules.getOrDefault(allow, List.of());
            List<String> denied = new ArrayList<>(rules.getOrDefault(deny, List.of()));
            if (everyone.containsKey(deny) || (!everyone.containsKey(allow) && allowed.isEmpty())) {
                denied.addAll(List.of("0.0.0.0/0", "::/0"));
            }
            set(allow, d, allowed);
            set(deny, d, denied);
        }
    }

    /** SRS's vhost {@code http_hooks} at {@code srsPath}: the URL lists of the events we send, when enabled. */
    private void httpHooks(SrsDirective d, String srsPath, String name) {
        if (!d.args().isEmpty() || !d.hasBlock()) {
            problem(d, "`http_hooks { ... }` (a block without arguments)");
            return;
        }
        boolean enabled = false;
        Map<ConfigKey, SrsDirective> hooks = new LinkedHashMap<>();
        for (SrsDirective child : d.block()) {
            ConfigKey hook = ConfigKey.bySrsName(srsPath + "." + child.name());
            if (child.name().equals("enabled")) {
                if (checkOneValue(child)) {
                    enabled = child.args().get(0).equals("on");
                }
            } else if (hook != null) {
                if (child.hasBlock() || child.args().isEmpty()) {
                    problem(child, "`" + child.name() + " URL [URL...];`");
                } else if (notTwice(child, hooks.get(hook))) {
                    hooks.put(hook, child);
                }
            } else {
                unsupported(child, name + " > " + child.name());
            }
        }
        if (!enabled) {
            if (!hooks.isEmpty()) {
                warnings.add("SRS directive `" + name + "` " + at(d) + ": enabled off, its hooks are ignored");
            }
            return;
        }
        // The origin names the directive without its URLs: a URL may carry a credential.
        hooks.forEach((key, directive) -> values.put(
                key,
                ConfigValueFactory.fromAnyRef(
                        directive.args(), ORIGIN_PREFIX + "`" + directive.name() + " ...` at " + directive.where())));
    }

    /** A block whose children go to {@code handler}; a child it does not know is a warning. */
    private void block(SrsDirective d, String name, Predicate<SrsDirective> handler) {
        if (!d.args().isEmpty() || !d.hasBlock()) {
            problem(d, "`" + d.name() + " { ... }` (a block without arguments)");
            return;
        }
        for (SrsDirective child : d.block()) {
            if (!handler.test(child)) {
                unsupported(child, name + " > " + child.name());
            }
        }
    }

    /** A directive with exactly one value, given once. */
    private void scalar(SrsDirective d, ConfigKey key) {
        if (checkOneValue(d) && notTwice(d, scalars.get(key))) {
            scalars.put(key, d);
            set(key, d, withUnit(d.args().get(0), key.srsValue()));
        }
    }

    /** A directive with one or more values; several directives add up. */
    private void list(SrsDirective d, ConfigKey key) {
        if (d.hasBlock() || d.args().isEmpty()) {
            problem(d, "`" + d.name() + " VALUE [VALUE...];`");
            return;
        }
        List<SrsDirective> earlier = listDirectives.computeIfAbsent(key, k -> new ArrayList<>());
        if (!earlier.isEmpty()) {
            warnings.add("SRS directive `" + d.name() + "` " + at(d) + " adds to the one " + at(earlier.get(0))
                    + " (rtmp-edge uses every " + d.name() + " line; SRS would read only the first)");
        }
        earlier.add(d);
        lists.computeIfAbsent(key, k -> new ArrayList<>()).addAll(d.args());
    }

    private boolean checkOneValue(SrsDirective d) {
        if (d.hasBlock() || d.args().size() != 1) {
            problem(d, "`" + d.name() + " VALUE;` (exactly one value)");
            return false;
        }
        return true;
    }

    private boolean notTwice(SrsDirective d, SrsDirective earlier) {
        if (earlier != null) {
            problem(d, "one `" + d.name() + "` (also given " + at(earlier) + "; SRS would read only the first)");
            return false;
        }
        return true;
    }

    /** SRS writes bare numbers in its own unit; anything else is left for validation to report. */
    private static String withUnit(String value, ConfigKey.SrsValue unit) {
        return switch (unit) {
            case AS_IS -> value;
            case MILLISECONDS -> WHOLE_NUMBER.matcher(value).matches() ? value + "ms" : value;
            case SECONDS -> DECIMAL_NUMBER.matcher(value).matches() ? value + "s" : value;
            case LOG_LEVEL_WORD -> LogLevel.fromSrs(value);
        };
    }

    private void set(ConfigKey key, SrsDirective d, Object value) {
        values.put(key, ConfigValueFactory.fromAnyRef(value, origin(d)));
    }

    private Config config() {
        for (Map.Entry<ConfigKey, List<String>> list : lists.entrySet()) {
            set(list.getKey(), listDirectives.get(list.getKey()).get(0), list.getValue());
        }
        Config config = ConfigFactory.empty(mainFile + " (SRS syntax)");
        for (Map.Entry<ConfigKey, ConfigValue> entry : values.entrySet()) {
            config = config.withValue(entry.getKey().path(), entry.getValue());
        }
        return config;
    }

    private static String origin(SrsDirective d) {
        return ORIGIN_PREFIX + "`" + d.text() + "` at " + d.where();
    }

    private void unsupported(SrsDirective d, String name) {
        warnings.add("unsupported SRS directive `" + name + "` " + at(d) + ": ignored");
    }

    private void problem(SrsDirective d, String expected) {
        problems.add(new Problem(d.where(), "\"" + d.text() + (d.hasBlock() ? " {...}" : "") + "\"", expected));
    }

    /** {@code at line 3}, or {@code at line 3 of other.conf} for a directive from an included file. */
    private String at(SrsDirective d) {
        boolean included = !Objects.equals(
                d.file().toAbsolutePath().normalize(), mainFile.toAbsolutePath().normalize());
        return "at line " + d.line() + (included ? " of " + d.file().getFileName() : "");
    }
}
