package io.github.rtmpedge.edge.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** GET /metrics from our HTTP port, and the value of one sample in the Prometheus text format. */
final class Scrapes {

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Scrapes() {}

    static HttpResponse<String> get(InetSocketAddress http, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.getPort() + path))
                .timeout(Duration.ofSeconds(5))
                .GET()
                .build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static String metrics(InetSocketAddress http) throws IOException, InterruptedException {
        HttpResponse<String> response = get(http, "/metrics");
        if (response.statusCode() != 200) {
            throw new IOException("/metrics answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** The sample {@code name} whose labels include {@code label} (e.g. {@code role="player"}), if present. */
    static OptionalDouble sample(String exposition, String name, String label) {
        Pattern p = Pattern.compile("^" + Pattern.quote(name) + "(?:\\{([^}]*)\\})? (\\S+)$", Pattern.MULTILINE);
        Matcher m = p.matcher(exposition);
        while (m.find()) {
            if (label.isEmpty() || (m.group(1) != null && m.group(1).contains(label))) {
                return OptionalDouble.of(Double.parseDouble(m.group(2)));
            }
        }
        return OptionalDouble.empty();
    }
}
