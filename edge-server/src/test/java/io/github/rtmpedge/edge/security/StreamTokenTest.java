package io.github.rtmpedge.edge.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class StreamTokenTest {

    private static final long NOW = 1_800_000_000L;
    private static final Duration SKEW = Duration.ofSeconds(30);

    @Test
    void signatureIsBase64UrlHmacSha256OfAppStreamAndExpiry() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("k1".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(mac.doFinal("live/cam1:1800000060".getBytes(StandardCharsets.UTF_8)));
        assertEquals("expires=1800000060&token=" + expected, StreamToken.query("k1", "live", "cam1", NOW + 60));
    }

    @Test
    void validTokenPassesAmongOtherParameters() {
        String query = "a=1&" + StreamToken.query("k1", "live", "cam1", NOW + 60) + "&b=2";
        assertNull(StreamToken.verify(List.of("k1"), "live", "cam1", query, NOW, SKEW));
    }

    @Test
    void expiredTokenFailsOnlyAfterTheSkew() {
        String query = StreamToken.query("k1", "live", "cam1", NOW - 10);
        assertNull(StreamToken.verify(List.of("k1"), "live", "cam1", query, NOW, SKEW), "10 s late, within 30 s skew");
        assertEquals(
                StreamToken.Failure.EXPIRED,
                StreamToken.verify(List.of("k1"), "live", "cam1", query, NOW, Duration.ZERO));
        assertEquals(
                StreamToken.Failure.EXPIRED,
                StreamToken.verify(List.of("k1"), "live", "cam1", query, NOW + 21, SKEW),
                "31 s late");
    }

    @Test
    void anyConfiguredSecretVerifiesSoSecretsRotate() {
        String byOld = StreamToken.query("old", "live", "cam1", NOW + 60);
        String byNew = StreamToken.query("new", "live", "cam1", NOW + 60);
        assertNull(StreamToken.verify(List.of("new", "old"), "live", "cam1", byOld, NOW, SKEW));
        assertNull(StreamToken.verify(List.of("new", "old"), "live", "cam1", byNew, NOW, SKEW));
        assertEquals(
                StreamToken.Failure.BAD_SIGNATURE,
                StreamToken.verify(List.of("new"), "live", "cam1", byOld, NOW, SKEW),
                "a removed secret no longer verifies");
    }

    @Test
    void tamperingIsABadSignature() {
        String query = StreamToken.query("k1", "live", "cam1", NOW + 60);
        assertEquals(
                StreamToken.Failure.BAD_SIGNATURE,
                StreamToken.verify(List.of("k1"), "live", "cam2", query, NOW, SKEW),
                "another stream");
        assertEquals(
                StreamToken.Failure.BAD_SIGNATURE,
                StreamToken.verify(List.of("k1"), "other", "cam1", query, NOW, SKEW),
                "another app");
        assertEquals(
                StreamToken.Failure.BAD_SIGNATURE,
                StreamToken.verify(
                        List.of("k1"),
                        "live",
                        "cam1",
                        query.replace("expires=" + (NOW + 60), "expires=" + (NOW + 6000)),
                        NOW,
                        SKEW),
                "a later expiry");
        String token = query.substring(query.indexOf("token=") + 6);
        for (int at : new int[] {0, token.length() / 2, token.length() - 1}) {
            char c = token.charAt(at);
            String flipped = token.substring(0, at) + (c == 'A' ? 'B' : 'A') + token.substring(at + 1);
            assertEquals(
                    StreamToken.Failure.BAD_SIGNATURE,
                    StreamToken.verify(List.of("k1"), "live", "cam1", query.replace(token, flipped), NOW, SKEW),
                    "character " + at + " changed");
        }
        assertEquals(
                StreamToken.Failure.BAD_SIGNATURE,
                StreamToken.verify(List.of("k1"), "live", "cam1", "expires=soon&token=" + token, NOW, SKEW));
        assertEquals(
                StreamToken.Failure.BAD_SIGNATURE,
                StreamToken.verify(List.of("k1"), "live", "cam1", "expires=" + (NOW + 60) + "&token=!!!", NOW, SKEW),
                "not base64url");
    }

    @Test
    void missingPartsAreMissing() {
        assertEquals(StreamToken.Failure.MISSING, StreamToken.verify(List.of("k1"), "live", "cam1", "", NOW, SKEW));
        assertEquals(
                StreamToken.Failure.MISSING, StreamToken.verify(List.of("k1"), "live", "cam1", "token=abc", NOW, SKEW));
        assertEquals(
                StreamToken.Failure.MISSING,
                StreamToken.verify(List.of("k1"), "live", "cam1", "expires=" + NOW + "&token=", NOW, SKEW));
    }

    @Test
    void signaturesAreComparedInConstantTime() throws Exception {
        // The comparison is MessageDigest.isEqual (constant time since JDK 6u17); a wrong signature
        // of the right length and one of another length are both plain refusals.
        String source = new String(
                getClass().getResourceAsStream("StreamToken.class").readAllBytes(), StandardCharsets.ISO_8859_1);
        assertTrue(source.contains("isEqual"), "StreamToken compares with MessageDigest.isEqual");
        assertEquals(
                StreamToken.Failure.BAD_SIGNATURE,
                StreamToken.verify(List.of("k1"), "live", "cam1", "expires=" + NOW + "&token=AAAA", NOW, SKEW));
    }
}
