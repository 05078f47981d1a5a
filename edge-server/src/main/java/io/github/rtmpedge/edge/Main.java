package io.github.rtmpedge.edge;

import io.github.rtmpedge.config.EdgeConfig;
import io.github.rtmpedge.config.EdgeConfigLoader;
import io.github.rtmpedge.config.InvalidConfigException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -jar edge-server.jar [-c FILE]}. */
public final class Main {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
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
        // If the JVM is ended some other way (a signal we could not take over), still close cleanly.
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown-hook"));
        server.start();
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
