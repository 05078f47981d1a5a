package io.github.rtmpedge.edge.upstream;

import io.github.rtmpedge.config.OriginAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns the configured origins into the addresses an upstream tries. A host name is looked up again
 * every time (through the JDK, so its DNS cache and {@code networkaddress.cache.ttl} decide how fresh
 * the answer is), and each of its addresses is an origin of its own: a Kubernetes headless Service
 * over an origin StatefulSet gives one address per origin pod. An IP literal is kept as it is. A name
 * that does not resolve is kept as the name, so that its connect fails, is logged and counted like
 * any unreachable origin, and its prober keeps asking.
 */
final class OriginResolver {

    /** Looks a host name up; the JDK's {@code InetAddress.getAllByName} outside tests. */
    interface Lookup {
        InetAddress[] all(String host) throws UnknownHostException;
    }

    /** The JDK's resolver: honours the JVM's DNS cache. */
    static final Lookup JDK = InetAddress::getAllByName;

    /**
     * Where upstreams look names up, so that a slow DNS server never blocks an event loop (and every
     * connection on it): shared by the edge, two threads at most (the JDK cache answers most lookups
     * at once), which end when idle.
     */
    static final Executor LOOKUPS = lookups();

    private static Executor lookups() {
        AtomicInteger threads = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "origin-lookup-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private final Lookup lookup;

    OriginResolver(Lookup lookup) {
        this.lookup = lookup;
    }

    /** Every address of every configured origin, in configuration order, each once. */
    List<OriginAddress> expand(List<OriginAddress> configured) {
        Set<OriginAddress> out = new LinkedHashSet<>();
        for (OriginAddress origin : configured) {
            out.addAll(expand(origin));
        }
        return new ArrayList<>(out);
    }

    private List<OriginAddress> expand(OriginAddress origin) {
        if (isLiteral(origin.host())) {
            return List.of(origin);
        }
        try {
            List<OriginAddress> addresses = new ArrayList<>();
            for (InetAddress a : lookup.all(origin.host())) {
                addresses.add(new OriginAddress(a.getHostAddress(), origin.port()));
            }
            return addresses.isEmpty() ? List.of(origin) : addresses;
        } catch (UnknownHostException e) {
            return List.of(origin);
        }
    }

    /** An IPv4 or IPv6 literal: nothing to look up (the JDK would not look it up either). */
    static boolean isLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            return true; // only IPv6 literals contain a colon
        }
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                return false;
            }
        }
        return true;
    }
}
