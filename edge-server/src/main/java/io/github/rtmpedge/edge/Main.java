package io.github.rtmpedge.edge;

import io.github.rtmpedge.config.EdgeConfig;
import io.github.rtmpedge.config.EdgeConfigLoader;
import io.github.rtmpedge.config.InvalidConfigException;
import io.github.rtmpedge.edge.lifecycle.ProcessSignal;
import io.github.rtmpedge.edge.lifecycle.SignalListener;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -jar edge-server.jar [-c FILE]}. */
public final class Main {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {}

    public static void main(String[] args) throws Exception {
        // First thing: until the listener is installed, SIGQUIT is a thread dump and TERM/INT/HUP exit at once.
        AtomicReference<EdgeServer> running = new AtomicReference<>();
        SignalListener signals = SignalListener.install(signal -> onSignal(signal, running.get()));
        log.info("signals: {}", signals.mechanism());
        Optional<Path> file = Optional.empty();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-c", "--config" -> {
                    if (i + 1 >= args.length) {
                        usage("-c needs a file");
                    }
                    file = Optional.of(Path.of(args[++i]));
                }
                case "-h", "--help" -> {
                    System.out.println("usage: java -jar edge-server.jar [-c FILE]");
                    return;
                }
                default -> usage("unknown argument: " + args[i]);
            }
        }
        EdgeConfig config;
        try {
            config = EdgeConfigLoader.load(file);
        } catch (InvalidConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        log.info("configuration: {}", config.render());
        EdgeServer server = new EdgeServer(config, file, Main::exit);
        running.set(server);
        // If the JVM is ended some other way (a signal we could not take over), still close cleanly.
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown-hook"));
        server.start();
    }

    /**
     * SRS semantics: QUIT is a graceful quit; TERM too when force_grace_quit is on, else a fast quit;
     * INT is a fast quit (and makes a graceful quit in progress fast); HUP reloads the configuration.
     * Runs on the signal dispatcher thread: everything here only starts work elsewhere.
     */
    private static void onSignal(ProcessSignal signal, EdgeServer server) {
        log.info("received SIG{}", signal);
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
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            context.stop();
        }
        System.exit(0);
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: java -jar edge-server.jar [-c FILE]");
        System.exit(2);
    }
}
