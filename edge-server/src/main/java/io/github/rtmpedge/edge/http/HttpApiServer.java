package io.github.rtmpedge.edge.http;

import io.github.rtmpedge.config.HttpApiConfig;
import io.github.rtmpedge.edge.json.Json;
import io.github.rtmpedge.edge.metrics.EdgeMetrics;
import io.github.rtmpedge.edge.transport.Transports;
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
import io.netty.handler.codec.http.HttpServerCodec;
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
 * (readiness, 503 from the first moment of a drain), {@code /api/v1/summaries},
 * {@code /api/v1/streams} and {@code /api/v1/clients} (answered when every event loop has given
 * its snapshot, without blocking this loop), {@code /metrics} (Prometheus text format, or
 * OpenMetrics when the Accept header asks for it), and
 * {@code POST /api/v1/drain} and {@code POST /api/v1/reload} (state-changing: loopback only, or
 * with the configured bearer token). It stays up through every drain phase and is closed last.
 */
public final class HttpApiServer {

    private static final Logger log = LoggerFactory.getLogger(HttpApiServer.class);

    private final HttpApiConfig config;
    private final String drainToken;
    private final HttpApi api;
    private final EventLoopGroup group;
    private final Function<String, EdgeMetrics.Scrape> metrics;
    private Channel listener;

    public HttpApiServer(HttpApiConfig config, String drainToken, HttpApi api, EventLoopGroup group) {
        this(config, drainToken, api, group, null);
    }

    /** {@code metrics}: renders {@code /metrics} for a request's Accept header; null: no /metrics. */
    public HttpApiServer(
            HttpApiConfig config,
            String drainToken,
            HttpApi api,
            EventLoopGroup group,
            Function<String, EdgeMetrics.Scrape> metrics) {
        this.metrics = metrics;
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
                        ch.pipeline().addLast(new HttpServerCodec(4096, 8192, 8192));
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
            if ((path.equals("/api/v1/streams") || path.equals("/api/v1/clients"))
                    && (HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method))) {
                var document = path.equals("/api/v1/streams") ? api.streams() : api.clients();
                document.whenComplete((list, failure) -> ctx.executor()
                        .execute(() -> send(
                                ctx,
                                keepAlive,
                                failure == null
                                        ? json(HttpResponseStatus.OK, Json.write(list))
                                        : text(
                                                HttpResponseStatus.INTERNAL_SERVER_ERROR,
                                                "snapshot failed: " + failure + "\n"))));
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
                case "/api/v1/summaries" -> get(method, () -> json(HttpResponseStatus.OK, Json.write(api.summaries())));
                case "/api/v1/drain" -> drain(ctx, request);
                case "/metrics" ->
                    metrics == null
                            ? text(HttpResponseStatus.NOT_FOUND, "not found\n")
                            : get(method, () -> metrics(request.headers().get(HttpHeaderNames.ACCEPT)));
                case "/api/v1/streams", "/api/v1/clients" -> text(HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET\n");
                default -> text(HttpResponseStatus.NOT_FOUND, "not found\n");
            };
            send(ctx, keepAlive, response);
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
            FullHttpResponse refused = guard(ctx, request, "drain");
            if (refused != null) {
                return refused;
            }
            api.requestDrain("HTTP from " + ctx.channel().remoteAddress());
            return text(HttpResponseStatus.ACCEPTED, "draining\n");
        }

        /** Reloads off this loop (it reads a file) and answers on it: 200 reloaded, 409 rejected. */
        private void reload(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive) {
            FullHttpResponse refused = guard(ctx, request, "reload");
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
        private FullHttpResponse guard(ChannelHandlerContext ctx, FullHttpRequest request, String what) {
            if (!HttpMethod.POST.equals(request.method())) {
                return text(HttpResponseStatus.METHOD_NOT_ALLOWED, "use POST\n");
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

    private static FullHttpResponse text(HttpResponseStatus status, String body) {
        return response(status, body, "text/plain; charset=utf-8");
    }

    private static FullHttpResponse json(HttpResponseStatus status, String body) {
        return response(status, body, "application/json");
    }

    private static FullHttpResponse response(HttpResponseStatus status, String body, String type) {
        ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return response;
    }
}
