package io.github.rtmpedge.edge.security;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed stream tokens: {@code ?expires=<unix seconds>&token=<signature>} in the stream name's
 * query, where signature is the base64url (no padding) HMAC-SHA256, keyed with a configured
 * secret, of the UTF-8 text {@code <app>/<stream>:<expires>}. Any of several secrets verifies (so
 * secrets can be rotated); signatures are compared in constant time.
 */
public final class StreamToken {

    public static final String EXPIRES = "expires";
    public static final String TOKEN = "token";
    private static final String HMAC = "HmacSHA256";

    /** Why a token was refused; the {@code reason} tag of {@code rtmp.auth.rejections}. */
    public enum Failure {
        MISSING,
        EXPIRED,
        BAD_SIGNATURE
    }

    private StreamToken() {}

    /** The query (without '?') that makes {@code app/stream} playable or publishable until {@code expires}. */
    public static String query(String secret, String app, String stream, long expiresEpochSeconds) {
        return EXPIRES + "=" + expiresEpochSeconds + "&" + TOKEN + "=" + sign(secret, app, stream, expiresEpochSeconds);
    }

    /** The signature of {@code app/stream} until {@code expires}, base64url without padding. */
    public static String sign(String secret, String app, String stream, long expiresEpochSeconds) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac(secret, app, stream, expiresEpochSeconds));
    }

    /**
     * Checks the token in {@code query} for {@code app/stream}.
     *
     * @param nowEpochSeconds the current time
     * @param skew            how long after its expiry a token is still accepted
     * @return null if the token is valid, else why not
     */
    public static Failure verify(
            List<String> secrets, String app, String stream, String query, long nowEpochSeconds, Duration skew) {
        Objects.requireNonNull(secrets, "secrets");
        String expiresText = QueryParams.first(query, EXPIRES);
        String token = QueryParams.first(query, TOKEN);
        if (expiresText == null || token == null || token.isEmpty()) {
            return Failure.MISSING;
        }
        long expires;
        try {
            expires = Long.parseLong(expiresText);
        } catch (NumberFormatException e) {
            return Failure.BAD_SIGNATURE; // not something we signed
        }
        // Compared as text in its one canonical encoding, so that no second spelling of a
        // signature (base64 with other unused low bits) is accepted.
        byte[] given = token.getBytes(StandardCharsets.US_ASCII);
        boolean matched = false;
        for (String secret : secrets) {
            // every secret is tried, whatever matched, so the time taken does not tell which one did
            matched |= MessageDigest.isEqual(
                    given, sign(secret, app, stream, expires).getBytes(StandardCharsets.US_ASCII));
        }
        if (!matched) {
            return Failure.BAD_SIGNATURE;
        }
        if (nowEpochSeconds > expires + skew.toSeconds()) {
            return Failure.EXPIRED;
        }
        return null;
    }

    private static byte[] mac(String secret, String app, String stream, long expires) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC));
            return mac.doFinal((app + "/" + stream + ":" + expires).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
        }
    }
}
