package io.github.rtmpedge.edge;

import io.github.rtmpedge.edge.api.Snapshots;
import io.github.rtmpedge.edge.http.HttpApi;
import io.github.rtmpedge.edge.stream.LiveStream;
import io.github.rtmpedge.edge.stream.Role;
import io.github.rtmpedge.edge.transport.Transports;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the HTTP port serves of the server: readiness, SRS's API documents, kicks, drain and reload. */
final class ServerApi implements HttpApi {

    private static final Logger log = LoggerFactory.getLogger(ServerApi.class);

    private final EdgeServer server;

    ServerApi(EdgeServer server) {
        this.server = server;
    }

    @Override
    public boolean ready() {
        return server.coordinator().ready();
    }

    @Override
    public String notReadyReason() {
        return "draining (" + server.coordinator().phase().label() + ")";
    }

    @Override
    public Map<String, Object> identity() {
        return server.identity().envelope();
    }

    @Override
    public Map<String, Object> versions() {
        return server.identity().versions();
    }

    @Override
    public Map<String, Object> summaries() {
        Map<String, Object> connections = new LinkedHashMap<>();
        connections.put("active", server.rtmp().tracker().active());
        connections.put("max", server.rtmp().tracker().maxConnections());
        connections.put("accepted", server.rtmp().tracker().accepted());
        connections.put("rejected", server.rtmp().tracker().rejected());
        connections.put("players", server.rtmp().countByRole(Role.PLAYER));
        connections.put("publishers", server.rtmp().countByRole(Role.PUBLISHER));
        connections.put("flv_players", server.flv() == null ? 0 : server.flv().countByRole(Role.PLAYER));
        connections.put("flv_active", server.flv() == null ? 0 : server.flv().active());
        Map<String, Object> bytes = new LinkedHashMap<>();
        bytes.put("in", server.rtmp().tracker().bytesIn());
        bytes.put(
                "out",
                server.rtmp().tracker().bytesOut()
                        + (server.flv() == null ? 0 : server.flv().bytesOut()));
        Map<String, Object> out = server.identity()
                .summary(
                        server.rtmp().tracker().active()
                                + (server.flv() == null ? 0 : server.flv().active()),
                        server.rtmp().tracker().bytesIn(),
                        (long) bytes.get("out"));
        // Ours, beside SRS's.
        out.put("version", EdgeServer.VERSION);
        out.put("uptime_ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - server.startedNanos()));
        out.put("mode", server.config().cluster().mode().name().toLowerCase(Locale.ROOT));
        out.put("transport", Transports.name());
        out.put("phase", server.coordinator().phase().label());
        out.put("phase_ms", server.coordinator().phaseMillis());
        out.put("ready", server.coordinator().ready());
        out.put("connections", connections);
        out.put("bytes", bytes);
        out.put("streams", server.streams().size());
        out.put("upstream_pulls", server.upstreamPulls());
        out.put(
                "origins",
                !server.isEdge()
                        ? List.of()
                        : server.config().cluster().origins().stream()
                                .map(Object::toString)
                                .toList());
        Map<String, Object> httpFlv = null;
        if (server.flvAddress() != null) {
            httpFlv = new LinkedHashMap<>();
            httpFlv.put("port", server.flvAddress().getPort());
            httpFlv.put("prefix", server.config().httpServer().mount().prefix());
        }
        out.put("http_flv", httpFlv);
        return out;
    }

    @Override
    public CompletableFuture<List<Map<String, Object>>> streams() {
        return Snapshots.streams(server.streams().streams());
    }

    @Override
    public CompletableFuture<List<Map<String, Object>>> clients() {
        return Snapshots.clients(server.clientConnections(), key -> {
            LiveStream stream = server.streams().get(key);
            return stream == null ? null : stream.id();
        });
    }

    @Override
    public CompletableFuture<Boolean> kick(String clientId, String requester) {
        return Snapshots.kick(server.clientConnections(), clientId).thenApply(kicked -> {
            log.info("kick of client {} requested by {}: {}", clientId, requester, kicked ? "done" : "no such client");
            return kicked;
        });
    }

    @Override
    public void requestDrain(String requester) {
        server.requestGracefulQuit(Objects.requireNonNull(requester));
    }

    @Override
    public boolean reload(String requester) {
        log.info("reload requested by {}", requester);
        return server.reload();
    }
}
