package io.github.rtmpedge.edge.http;

import io.github.rtmpedge.config.HttpApiConfig;
import io.github.rtmpedge.config.HttpServerConfig;
import io.github.rtmpedge.edge.metrics.EdgeMetrics;
import io.github.rtmpedge.edge.transport.Transports;
import io.github.rtmpedge.edge.web.HttpGuard;
import io.github.rtmpedge.edge.web.HttpListenerMeters;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's HTTP port (SRS's http_api): {@code /healthz} (liveness), {@code /readyz}
 * (readiness, 503 from the first moment of a drain), SRS's API v1 ({@link SrsApi}: versions,
 * summaries, streams and clients, answered when every event loop has given its snapshot, without
 * blocking this loop), {@code /metrics} (Prometheus text format, or OpenMetrics when the Accept
 * header asks for it), the live console at {@code /console/}, and the state-changing
 * {@code POST /api/v1/drain}, {@code POST /api/v1/reload} and {@code DELETE /api/v1/clients/{id}}
 * (loopback only, or with the configured bearer token). Every connection is held to the HTTP
 * limits ({@link HttpGuard}). It stays up through every drain phase and is closed last.
 */
public final class HttpApiServer {

    private static final Logger log = LoggerFactory.getLogger(HttpApiServer.class);

    private final HttpApiConfig config;
    private final String drainToken;
    private final HttpApi api;
    private final EventLoopGroup group;
    private final Function<String, EdgeMetrics.Scrape> metrics;
    private final SrsApi srs;
    private final HttpGuard.Limits limits;
    private final HttpListenerMeters listenerMeters;
    private Channel listener;

    /** With the default HTTP limits, counting into a registry nobody scrapes (tests). */
    public HttpApiServer(HttpApiConfig config, String drainToken, HttpApi api, EventLoopGroup group) {
        this(
                config,
                drainToken,
                api,
                group,
                null,
                HttpGuard.Limits.of(
                        HttpServerConfig.defaults().limits(),
                        HttpServerConfig.defaults().limits().apiMaxConnections()),
                new HttpListenerMeters(EdgeMetrics.unscraped(), "api"));
    }

    /**
     * {@code metrics}: renders {@code /metrics} for a request's Accept header; null: no /metrics.
     * {@code limits}: what a client may send and how many may connect, counted in {@code meters}.
     */
    public HttpApiServer(
            HttpApiConfig config,
            String drainToken,
            HttpApi api,
            EventLoopGroup group,
            Function<String, EdgeMetrics.Scrape> metrics,
            HttpGuard.Limits limits,
            HttpListenerMeters meters) {
        this.metrics = metrics;
        this.srs = new SrsApi(api);
        this.limits = limits;
        this.listenerMeters = meters;
        this.config = config;
        this.drainToken = drainToken == null ? "" : drainToken;
        this.api = api;
        this.group = group;
    }

    public InetSocketAddress start() throws InterruptedException {
        listener = new ServerBootstrap()
                .group(group)
                .channel(Transports.serverChannel())
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        HttpGuard.install(ch.pipeline(), limits, listenerMeters);
                        ch.pipeline().addLast(new HttpObjectAggregator(64 * 1024));
                        ch.pipeline().addLast(new Handler());
                    }
                })
                .bind(config.listen().host(), config.listen().port())
                .sync()
                .channel();
        log.info("HTTP API listening on {}", listener.localAddress());
        return (InetSocketAddress) listener.localAddress();
    }

    public void close() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
            listener = null;
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            String path = new QueryStringDecoder(request.uri()).path();
            HttpMethod method = request.method();
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (SrsApi.isKick(method, path)) {
                FullHttpResponse refused = guard(ctx, request, "kick", HttpMethod.DELETE);
                if (refused != null) {
                    send(ctx, keepAlive, refused);
                    return;
                }
                reply(
                        ctx,
                        keepAlive,
                        srs.kick(path, "HTTP from " + ctx.channel().remoteAddress()));
                return;
            }
            if (SrsApi.handles(path)) {
                if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
                    send(ctx, keepAlive, text(HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET\n"));
                    return;
                }
                reply(ctx, keepAlive, srs.get(request));
                return;
            }
            if (path.equals("/console") || path.startsWith("/console/")) {
                send(ctx, keepAlive, get(method, () -> ConsoleFiles.answer(path)));
                return;
            }
            if (path.equals("/api/v1/reload")) {
                reload(ctx, request, keepAlive);
                return;
            }
            FullHttpResponse response = switch (path) {
                case "/healthz" -> get(method, () -> text(HttpResponseStatus.OK, "ok\n"));
                case "/readyz" ->
                    get(
                            method,
                            () -> api.ready()
                                    ? text(HttpResponseStatus.OK, "ready\n")
                                    : text(HttpResponseStatus.SERVICE_UNAVAILABLE, api.notReadyReason() + "\n"));
                case "/api/v1/drain" -> drain(ctx, request);
                case "/metrics" ->
                    metrics == null
                            ? text(HttpResponseStatus.NOT_FOUND, "not found\n")
                            : get(method, () -> metrics(request.headers().get(HttpHeaderNames.ACCEPT)));
                default -> text(HttpResponseStatus.NOT_FOUND, "not found\n");
            };
            send(ctx, keepAlive, response);
        }

        /** Writes the SRS answer when it is ready, on this loop (the future completes elsewhere). */
        private void reply(ChannelHandlerContext ctx, boolean keepAlive, CompletableFuture<SrsApi.Answer> answer) {
            answer.whenComplete((a, failure) -> ctx.executor()
                    .execute(() -> send(
                            ctx,
                            keepAlive,
                            failure == null
                                    ? cors(json(a.status(), a.json()))
                                    : text(
                                            HttpResponseStatus.INTERNAL_SERVER_ERROR,
                                            "snapshot failed: " + failure + "\n"))));
        }

        private void send(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse response) {
            HttpUtil.setKeepAlive(response, keepAlive);
            response.headers()
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            if (keepAlive) {
                ctx.writeAndFlush(response);
            } else {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        private FullHttpResponse metrics(String accept) {
            EdgeMetrics.Scrape scrape = metrics.apply(accept);
            return response(HttpResponseStatus.OK, scrape.body(), scrape.contentType());
        }

        private FullHttpResponse drain(ChannelHandlerContext ctx, FullHttpRequest request) {
            FullHttpResponse refused = guard(ctx, request, "drain", HttpMethod.POST);
            if (refused != null) {
                return refused;
            }
            api.requestDrain("HTTP from " + ctx.channel().remoteAddress());
            return text(HttpResponseStatus.ACCEPTED, "draining\n");
        }

        /** Reloads off this loop (it reads a file) and answers on it: 200 reloaded, 409 rejected. */
        private void reload(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive) {
            FullHttpResponse refused = guard(ctx, request, "reload", HttpMethod.POST);
            if (refused != null) {
                send(ctx, keepAlive, refused);
                return;
            }
            String requester = "HTTP from " + ctx.channel().remoteAddress();
            CompletableFuture.supplyAsync(() -> api.reload(requester))
                    .whenComplete((ok, failure) -> ctx.executor()
                            .execute(() -> send(
                                    ctx,
                                    keepAlive,
                                    failure != null
                                            ? text(
                                                    HttpResponseStatus.INTERNAL_SERVER_ERROR,
                                                    "reload failed: " + failure + "\n")
                                            : ok
                                                    ? text(HttpResponseStatus.OK, "reloaded\n")
                                                    : text(
                                                            HttpResponseStatus.CONFLICT,
                                                            "reload rejected; the running configuration stays in force"
                                                                    + " (see the log)\n"))));
        }

        /** Null if a state-changing request may go ahead, else the refusal (405 or 403). */
        private FullHttpResponse guard(
                ChannelHandlerContext ctx, FullHttpRequest request, String what, HttpMethod allowed) {
            if (!allowed.equals(request.method())) {
                return text(HttpResponseStatus.METHOD_NOT_ALLOWED, "use " + allowed + "\n");
            }
            SocketAddress remote = ctx.channel().remoteAddress();
            if (!mayChangeState(remote, request.headers().get(HttpHeaderNames.AUTHORIZATION), drainToken)) {
                log.warn("refused {} request from {}: not loopback and no valid bearer token", what, remote);
                return text(
                        HttpResponseStatus.FORBIDDEN, what + " is allowed from loopback or with the bearer token\n");
            }
            return null;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("HTTP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }

    /**
     * Whether a client at {@code remote} sending {@code authorization} may use a state-changing
     * endpoint: a loopback client always, any other only with {@code Bearer <token>} (compared in
     * constant time; never with an empty configured token).
     */
    static boolean mayChangeState(SocketAddress remote, String authorization, String token) {
        if (remote instanceof InetSocketAddress inet
                && inet.getAddress() != null
                && inet.getAddress().isLoopbackAddress()) {
            return true;
        }
        if (token == null || token.isEmpty() || authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token.getBytes(StandardCharsets.UTF_8));
    }

    private static FullHttpResponse get(HttpMethod method, java.util.function.Supplier<FullHttpResponse> answer) {
        if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
            return text(HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET\n");
        }
        return answer.get();
    }

    /** Read-only API answers may be read by pages served elsewhere (SRS's http_api crossdomain). */
    private static FullHttpResponse cors(FullHttpResponse response) {
        response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        return response;
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body) {
        return response(status, body, "text/plain; charset=utf-8");
    }

    private static FullHttpResponse json(HttpResponseStatus status, String body) {
        return response(status, body, "application/json");
    }

    static FullHttpResponse response(HttpResponseStatus status, String body, String type) {
        return response(status, body.getBytes(StandardCharsets.UTF_8), type);
    }

    static FullHttpResponse response(HttpResponseStatus status, byte[] body, String type) {
        ByteBuf content = Unpooled.wrappedBuffer(body);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return response;
    }
}
