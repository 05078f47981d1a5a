package io.github.rtmpedge.edge.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.rtmpedge.edge.metrics.EdgeMeters;
import io.github.rtmpedge.edge.metrics.EdgeMetrics;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AppMetersTest {

    @Test
    void theFirstAppsKeepTheirNameAndTheRestCountAsOther() {
        try (EdgeMetrics metrics = EdgeMetrics.prometheus().labelApps(2)) {
            AppMeters apps = new TrafficMeters(metrics, Protocol.HTTP_FLV).apps();
            AppMeters.Entry live = apps.enter("live", Role.PLAYER);
            apps.enter("tv", Role.PLAYER);
            AppMeters.Entry third = apps.enter("x1", Role.PLAYER);
            apps.enter("x2", Role.PLAYER);
            apps.enter("", Role.PLAYER);
            live.sent(1000);
            third.sent(5);
            apps.enter("tv", Role.PLAYER).leave();

            assertEquals(Map.of("live", 1.0, "tv", 1.0, "other", 3.0), active(metrics, "player"));
            assertEquals(Map.of("live", 0.0, "tv", 0.0, "other", 0.0), active(metrics, "publisher"));
            assertEquals(List.of(1000.0, 5.0), List.of(sent(metrics, "live"), sent(metrics, "other")));
            assertNull(apps.enter("live", Role.UPSTREAM_PULL), "only players and publishers are counted by app");
        }
    }

    @Test
    void offByDefault() {
        try (EdgeMetrics metrics = EdgeMetrics.prometheus()) {
            AppMeters apps = new TrafficMeters(metrics).apps();

            assertNull(apps.enter("live", Role.PLAYER));
            assertFalse(metrics.scrape(null).body().contains("rtmp_app_"));
        }
    }

    private static Map<String, Double> active(EdgeMetrics metrics, String role) {
        Map<String, Double> byApp = new TreeMap<>();
        metrics.registry()
                .find(EdgeMeters.APP_CONNECTIONS_ACTIVE.meterName())
                .tag(EdgeMeters.Tags.ROLE, role)
                .gauges()
                .forEach(g -> byApp.put(g.getId().getTag(EdgeMeters.Tags.APP), g.value()));
        return byApp;
    }

    private static double sent(EdgeMetrics metrics, String app) {
        return metrics.registry()
                .get(EdgeMeters.APP_SENT_BYTES.meterName())
                .tags(EdgeMeters.Tags.APP, app, EdgeMeters.Tags.ROLE, "player")
                .counter()
                .count();
    }
}
