package io.github.rtmpedge.edge.security;

import io.github.rtmpedge.config.SecurityConfig;
import io.github.rtmpedge.edge.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SRS-style HTTP hooks over the JDK's asynchronous {@link HttpClient}: nothing here blocks the
 * caller. A decision POSTs the event to each URL in turn and allows only if all allow; a
 * notification POSTs to every URL and ignores the answers. URLs are logged without user info or
 * query, and the body (whose {@code param} may hold a token) is never logged.
 */
public final class HttpHooks {

    private static final Logger log = LoggerFactory.getLogger(HttpHooks.class);
    private static final Object LOCK = new Object();
    private static HttpClient client;

    private HttpHooks() {}

    /** One client for the JVM, made on first use (its selector thread is shared by every server). */
    private static HttpClient client() {
        synchronized (LOCK) {
            if (client == null) {
                client = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
            }
            return client;
        }
    }

    /**
     * Asks every URL in turn; completes (on an HTTP client thread) with the first refusal or with
     * {@link Verdict#ALLOW}. A failed or timed-out hook refuses unless {@code failOpen}.
     */
    public static CompletableFuture<Verdict> decide(
            List<URI> urls, HookEvent event, Duration timeout, boolean failOpen) {
        CompletableFuture<Verdict> verdict = CompletableFuture.completedFuture(Verdict.ALLOW);
        String body = Json.write(event.toJson());
        for (URI url : urls) {
            verdict = verdict.thenCompose(
                    v -> v.allowed() ? ask(url, body, event, timeout, failOpen) : CompletableFuture.completedFuture(v));
        }
        return verdict;
    }

    /** Tells every URL, without waiting for or using the answers. */
    public static void notify(List<URI> urls, HookEvent event, Duration timeout) {
        String body = Json.write(event.toJson());
        for (URI url : urls) {
            post(url, body, timeout).whenComplete((response, failure) -> {
                if (failure != null) {
                    log.warn("hook {} for {} failed: {}", SecurityConfig.printable(url), event, describe(failure));
                } else if (response.statusCode() != 200) {
                    log.warn(
                            "hook {} for {} answered HTTP {}",
                            SecurityConfig.printable(url),
                            event,
                            response.statusCode());
                }
            });
        }
    }

    private static CompletableFuture<Verdict> ask(
            URI url, String body, HookEvent event, Duration timeout, boolean failOpen) {
        return post(url, body, timeout).handle((response, failure) -> {
            String where = SecurityConfig.printable(url);
            if (failure == null) {
                if (HookAnswer.allows(response.statusCode(), response.body())) {
                    return Verdict.ALLOW;
                }
                return Verdict.refuse(
                        AuthReason.HOOK_DENIED,
                        "hook " + where + " answered HTTP " + response.statusCode() + " "
                                + abbreviate(response.body()));
            }
            Throwable cause = unwrap(failure);
            boolean timedOut = cause instanceof HttpTimeoutException || cause instanceof TimeoutException;
            if (failOpen) {
                log.warn(
                        "hook {} for {} failed ({}); allowed because security.hook_fail_open = on",
                        where,
                        event,
                        describe(cause));
                return Verdict.ALLOW;
            }
            return Verdict.refuse(
                    timedOut ? AuthReason.HOOK_TIMEOUT : AuthReason.HOOK_ERROR,
                    "hook " + where + " failed: " + describe(cause));
        });
    }

    private static CompletableFuture<HttpResponse<String>> post(URI url, String body, Duration timeout) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(url)
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                    .build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        // The request timeout covers the response headers; this one also covers the body.
        return client().sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String describe(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
            return "timed out";
        }
        return cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + QueryParams.redact(cause.getMessage()));
    }

    private static String abbreviate(String body) {
        String oneLine = body == null ? "" : body.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 80 ? oneLine : oneLine.substring(0, 80) + "…";
    }
}
