package io.github.rtmpedge.bench.load;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@link LoadClient} runs: where to connect, how many players and publishers, for how long.
 *
 * @param host            RTMP host
 * @param port            RTMP port (1935 when the URL has none)
 * @param app             application name (first path segment)
 * @param stream          stream name (the rest of the path); the prefix when {@code streamPrefix} is set
 * @param players         players to run
 * @param publishers      publishers to run (all publish {@code stream}; more than one only makes sense with distinct names,
 *                        so publisher {@code i > 0} publishes {@code stream + "_" + i}; see {@link #streamName})
 * @param flv             the FLV file publishers send in real time, looping; null when there are no publishers
 * @param duration        how long to run after the players started ramping
 * @param reconnectDelay  wait before reconnecting after a connection closed; zero: no reconnect
 * @param rampPerSecond   new connections started per second
 * @param threads         event loop threads
 * @param epoll           use the native epoll transport when it loads
 * @param quiet           no per-second lines
 * @param flvPlayers      HTTP-FLV players to run beside the RTMP players
 * @param flvUrl          where they play: {@code http://host:port/app/stream.flv}; null without HTTP-FLV players
 * @param streamPrefix    many streams: stream {@code i} is {@code streamPrefix + i}; null for the one {@code stream}
 * @param streams         how many such streams (publisher {@code i} publishes, player {@code i} plays, stream
 *                        {@code i mod streams}); 1 without a prefix
 */
public record LoadOptions(
        String host,
        int port,
        String app,
        String stream,
        int players,
        int publishers,
        Path flv,
        Duration duration,
        Duration reconnectDelay,
        int rampPerSecond,
        int threads,
        boolean epoll,
        boolean quiet,
        int flvPlayers,
        URI flvUrl,
        String streamPrefix,
        int streams) {

    /** One stream (or the legacy {@code stream_i} names for several publishers). */
    public LoadOptions(
            String host,
            int port,
            String app,
            String stream,
            int players,
            int publishers,
            Path flv,
            Duration duration,
            Duration reconnectDelay,
            int rampPerSecond,
            int threads,
            boolean epoll,
            boolean quiet,
            int flvPlayers,
            URI flvUrl) {
        this(
                host,
                port,
                app,
                stream,
                players,
                publishers,
                flv,
                duration,
                reconnectDelay,
                rampPerSecond,
                threads,
                epoll,
                quiet,
                flvPlayers,
                flvUrl,
                null,
                1);
    }

    /** RTMP players only. */
    public LoadOptions(
            String host,
            int port,
            String app,
            String stream,
            int players,
            int publishers,
            Path flv,
            Duration duration,
            Duration reconnectDelay,
            int rampPerSecond,
            int threads,
            boolean epoll,
            boolean quiet) {
        this(
                host,
                port,
                app,
                stream,
                players,
                publishers,
                flv,
                duration,
                reconnectDelay,
                rampPerSecond,
                threads,
                epoll,
                quiet,
                0,
                null,
                null,
                1);
    }

    public LoadOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(reconnectDelay, "reconnectDelay");
        if (players < 0 || publishers < 0 || rampPerSecond < 1 || threads < 1) {
            throw new IllegalArgumentException("players and publishers must be >= 0, ramp and threads >= 1");
        }
        if (publishers > 0 && flv == null) {
            throw new IllegalArgumentException("publishers need --flv FILE");
        }
        if (flvPlayers < 0 || (flvPlayers > 0 && flvUrl == null)) {
            throw new IllegalArgumentException(
                    "--flv-players must be >= 0 and need --flv-url http://host:port/app/stream.flv");
        }
        if (streams < 1 || (streamPrefix == null && streams != 1)) {
            throw new IllegalArgumentException("--streams must be >= 1 and needs --stream-prefix");
        }
        if (streamPrefix != null && publishers > streams) {
            throw new IllegalArgumentException(
                    "more publishers (" + publishers + ") than streams (" + streams + "): two would publish one name");
        }
    }

    /**
     * The stream publisher or player {@code i} uses: {@code streamPrefix + (i mod streams)} with a
     * prefix; otherwise {@code stream} for players and publisher 0, {@code stream_i} for publisher {@code i}.
     */
    public String streamName(int i, boolean publisher) {
        if (streamPrefix != null) {
            return streamPrefix + (i % streams);
        }
        return publisher && i > 0 ? stream + "_" + i : stream;
    }

    public static final String USAGE = """
            usage: LoadClient --url rtmp://host[:port]/app/stream [--players N] [--publishers M] [--flv FILE]
                              [--flv-players K --flv-url http://host:port/app/stream.flv]
                              [--duration 60s] [--reconnect-delay 0ms] [--ramp 100/s] [--threads 1] [--epoll] [--quiet]
                   LoadClient --url rtmp://host[:port]/app --stream-prefix s [--publish N --flv FILE]
                              [--streams K] [--players N] ...
              --publish N: N publishers of streams s0 .. s(N-1), all from the one FLV file, each in real time
              --streams K: players spread over s0 .. s(K-1) (default: N with --publish, else 1)
              --flv-players: HTTP-FLV players beside the RTMP players (measured the same way)
              --reconnect-delay 0ms means: do not reconnect after a connection closes
              durations: 250ms, 6s, 2m""";

    /** The tcUrl sent in connect. */
    public String tcUrl() {
        return "rtmp://" + host + ":" + port + "/" + app;
    }

    /** Parses the command line; {@link IllegalArgumentException} with a readable message when it is wrong. */
    public static LoadOptions parse(String... args) {
        String url = null;
        int players = 0;
        int publishers = 0;
        Path flv = null;
        Duration duration = Duration.ofSeconds(60);
        Duration reconnect = Duration.ZERO;
        int ramp = 100;
        int threads = 1;
        boolean epoll = false;
        boolean quiet = false;
        int flvPlayers = 0;
        URI flvUrl = null;
        String prefix = null;
        int streams = 0;
        int publish = 0;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--epoll" -> epoll = true;
                case "--quiet" -> quiet = true;
                case "--url",
                        "--players",
                        "--publishers",
                        "--flv",
                        "--duration",
                        "--reconnect-delay",
                        "--ramp",
                        "--threads",
                        "--flv-players",
                        "--flv-url",
                        "--publish",
                        "--stream-prefix",
                        "--streams" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(a + " needs a value");
                    }
                    String v = args[++i];
                    switch (a) {
                        case "--url" -> url = v;
                        case "--players" -> players = Integer.parseInt(v);
                        case "--publishers" -> publishers = Integer.parseInt(v);
                        case "--flv" -> flv = Path.of(v);
                        case "--duration" -> duration = duration(v);
                        case "--reconnect-delay" -> reconnect = duration(v);
                        case "--ramp" -> ramp = Integer.parseInt(v.endsWith("/s") ? v.substring(0, v.length() - 2) : v);
                        case "--flv-players" -> flvPlayers = Integer.parseInt(v);
                        case "--flv-url" -> flvUrl = httpUrl(v);
                        case "--publish" -> publish = Integer.parseInt(v);
                        case "--stream-prefix" -> prefix = v;
                        case "--streams" -> streams = Integer.parseInt(v);
                        default -> threads = Integer.parseInt(v);
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (url == null) {
            throw new IllegalArgumentException("--url is required");
        }
        URI uri = URI.create(url);
        if (!"rtmp".equals(uri.getScheme()) || uri.getHost() == null || uri.getPath() == null) {
            throw new IllegalArgumentException("not an rtmp://host[:port]/app/stream URL: " + url);
        }
        String path = uri.getPath().startsWith("/") ? uri.getPath().substring(1) : uri.getPath();
        if (publish > 0 && publishers > 0) {
            throw new IllegalArgumentException("--publish and --publishers exclude each other");
        }
        if ((publish > 0 || streams > 0) && prefix == null) {
            throw new IllegalArgumentException("--publish and --streams need --stream-prefix");
        }
        String app;
        String stream;
        if (prefix != null) {
            // Many streams: the URL names the application only (a trailing stream name is an error, not ignored).
            if (path.isEmpty() || path.indexOf('/') >= 0 || prefix.isEmpty()) {
                throw new IllegalArgumentException(
                        "with --stream-prefix the URL is rtmp://host[:port]/app and the prefix is not empty: " + url);
            }
            app = path;
            stream = prefix;
        } else {
            int slash = path.indexOf('/');
            if (slash <= 0 || slash == path.length() - 1) {
                throw new IllegalArgumentException("the URL path must be /app/stream: " + url);
            }
            app = path.substring(0, slash);
            stream = path.substring(slash + 1);
        }
        return new LoadOptions(
                uri.getHost(),
                uri.getPort() < 0 ? 1935 : uri.getPort(),
                app,
                stream,
                players,
                publish > 0 ? publish : publishers,
                flv,
                duration,
                reconnect,
                ramp,
                threads,
                epoll,
                quiet,
                flvPlayers,
                flvUrl,
                prefix,
                streams > 0 ? streams : Math.max(1, publish));
    }

    private static URI httpUrl(String v) {
        URI uri = URI.create(v);
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getRawPath() == null) {
            throw new IllegalArgumentException("not an http://host[:port]/app/stream.flv URL: " + v);
        }
        return uri;
    }

    /** The HTTP-FLV players' port (80 when the URL has none). */
    public int flvPort() {
        return flvUrl.getPort() < 0 ? 80 : flvUrl.getPort();
    }

    /** The HTTP-FLV players' request target: path and query. */
    public String flvTarget() {
        return flvUrl.getRawPath() + (flvUrl.getRawQuery() == null ? "" : "?" + flvUrl.getRawQuery());
    }

    /** {@code 250ms}, {@code 6s}, {@code 2m}, or a bare number of seconds. */
    static Duration duration(String v) {
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
        }
        if (v.endsWith("m")) {
            return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 60);
        }
        return Duration.ofSeconds(Long.parseLong(v));
    }
}
