package io.github.rtmpedge.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import io.github.rtmpedge.config.InvalidConfigException.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * <p>SRS keys and units (SRS's {@code conf/full.conf}):
 * <pre>
 * listen PORT|IP:PORT ...;                    listen (several lines: all of them)
 * rtmp { listen ...; }                        listen (SRS 7's form)
 * max_connections N;                          max_connections
 * chunk_size BYTES;                           chunk_size (the default vhost's chunk_size wins)
 * grace_start_wait MS; grace_final_wait MS;   grace_start_wait, grace_final_wait (milliseconds)
 * force_grace_quit on|off;                    force_grace_quit
 * daemon on|off;                              ignored with a warning (rtmp-edge never daemonizes)
 * http_api { enabled on|off; listen PORT|IP:PORT; }   http_api.enabled, http_api.listen
 * vhost __defaultVhost__ {
 *     chunk_size BYTES;                       chunk_size
 *     cluster { mode local|remote; origin HOST:PORT ...; }   cluster.mode, cluster.origin
 *     mode ...; origin ...;                   the same, SRS 2's form (outside cluster)
 *     play { gop_cache on|off; queue_length SECONDS; mw_latency MS; }   gop_cache, queue_length, mw_latency
 *     gop_cache ...; queue_length ...;        the same, SRS 3's form (outside play)
 *     security { enabled on|off; allow|deny publish|play all|IP|CIDR; ... }
 *                                             security.publish/play.allow/deny: with enabled on, as
 *                                             SRS: an action no allow rule names is denied to all
 *     http_hooks { enabled on|off; on_connect|on_publish|on_unpublish|on_play|on_stop URL ...; }
 *                                             security.http_hooks.* (enabled off: none)
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

    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?[0-9]+");
    private static final Pattern DECIMAL_NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

    /** The file layer an SRS file gives, and what was ignored in it. */
    record Translation(Config config, List<String> warnings) {
    }

    private final Path mainFile;
    private final List<String> warnings = new ArrayList<>();
    private final List<Problem> problems = new ArrayList<>();
    /** Single-valued keys: the directive that set each. */
    private final Map<String, SrsDirective> scalars = new LinkedHashMap<>();
    private final Map<String, ConfigValue> values = new LinkedHashMap<>();
    /** List-valued keys: every argument, and the first directive (for the origin). */
    private final Map<String, List<String>> lists = new LinkedHashMap<>();
    private final Map<String, List<SrsDirective>> listDirectives = new LinkedHashMap<>();
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
            switch (d.name()) {
                case "listen" -> list(d, "listen");
                case "max_connections" -> scalar(d, "max_connections", Unit.NONE);
                case "srs_log_level" -> scalar(d, "log_level", Unit.LOG_LEVEL);
                case "chunk_size" -> {
                    if (checkOneValue(d) && notTwice(d, globalChunkSize)) {
                        globalChunkSize = d;
                    }
                }
                case "grace_start_wait" -> scalar(d, "grace_start_wait", Unit.MILLISECONDS);
                case "grace_final_wait" -> scalar(d, "grace_final_wait", Unit.MILLISECONDS);
                case "force_grace_quit" -> scalar(d, "force_grace_quit", Unit.NONE);
                case "daemon" -> warnings.add("SRS directive `daemon` " + at(d)
                        + ": ignored (rtmp-edge always runs in the foreground; run it under a supervisor)");
                case "rtmp" -> block(d, "rtmp", child -> {
                    if (child.name().equals("listen")) {
                        list(child, "listen");
                        return true;
                    }
                    return false;
                });
                case "http_api" -> block(d, "http_api", child -> switch (child.name()) {
                    case "enabled" -> scalar(child, "http_api.enabled", Unit.NONE);
                    case "listen" -> scalar(child, "http_api.listen", Unit.NONE);
                    default -> false;
                });
                case "vhost" -> vhost(d);
                default -> unsupported(d, d.name());
            }
        }
        if (globalChunkSize != null && vhostChunkSize != null) {
            warnings.add("SRS directive `chunk_size` " + at(globalChunkSize) + ": ignored (the `chunk_size` of vhost "
                    + DEFAULT_VHOST + " " + at(vhostChunkSize) + " applies)");
        }
        SrsDirective chunkSize = vhostChunkSize != null ? vhostChunkSize : globalChunkSize;
        if (chunkSize != null) {
            set("chunk_size", chunkSize, chunkSize.args().get(0));
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
            boolean known = switch (child.name()) {
                case "chunk_size" -> {
                    if (checkOneValue(child) && notTwice(child, vhostChunkSize)) {
                        vhostChunkSize = child;
                    }
                    yield true;
                }
                case "cluster" -> {
                    block(child, prefix + " > cluster", this::cluster);
                    yield true;
                }
                case "mode", "origin" -> cluster(child);
                case "play" -> {
                    block(child, prefix + " > play", this::play);
                    yield true;
                }
                case "gop_cache", "queue_length", "mw_latency" -> play(child);
                case "security" -> {
                    security(child, prefix + " > security");
                    yield true;
                }
                case "http_hooks" -> {
                    httpHooks(child, prefix + " > http_hooks");
                    yield true;
                }
                default -> false;
            };
            if (!known) {
                unsupported(child, prefix + " > " + child.name());
            }
        }
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
        Map<String, List<String>> rules = new LinkedHashMap<>();
        Map<String, Boolean> everyone = new LinkedHashMap<>();
        for (SrsDirective child : d.block()) {
            switch (child.name()) {
                case "enabled" -> {
                    if (checkOneValue(child)) {
                        enabled = child.args().get(0).equals("on");
                    }
                }
                case "allow", "deny" -> {
                    if (child.hasBlock() || child.args().size() != 2
                            || !List.of("publish", "play").contains(child.args().get(0))) {
                        problem(child, "`" + child.name() + " publish|play all|IP|CIDR;`");
                        continue;
                    }
                    String key = "security." + child.args().get(0) + "." + child.name();
                    if (child.args().get(1).equals("all")) {
                        everyone.put(key, true);
                    } else {
                        rules.computeIfAbsent(key, k -> new ArrayList<>()).add(child.args().get(1));
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
            String allow = "security." + action + ".allow";
            String deny = "security." + action + ".deny";
            List<String> allowed = everyone.containsKey(allow) ? List.of() : rules.getOrDefault(allow, List.of());
            List<String> denied = new ArrayList<>(rules.getOrDefault(deny, List.of()));
            if (everyone.containsKey(deny) || (!everyone.containsKey(allow) && allowed.isEmpty())) {
                denied.addAll(List.of("0.0.0.0/0", "::/0"));
            }
            set(allow, d, allowed);
            set(deny, d, denied);
        }
    }

    /** SRS's vhost {@code http_hooks}: the URL lists of the events we send, when enabled. */
    private void httpHooks(SrsDirective d, String name) {
        if (!d.args().isEmpty() || !d.hasBlock()) {
            problem(d, "`http_hooks { ... }` (a block without arguments)");
            return;
        }
        boolean enabled = false;
        Map<String, SrsDirective> hooks = new LinkedHashMap<>();
        for (SrsDirective child : d.block()) {
            switch (child.name()) {
                case "enabled" -> {
                    if (checkOneValue(child)) {
                        enabled = child.args().get(0).equals("on");
                    }
                }
                case "on_connect", "on_publish", "on_unpublish", "on_play", "on_stop" -> {
                    if (child.hasBlock() || child.args().isEmpty()) {
                        problem(child, "`" + child.name() + " URL [URL...];`");
                    } else if (notTwice(child, hooks.get(child.name()))) {
                        hooks.put(child.name(), child);
                    }
                }
                default -> unsupported(child, name + " > " + child.name());
            }
        }
        if (!enabled) {
            if (!hooks.isEmpty()) {
                warnings.add("SRS directive `" + name + "` " + at(d) + ": enabled off, its hooks are ignored");
            }
            return;
        }
        // The origin names the directive without its URLs: a URL may carry a credential.
        hooks.forEach((event, directive) -> values.put("security.http_hooks." + event, ConfigValueFactory.fromAnyRef(
                directive.args(), ORIGIN_PREFIX + "`" + directive.name() + " ...` at " + directive.where())));
    }

    private boolean cluster(SrsDirective d) {
        return switch (d.name()) {
            case "mode" -> scalar(d, "cluster.mode", Unit.NONE);
            case "origin" -> list(d, "cluster.origin");
            default -> false;
        };
    }

    private boolean play(SrsDirective d) {
        return switch (d.name()) {
            case "gop_cache" -> scalar(d, "gop_cache", Unit.NONE);
            case "queue_length" -> scalar(d, "queue_length", Unit.SECONDS);
            case "mw_latency" -> scalar(d, "mw_latency", Unit.MILLISECONDS);
            default -> false;
        };
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

    private enum Unit { NONE, MILLISECONDS, SECONDS, LOG_LEVEL }

    /** A directive with exactly one value, given once. Returns true (the directive is known). */
    private boolean scalar(SrsDirective d, String path, Unit unit) {
        if (checkOneValue(d) && notTwice(d, scalars.get(path))) {
            scalars.put(path, d);
            set(path, d, withUnit(d.args().get(0), unit));
        }
        return true;
    }

    /** A directive with one or more values; several directives add up. Returns true (known). */
    private boolean list(SrsDirective d, String path) {
        if (d.hasBlock() || d.args().isEmpty()) {
            problem(d, "`" + d.name() + " VALUE [VALUE...];`");
            return true;
        }
        List<SrsDirective> earlier = listDirectives.computeIfAbsent(path, k -> new ArrayList<>());
        if (!earlier.isEmpty()) {
            warnings.add("SRS directive `" + d.name() + "` " + at(d) + " adds to the one " + at(earlier.get(0))
                    + " (rtmp-edge uses every " + d.name() + " line; SRS would read only the first)");
        }
        earlier.add(d);
        lists.computeIfAbsent(path, k -> new ArrayList<>()).addAll(d.args());
        return true;
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
    private static String withUnit(String value, Unit unit) {
        return switch (unit) {
            case NONE -> value;
            case MILLISECONDS -> WHOLE_NUMBER.matcher(value).matches() ? value + "ms" : value;
            case SECONDS -> DECIMAL_NUMBER.matcher(value).matches() ? value + "s" : value;
            case LOG_LEVEL -> LogLevel.fromSrs(value);
        };
    }

    private void set(String path, SrsDirective d, Object value) {
        values.put(path, ConfigValueFactory.fromAnyRef(value, origin(d)));
    }

    private Config config() {
        for (Map.Entry<String, List<String>> list : lists.entrySet()) {
            set(list.getKey(), listDirectives.get(list.getKey()).get(0), list.getValue());
        }
        Config config = ConfigFactory.empty(mainFile + " (SRS syntax)");
        for (Map.Entry<String, ConfigValue> entry : values.entrySet()) {
            config = config.withValue(entry.getKey(), entry.getValue());
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
        boolean included = !Objects.equals(d.file().toAbsolutePath().normalize(), mainFile.toAbsolutePath().normalize());
        return "at line " + d.line() + (included ? " of " + d.file().getFileName() : "");
    }
}
