package io.github.rtmpedge.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.edge.http.TestJson;
import io.github.rtmpedge.testkit.Ffmpeg;
import io.github.rtmpedge.testkit.ManagedProcess;
import io.github.rtmpedge.testkit.TestMedia;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/v1/streams}, {@code /api/v1/clients} and {@code /api/v1/summaries} of an in-process
 * server with a real-time ffmpeg publisher and two ffmpeg players, all with a token in the stream
 * query. The documents are taken once the players have played for a while (so that the 5 s rate
 * window no longer holds their GOP-cache burst) and again after they left; each test checks one
 * thing in them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorApiRealPeersTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TOKEN = "Sekr3tTok3n4711";
    private static final Duration PLAYED = Duration.ofSeconds(12);
    private static final Duration MEASURED_AFTER = Duration.ofMillis(6500);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private LogCapture logs;
    private EdgeUnderTest edge;
    private ManagedProcess publisher;
    private List<Ffmpeg.PlayResult> players;

    private String streamsBody;
    private String clientsBody;
    private Map<String, Object> stream;
    private List<Map<String, Object>> clients;
    private Map<String, Object> summariesWhilePlaying;
    private String streamsAfterBody;
    private String clientsAfterBody;

    @BeforeAll
    void publishPlayAndTakeTheDocuments() {
        logs = new LogCapture();
        edge = EdgeUnderTest.start(dir.resolve("edge"), "http_api { enabled = on, listen = \"127.0.0.1:0\" }");
        Ffmpeg ffmpeg = new Ffmpeg(dir.resolve("logs"));
        String url = edge.rtmpUrl("s1") + "?token=" + TOKEN;
        publisher = ffmpeg.publish(url, TestMedia.small(), true);
        logs.await(Pattern.compile("stream live/s1 source attached: publisher"), WAIT);

        // A thread per player: the common pool may have a single thread on a small machine.
        ExecutorService playerThreads = Executors.newFixedThreadPool(2);
        List<CompletableFuture<Ffmpeg.PlayResult>> playing;
        try {
            playing = List.of(
                    CompletableFuture.supplyAsync(() -> ffmpeg.play(url, PLAYED), playerThreads),
                    CompletableFuture.supplyAsync(() -> ffmpeg.play(url, PLAYED), playerThreads));
        } finally {
            playerThreads.shutdown(); // runs what was submitted, then ends its threads
        }
        Awaitility.await("two players in /api/v1/streams")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> streams(get("/api/v1/streams")).stream().anyMatch(s -> number(s, "players") == 2));
        long bothJoined = System.nanoTime();
        Awaitility.await("the players have played " + MEASURED_AFTER)
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> System.nanoTime() - bothJoined >= MEASURED_AFTER.toNanos());

        streamsBody = get("/api/v1/streams");
        clientsBody = get("/api/v1/clients");
        summariesWhilePlaying = TestJson.object(get("/api/v1/summaries"));
        stream = streams(streamsBody).get(0);
        clients = clients(clientsBody);
        System.out.println("OPERATOR-API streams: " + streamsBody + "\nOPERATOR-API clients: " + clientsBody
                + "\nOPERATOR-API summaries: " + summariesWhilePlaying);

        players = playing.stream().map(CompletableFuture::join).toList();
        Awaitility.await("the players gone from /api/v1/clients")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> clients(get("/api/v1/clients")).size() == 1);
        streamsAfterBody = get("/api/v1/streams");
        clientsAfterBody = get("/api/v1/clients");
    }

    @AfterAll
    void stopAll() {
        if (publisher != null) {
            publisher.close();
        }
        if (edge != null) {
            edge.close();
        }
        if (logs != null) {
            logs.close();
        }
    }

    private String get(String path) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                    + edge.server().httpAddress().getPort() + path))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200
                    || !r.headers().firstValue("content-type").orElse("").equals("application/json")) {
                throw new AssertionError(path + " answered " + r.statusCode() + " " + r.headers() + ": " + r.body());
            }
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The list in SRS's envelope: {"code":0,"server":…,"streams":[…]}. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> streams(String body) {
        Map<String, Object> envelope = TestJson.object(body);
        assertEquals(0L, envelope.get("code"), body);
        return (List<Map<String, Object>>) envelope.get("streams");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> clients(String body) {
        Map<String, Object> envelope = TestJson.object(body);
        assertEquals(0L, envelope.get("code"), body);
        return (List<Map<String, Object>>) envelope.get("clients");
    }

    private static long number(Map<String, Object> object, String key) {
        return ((Number) object.get(key)).longValue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> member(Map<String, Object> object, String key) {
        return (Map<String, Object>) object.get(key);
    }

    private List<Map<String, Object>> players() {
        return clients.stream().filter(c -> "player".equals(c.get("role"))).toList();
    }

    @Test
    void theStreamIsListedOnceWithItsNameSourceAndPlayers() {
        assertEquals(
                List.of(1, "live", "s1", "publisher", 2L),
                List.of(
                        streams(streamsBody).size(),
                        stream.get("app"),
                        stream.get("name"),
                        stream.get("source"),
                        stream.get("players")),
                streamsBody);
    }

    @Test
    void theStreamsOriginIsThePublishersAddress() {
        Map<String, Object> publisherClient = clients.stream()
                .filter(c -> "publisher".equals(c.get("role")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no publisher in " + clientsBody));
        assertEquals(publisherClient.get("remote"), stream.get("origin"), streamsBody + "\n" + clientsBody);
    }

    @Test
    void codecsAndPictureSizeComeFromTheSequenceHeadersAndMetadata() {
        assertEquals(
                List.of("H264", 320L, 240L, "AAC", "LC"),
                List.of(
                        member(stream, "video").get("codec"),
                        member(stream, "video").get("width"),
                        member(stream, "video").get("height"),
                        member(stream, "audio").get("codec"),
                        member(stream, "audio").get("profile")),
                streamsBody);
    }

    @Test
    void bitrateInIsTheFilesBitrate() {
        long bps = number(stream, "bitrate_in_bps");
        assertTrue(
                bps >= 150_000 && bps <= 800_000,
                () -> "bitrate in " + bps + " b/s, expected ~370 kb/s: " + streamsBody);
    }

    @Test
    void bitrateOutIsTwiceTheBitrateIn() {
        double ratio = (double) number(stream, "bitrate_out_bps") / number(stream, "bitrate_in_bps");
        assertTrue(ratio >= 1.6 && ratio <= 2.4, () -> "bitrate out / in = " + ratio + ", expected ~2: " + streamsBody);
    }

    @Test
    void bytesOutAreTwiceTheBytesIn() {
        double ratio = (double) number(stream, "send_bytes") / number(stream, "recv_bytes");
        assertTrue(ratio >= 1.6 && ratio <= 2.4, () -> "bytes out / in = " + ratio + ", expected ~2: " + streamsBody);
    }

    @Test
    void clientsAreOnePublisherAndTwoPlayersOfTheStream() {
        assertEquals(
                List.of(
                        List.of("publisher", "live", "s1"),
                        List.of("player", "live", "s1"),
                        List.of("player", "live", "s1")),
                clients.stream()
                        .map(c -> List.of(c.get("role"), c.get("app"), c.get("name")))
                        .sorted((a, b) -> b.get(0).toString().compareTo(a.get(0).toString()))
                        .toList(),
                clientsBody);
    }

    @Test
    void playersSentWhatTheStreamGotTwiceWithinTwentyPercent() {
        long sent = players().stream().mapToLong(c -> number(c, "send_bytes")).sum();
        double ratio = sent / (2.0 * number(stream, "recv_bytes"));
        assertTrue(
                ratio >= 0.8 && ratio <= 1.2,
                () -> "players' bytes out / (2 x stream bytes in) = " + ratio + "\n" + streamsBody + "\n"
                        + clientsBody);
    }

    @Test
    void playersReportFramesSentAndNoneDropped() {
        assertEquals(
                List.of(true, true, 0L, 0L),
                List.of(
                        number(players().get(0), "frames_sent") > 100,
                        number(players().get(1), "frames_sent") > 100,
                        number(players().get(0), "frames_dropped"),
                        number(players().get(1), "frames_dropped")),
                clientsBody);
    }

    @Test
    void thePublishersBytesInAreAtLeastTheStreamsBytesIn() {
        Map<String, Object> pub = clients.stream()
                .filter(c -> "publisher".equals(c.get("role")))
                .findFirst()
                .orElseThrow();
        assertTrue(number(pub, "recv_bytes") >= number(stream, "recv_bytes"), clientsBody + "\n" + streamsBody);
    }

    @Test
    void summariesCountTheBytesOfEveryConnection() {
        Map<String, Object> bytes = member(member(summariesWhilePlaying, "data"), "bytes");
        long clientsOut =
                clients.stream().mapToLong(c -> number(c, "send_bytes")).sum();
        assertTrue(
                number(bytes, "out") >= clientsOut && number(bytes, "in") >= number(stream, "recv_bytes"),
                () -> summariesWhilePlaying + "\n" + clientsBody);
    }

    @Test
    void theTokenAppearsInNoDocument() {
        assertEquals(
                List.of(false, false, false, false),
                List.of(
                        streamsBody.contains(TOKEN),
                        clientsBody.contains(TOKEN),
                        streamsAfterBody.contains(TOKEN),
                        clientsAfterBody.contains(TOKEN)));
    }

    @Test
    void playersLeavingShrinkTheLists() {
        assertEquals(
                List.of(0L, 1, "publisher"),
                List.of(
                        number(streams(streamsAfterBody).get(0), "players"),
                        clients(clientsAfterBody).size(),
                        clients(clientsAfterBody).get(0).get("role")),
                streamsAfterBody + "\n" + clientsAfterBody);
    }

    @Test
    void clientsNameTheirStreamById() {
        assertTrue(
                clients.stream().allMatch(c -> stream.get("id").equals(c.get("stream"))),
                () -> clientsBody + "\n" + streamsBody);
        Map<String, Object> pub = clients.stream()
                .filter(c -> "publisher".equals(c.get("role")))
                .findFirst()
                .orElseThrow();
        assertEquals(
                List.of("fmle-publish", true, pub.get("id"), "rtmp-play"),
                List.of(
                        pub.get("type"),
                        member(stream, "publish").get("active"),
                        member(stream, "publish").get("cid"),
                        players().get(0).get("type")),
                clientsBody + "\n" + streamsBody);
    }

    @Test
    void oneStreamAndOneClientAreFoundById() {
        Map<String, Object> one = TestJson.object(get("/api/v1/streams/" + stream.get("id")));
        Map<String, Object> client =
                TestJson.object(get("/api/v1/clients/" + clients.get(0).get("id")));
        assertEquals(
                List.of(stream.get("name"), clients.get(0).get("id")),
                List.of(
                        member(one, "stream").get("name"),
                        member(client, "client").get("id")));
    }

    @Test
    void thePlayersDecodedCleanly() {
        assertTrue(players.stream().allMatch(Ffmpeg.PlayResult::decodedCleanly), players::toString);
    }
}
