package io.github.rtmpedge.edge;

import io.github.rtmpedge.config.EdgeConfig;
import io.github.rtmpedge.config.EdgeConfigLoader;
import io.github.rtmpedge.config.InvalidConfigException;
import io.github.rtmpedge.edge.lifecycle.ProcessSignal;
import io.github.rtmpedge.edge.lifecycle.SignalListener;
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
        // First thing: until the listener is installed, SIGQUIT is a thread dump and TERM/INT/HUP exit at once.
        SignalListener signals = SignalListener.install(signal -> {
            log.info("received SIG{}", signal);
            if (signal == ProcessSignal.TERM || signal == ProcessSignal.INT) {
                System.exit(0); // placeholder until the drain coordinator takes the signals
            }
        });
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
        EdgeServer server = new EdgeServer(config);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
        server.start();
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: java -jar edge-server.jar [-c FILE]");
        System.exit(2);
    }
}
