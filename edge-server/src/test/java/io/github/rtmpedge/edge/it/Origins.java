package io.github.rtmpedge.edge.it;

import io.github.rtmpedge.testkit.NginxRtmp;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/** What the nginx origin's error log (level info) says about publishers and players. */
final class Origins {

    private Origins() {}

    /** Waits until nginx has logged {@code times} publishes of {@code stream} in all. */
    static void awaitPublishes(NginxRtmp nginx, String stream, int times, Duration timeout) {
        Awaitility.await("nginx logs " + times + " publish(es) of " + stream)
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> publishes(nginx, stream) >= times);
    }

    /** nginx-rtmp logs {@code publish: name='s1' ...} for every publish. */
    static int publishes(NginxRtmp nginx, String stream) {
        return count(nginx, Pattern.compile("publish: name='" + Pattern.quote(stream) + "'"));
    }

    /** nginx-rtmp logs {@code play: name='s1' ...} for every play. */
    static int plays(NginxRtmp nginx, String stream) {
        return count(nginx, Pattern.compile("play: name='" + Pattern.quote(stream) + "'"));
    }

    private static int count(NginxRtmp nginx, Pattern pattern) {
        Matcher m = pattern.matcher(nginx.errorLogText());
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
