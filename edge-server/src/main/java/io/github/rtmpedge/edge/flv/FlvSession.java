package io.github.rtmpedge.edge.flv;

import io.github.rtmpedge.edge.metrics.EnumCounters;
import io.github.rtmpedge.edge.proxy.ClientAddress;
import io.github.rtmpedge.edge.security.AuthAction;
import io.github.rtmpedge.edge.security.AuthReason;
import io.github.rtmpedge.edge.security.HookEvent;
import io.github.rtmpedge.edge.security.QueryParams;
import io.github.rtmpedge.edge.security.Verdict;
import io.github.rtmpedge.edge.session.AccessRecord;
import io.github.rtmpedge.edge.session.ClientSnapshot;
import io.github.rtmpedge.edge.session.CloseReason;
import io.github.rtmpedge.edge.session.Disconnector;
import io.github.rtmpedge.edge.stream.AppMeters;
import io.github.rtmpedge.edge.stream.LiveStream;
import io.github.rtmpedge.edge.stream.Protocol;
import io.github.rtmpedge.edge.stream.Role;
import io.github.rtmpedge.edge.stream.StreamKey;
import io.github.rtmpedge.edge.stream.delivery.Delivery;
import io.github.rtmpedge.edge.web.HttpGuard;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection of the HTTP-FLV listener: answers its requests (CORS preflights, HEAD, errors)
 * and turns a GET of a stream into a player, checked like an RTMP player (CIDR lists, a token in
 * the query, the on_play hook, in that order), counted as a player, delivered to through the
 * stream's fan-out by a {@link FlvPlay}. Confined to the connection's event loop; the stream is
 * reached only through tasks on its own loop.
 */
final class FlvSession extends SimpleChannelInboundHandler<FullHttpRequest> {

    static final Logger log = LoggerFactory.getLogger(FlvSession.class);

    private final FlvServices services;
    private Channel channel;
    private HttpGuard guard;
    private Disconnector disconnector;
    private String remote;
    private InetAddress peer;
    private volatile Role role = Role.NONE;

    /** Confined to this connection's loop. */
    private AppMeters.Entry appEntry;

    private String tcUrl = "";
    private String pageUrl = "";
    private StreamKey key;
    private String query = "";
    /** A GET of a stream was accepted for checking: this connection serves nothing else. */
    private boolean playing;

    private FlvPlay play;

    FlvSession(FlvServices services) {
        this.services = services;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        guard = HttpGuard.of(ctx.pipeline());
        disconnector = new Disconnector(channel, services.closes());
        // The client's, not a load balancer's: the PROXY protocol gate ran before this session existed.
        remote = ClientAddress.text(channel);
        peer = ClientAddress.ip(channel);
        services.tracker().sessionStarted(Role.NONE);
    }

    /** What the connection does now; any thread. */
    Role role() {
        return role;
    }

    FlvServices services() {
        return services;
    }

    Channel channel() {
        return channel;
    }

    HttpGuard guard() {
        return guard;
    }

    String remote() {
        return remote;
    }

    StreamKey key() {
        return key;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (playing || disconnector.closing()) {
            return; // one stream per connection: what follows a play is not acted upon
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        HttpMethod method = request.method();
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (HttpMethod.OPTIONS.equals(method) && services.crossDomain()) {
            answer(FlvAnswers.preflight(), keepAlive);
            return;
        }
        String[] appStream = services.flv() ? services.mount().match(uri.path()) : null;
        if (appStream == null) {
            answer(FlvAnswers.error(HttpResponseStatus.NOT_FOUND, "not found", services.crossDomain()), keepAlive);
            return;
        }
        if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
            answer(
                    FlvAnswers.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET or HEAD", services.crossDomain()),
                    keepAlive);
            return;
        }
        boolean head = HttpMethod.HEAD.equals(method);
        StreamKey requested = new StreamKey(appStream[0], appStream[1]);
        String rawQuery = uri.rawQuery();
        String host = request.headers().get(HttpHeaderNames.HOST, "");
        String referer = request.headers().get(HttpHeaderNames.REFERER, "");
        HttpVersion version = request.protocolVersion();
        if (!head) {
            playing = true; // reading stops mattering: nothing the client sends now is acted upon
            key = requested;
            query = rawQuery;
            tcUrl = QueryParams.redact("http://" + host + "/" + requested.app());
            pageUrl = QueryParams.redact(referer);
        }
        HookEvent event = new HookEvent(
                "on_play",
                channel.id().asShortText(),
                peer == null ? remote : peer.getHostAddress(),
                requested.app(),
                requested.name(),
                rawQuery.isEmpty() ? "" : "?" + rawQuery,
                "http://" + host + "/" + requested.app(),
                referer);
        decide(services.gatekeeper().play(peer, event), verdict -> {
            if (!verdict.allowed()) {
                refused(requested, verdict, keepAlive && head);
            } else if (head) {
                FlvPlay.probe(
                        this,
                        requested,
                        found -> answer(
                                found
                                        ? FlvAnswers.headOnly(services.crossDomain())
                                        : FlvAnswers.error(
                                                HttpResponseStatus.NOT_FOUND, "no such stream", services.crossDomain()),
                                keepAlive));
            } else {
                play = new FlvPlay(this, requested, rawQuery, version);
                play.start();
            }
        });
    }

    /**
     * Runs {@code then} with the verdict: at once if known, else on this loop when it arrives,
     * with reading off meanwhile (nothing the client sends is acted upon before the decision).
     */
    private void decide(CompletableFuture<Verdict> verdict, java.util.function.Consumer<Verdict> then) {
        if (verdict.isDone() && !verdict.isCompletedExceptionally()) {
            then.accept(verdict.join());
            return;
        }
        channel.config().setAutoRead(false);
        verdict.whenComplete((v, failure) -> channel.eventLoop().execute(() -> {
            if (!channel.isActive()) {
                log.info("{}: the decision on play {} came after the connection closed", remote, key);
                return;
            }
            channel.config().setAutoRead(true);
            then.accept(
                    failure == null
                            ? v
                            : Verdict.refuse(AuthReason.HOOK_ERROR, QueryParams.redact(failure.toString())));
        }));
    }

    private void refused(StreamKey what, Verdict verdict, boolean keepAlive) {
        services.refusals().refused(AuthAction.PLAY, verdict.reason());
        log.warn(
                "{}: play {} over HTTP-FLV refused: {} ({})",
                remote,
                what,
                verdict.reason().tag(),
                verdict.detail());
        FullHttpResponse forbidden = FlvAnswers.error(
                HttpResponseStatus.FORBIDDEN, "playing " + what + " is not allowed", services.crossDomain());
        if (keepAlive) {
            answer(forbidden, true);
            return;
        }
        disconnector.closing(CloseReason.PLAY_REJECTED, verdict.reason().tag()); // counted and logged once closed
        respondAndClose(forbidden);
    }

    /** The stream is not there (standalone mode, no publisher): 404, and the connection closes. */
    void notFound() {
        disconnector.closing(CloseReason.STREAM_FAILED, "no such stream");
        respondAndClose(FlvAnswers.error(HttpResponseStatus.NOT_FOUND, "no such stream", services.crossDomain()));
    }

    /** A short answer; the connection stays open when the client keeps it alive. */
    void answer(FullHttpResponse response, boolean keepAlive) {
        HttpUtil.setKeepAlive(response, keepAlive);
        response.headers()
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        if (keepAlive) {
            channel.writeAndFlush(response);
        } else {
            channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void respondAndClose(FullHttpResponse response) {
        HttpUtil.setKeepAlive(response, false);
        response.headers()
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    /** On this loop: the connection now does {@code next}. */
    void role(Role next) {
        services.tracker().roleChanged(role, next);
        if (next != role) {
            leaveApp();
            appEntry = services.traffic().apps().enter(key == null ? null : key.app(), next);
        }
        role = next;
    }

    /** Where this player's bytes count by app, while it plays; else null. This loop only. */
    AppMeters.Entry appEntry() {
        return appEntry;
    }

    private void leaveApp() {
        if (appEntry != null) {
            appEntry.leave();
            appEntry = null;
        }
    }

    void close(CloseReason reason, String detail) {
        disconnector.close(reason, detail);
    }

    /** Writes what the merged write holds back, ends the body cleanly, then closes for {@code reason}. */
    void closeAfterPending(CloseReason reason) {
        if (play != null) {
            play.end();
        }
        disconnector.close(reason, null);
    }

    /** An operator kicks the client ({@code DELETE /api/v1/clients/{id}}). */
    void kick() {
        disconnector.close(CloseReason.KICKED, "by an operator through the API");
    }

    /** The access log's fields; an HTTP-FLV session only ever asks to play. */
    private AccessRecord accessRecord() {
        return new AccessRecord(
                EnumCounters.tagValue(Protocol.HTTP_FLV),
                ClientAddress.of(channel),
                key == null ? null : key.app(),
                key == null ? null : key.name(),
                AccessRecord.role(key == null ? Role.NONE : Role.PLAYER),
                guard == null ? 0 : guard.bytesIn(),
                guard == null ? 0 : guard.bytesOut(),
                guard == null ? 0 : guard.ageMillis());
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (play != null) {
            play.writabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (guard == null || guard.admitted()) {
            String doing = key == null ? "HTTP-FLV connection" : "HTTP-FLV player of " + key;
            String traffic = guard == null
                    ? ""
                    : guard.bytesIn() + " bytes in, " + guard.bytesOut() + " bytes out, " + guard.ageMillis() + " ms";
            disconnector.closed(doing, traffic + (play == null ? "" : play.summary()), accessRecord());
        }
        if (play != null) {
            play.stop();
            services.gatekeeper()
                    .stopped(new HookEvent(
                            "on_stop",
                            channel.id().asShortText(),
                            peer == null ? remote : peer.getHostAddress(),
                            key.app(),
                            key.name(),
                            query.isEmpty() ? "" : "?" + query,
                            tcUrl,
                            pageUrl));
        }
        services.tracker().sessionEnded(role);
        leaveApp();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            disconnector.close(CloseReason.IO_ERROR, cause.getMessage());
        } else {
            log.warn("{}: unexpected error, closing", remote, cause);
            disconnector.close(CloseReason.INTERNAL_ERROR, String.valueOf(cause));
        }
    }

    /** The operator's view of this connection; no query. On the connection's loop. */
    ClientSnapshot snapshot() {
        Delivery sub = play == null ? null : play.delivery();
        Role now = role;
        return new ClientSnapshot(
                channel.id().asShortText(),
                now.name().toLowerCase(java.util.Locale.ROOT),
                remote,
                key == null ? null : key.app(),
                key == null || now != Role.PLAYER ? null : key.name(),
                guard == null ? 0 : guard.bytesIn(),
                guard == null ? 0 : guard.bytesOut(),
                guard == null ? 0 : guard.ageMillis(),
                now == Role.PLAYER && sub != null,
                sub == null ? 0 : sub.framesOffered(),
                sub == null ? 0 : sub.framesSent(),
                sub == null ? 0 : sub.framesDropped(),
                now == Role.PLAYER ? ClientSnapshot.FLV_PLAY : ClientSnapshot.UNKNOWN,
                tcUrl,
                pageUrl,
                guard == null ? 0 : guard.recvBitsPerSecond(),
                guard == null ? 0 : guard.sendBitsPerSecond());
    }

    /** The stream the play is of, for {@link FlvPlay}: it exists or is created on the stream's loop. */
    LiveStream streamOf(StreamKey key) {
        return services.standalone()
                ? services.streams().get(key)
                : services.streams().getOrCreate(key, channel.eventLoop());
    }
}
