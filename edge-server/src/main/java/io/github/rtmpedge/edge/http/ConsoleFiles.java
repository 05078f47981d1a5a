package io.github.rtmpedge.edge.http;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live console's files, served from the jar at {@code /console/}: the page, its script and
 * style (src/main/resources), and the front-end libraries the build installs from npm
 * ({@code lib/}). Read once and kept; nothing else on the classpath is reachable.
 */
final class ConsoleFiles {

    private static final String ROOT = "/io/github/rtmpedge/edge/console/";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8");
    private static final Map<String, byte[]> CACHE = new ConcurrentHashMap<>();

    private ConsoleFiles() {}

    /** The answer to GET {@code path} (which starts with /console). */
    static FullHttpResponse answer(String path) {
        if (path.equals("/console")) {
            FullHttpResponse moved = HttpApiServer.response(HttpResponseStatus.MOVED_PERMANENTLY, "", "text/plain");
            moved.headers().set(HttpHeaderNames.LOCATION, "/console/");
            return moved;
        }
        String name = path.substring("/console/".length());
        if (name.isEmpty()) {
            name = "index.html";
        }
        int dot = name.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(name.substring(dot + 1));
        // Only plain names below the console's folder: no "..", no other resource of the jar.
        if (type == null || !name.matches("(lib/)?[A-Za-z0-9][A-Za-z0-9._-]*")) {
            return HttpApiServer.response(HttpResponseStatus.NOT_FOUND, "not found\n", "text/plain; charset=utf-8");
        }
        byte[] body = CACHE.computeIfAbsent(name, ConsoleFiles::read);
        if (body.length == 0) {
            return HttpApiServer.response(HttpResponseStatus.NOT_FOUND, "not found\n", "text/plain; charset=utf-8");
        }
        FullHttpResponse ok = HttpApiServer.response(HttpResponseStatus.OK, body.clone(), type);
        ok.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        return ok;
    }

    private static byte[] read(String name) {
        try (InputStream in = ConsoleFiles.class.getResourceAsStream(ROOT + name)) {
            return in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
