package io.github.rtmpedge.edge;

import io.github.rtmpedge.config.EdgeConfig;
import io.github.rtmpedge.config.EdgeConfigLoader;
import io.github.rtmpedge.config.InvalidConfigException;
import io.github.rtmpedge.config.LogFormat;
import io.github.rtmpedge.edge.cli.CommandLine;
import io.github.rtmpedge.edge.cli.ConfigCheck;
import io.github.rtmpedge.edge.cli.Version;
import io.github.rtmpedge.edge.lifecycle.ConfigMapWatcher;
import io.github.rtmpedge.edge.lifecycle.JvmRelaunch;
import io.github.rtmpedge.edge.lifecycle.NettyDefaults;
import io.github.rtmpedge.edge.lifecycle.ProcessSignal;
import io.github.rtmpedge.edge.lifecycle.SignalListener;
import io.github.rtmpedge.edge.logging.LogFormats;
import io.github.rtmpedge.edge.security.TokenTool;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one entry point: {@code java -jar edge-server.jar [-c FILE]} runs the server; {@code -t} checks
 * the configuration, {@code --version} prints the version, {@code token ...} mints a signed token
 * ({@link CommandLine#USAGE}).
 */
public final class Main {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    /** Set once the log format of the configuration is in force: until then nothing is logged. */
    private static volatile boolean logsReady;

    private Main() {}

    public static void main(String[] args) throws Exception {
        CommandLine command = CommandLine.parse(args);
        switch (command.action()) {
            case SERVE -> serve(command.configFile());
            case CHECK, CHECK_AND_DUMP ->
                System.exit(ConfigCheck.run(
                        command.configFile(),
                        command.action() == CommandLine.Action.CHECK_AND_DUMP,
                        System.out,
                        System.err));
            case VERSION -> System.out.println(Version.line());
            case HELP -> System.out.println(CommandLine.USAGE);
            case TOKEN ->
                System.exit(TokenTool.run(
                        command.rest().toArray(String[]::new),
                        System.out,
                        System.err,
                        System.getenv(),
                        Instant.now().getEpochSecond()));
            case USAGE_ERROR -> {
                System.err.println(command.problem());
                System.err.println(CommandLine.USAGE);
                System.exit(2);
            }
        }
    }

    private static void serve(Optional<Path> file) throws InterruptedException {
        // Before anything else starts: this may replace the JVM with one started with our memory defaults.
        Optional<JvmRelaunch.Outcome> jvm = JvmRelaunch.relaunchIfDue(Main.class.getName());
        NettyDefaults.apply(System.getProperties()); // before any Netty class reads them
        // First thing: until the listener is installed, SIGQUIT is a thread dump and TERM/INT/HUP exit at once.
        AtomicReference<EdgeServer> running = new AtomicReference<>();
        AtomicReference<SignalListener> installed = new AtomicReference<>();
        SignalListener signals = SignalListener.install(signal -> onSignal(signal, running.get(), installed.get()));
        installed.set(signals);
        // Before loading: a ConfigMap update during start-up is then seen as a change.
        Optional<ConfigMapWatcher> watcher = file.flatMap(f -> ConfigMapWatcher.of(f, () -> {
            EdgeServer server = running.get();
            if (server != null) {
                server.reload();
            }
        }));
        EdgeConfig config;
        try {
            config = EdgeConfigLoader.load(file);
        } catch (InvalidConfigException e) {
            refuse(e);
            return;
        }
        // Every line from here on is in the configured format, the first ones included (log pipelines
        // reading JSON lines must never see a text line).
        LogFormats.apply(config.logFormat());
        logsReady = true;
        jvm.ifPresent(outcome -> {
            if (outcome.warning()) {
                log.warn("{}", outcome.message());
            } else {
                log.info("{}", outcome.message());
            }
        });
        log.info("signals: {}", signals.mechanism());
        signals.quitUnavailable()
                .ifPresent(reason -> log.error(
                        "SIGQUIT cannot be handled ({}); fallback: SIGTERM is the graceful quit (as with"
                                + " force_grace_quit = on), SIGINT the fast quit, and SIGQUIT prints a JVM thread dump",
                        reason));
        log.info("configuration: {}", config.render());
        EdgeServer server = new EdgeServer(config, file, Main::exit);
        running.set(server);
        // If the JVM is ended some other way (a signal we could not take over), still close cleanly.
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown-hook"));
        server.start();
        watcher.ifPresent(w -> log.info(
                "{} is in a ConfigMap volume: an update reloads it as SIGHUP does (checked every {} s)",
                w.start().file(),
                ConfigMapWatcher.INTERVAL.toSeconds()));
    }

    /**
     * The configuration is invalid: every problem, then exit 2. In JSON when the configuration asks
     * for JSON (and its log_format itself is valid), as one log line; otherwise as text on stderr.
     */
    private static void refuse(InvalidConfigException e) {
        if (e.logFormat().orElse(LogFormat.TEXT) == LogFormat.JSON) {
            LogFormats.apply(LogFormat.JSON);
            logsReady = true;
            log.atError().addKeyValue("problems", e.problems().size()).log("not starting: {}", e.getMessage());
            stopLogging();
        } else {
            System.err.println(e.getMessage());
        }
        System.exit(2);
    }

    /**
     * SRS semantics: QUIT is a graceful quit; TERM too when force_grace_quit is on, or when QUIT cannot
     * be handled (its fallback), else a fast quit; INT is a fast quit (and makes a graceful quit in
     * progress fast); HUP reloads the configuration. Runs on the signal dispatcher thread: everything
     * here only starts work elsewhere.
     */
    private static void onSignal(ProcessSignal signal, EdgeServer server, SignalListener listener) {
        if (logsReady) {
            log.info("received SIG{}", signal);
        }
        if (server == null) {
            if (signal != ProcessSignal.HUP) {
                exit(); // not serving yet: nothing to drain
            }
            return;
        }
        switch (signal) {
            case QUIT -> server.requestGracefulQuit("SIGQUIT");
            case TERM -> {
                if (server.config().grace().forceGraceQuit()) {
                    server.requestGracefulQuit("SIGTERM (force_grace_quit on)");
                } else if (listener != null && listener.quitUnavailable().isPresent()) {
                    server.requestGracefulQuit("SIGTERM (SIGQUIT cannot be handled)");
                } else {
                    server.requestFastQuit("SIGTERM (force_grace_quit off)");
                }
            }
            case INT -> server.requestFastQuit("SIGINT");
            case HUP -> new Thread(server::reload, "reload").start();
        }
    }

    /** After a quit: flush the logs and end the process with status 0. */
    private static void exit() {
        stopLogging();
        System.exit(0);
    }

    private static void stopLogging() {
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            context.stop();
        }
    }
}
