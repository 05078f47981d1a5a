package io.github.rtmpedge.edge.api;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Who answers the API, SRS's way: every answer carries {@code server} (an id for this server's
 * life), {@code service} (an id for this process) and {@code pid}; {@code /api/v1/versions} and
 * the SRS part of {@code /api/v1/summaries} come from here too.
 */
public final class ServerIdentity {

    private final String version;
    private final String server = "vid-" + randomId(7);
    private final String service = randomId(8);
    private final long pid = ProcessHandle.current().pid();
    private final long startedMillis = System.currentTimeMillis();

    /** {@code version}: ours, {@code major.minor.revision[-suffix]}, or "dev". */
    public ServerIdentity(String version) {
        this.version = version;
    }

    /** The envelope's fields after {@code code}. */
    public Map<String, Object> envelope() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("server", server);
        out.put("service", service);
        out.put("pid", Long.toString(pid));
        return out;
    }

    /** {@code /api/v1/versions}' data: major, minor, revision (0 where ours has none) and the version. */
    public Map<String, Object> versions() {
        String[] parts = version.split("[.-]");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("major", part(parts, 0));
        data.put("minor", part(parts, 1));
        data.put("revision", part(parts, 2));
        data.put("version", version);
        return data;
    }

    /**
     * The SRS fields of {@code /api/v1/summaries}' data: {@code ok}, {@code now_ms}, {@code self}
     * (this process) and {@code system} (the machine, and our connections and bytes).
     */
    public Map<String, Object> summary(int connections, long bytesIn, long bytesOut) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        Runtime runtime = Runtime.getRuntime();
        long usedKbytes = (runtime.totalMemory() - runtime.freeMemory()) / 1024;
        double processCpu = -1;
        double systemCpu = -1;
        long totalKbytes = 0;
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            processCpu = sun.getProcessCpuLoad();
            systemCpu = sun.getCpuLoad();
            totalKbytes = sun.getTotalMemorySize() / 1024;
        }
        Map<String, Object> self = new LinkedHashMap<>();
        self.put("version", version);
        self.put("pid", pid);
        self.put(
                "ppid", ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(0L));
        self.put("argv", ProcessHandle.current().info().commandLine().orElse(""));
        self.put("cwd", System.getProperty("user.dir"));
        self.put("mem_kbyte", usedKbytes);
        self.put("mem_percent", totalKbytes > 0 ? (double) usedKbytes / totalKbytes : 0.0);
        self.put("cpu_percent", processCpu < 0 ? 0.0 : processCpu * os.getAvailableProcessors());
        self.put("srs_uptime", TimeUnit.MILLISECONDS.toSeconds(System.currentTimeMillis() - startedMillis));
        Map<String, Object> system = new LinkedHashMap<>();
        system.put("cpu_percent", systemCpu < 0 ? 0.0 : systemCpu);
        system.put("mem_ram_kbyte", totalKbytes);
        system.put("cpus", os.getAvailableProcessors());
        system.put("cpus_online", os.getAvailableProcessors());
        system.put("load_1m", Math.max(0, os.getSystemLoadAverage()));
        system.put("srs_recv_bytes", bytesIn);
        system.put("srs_send_bytes", bytesOut);
        system.put("conn_srs", connections);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("ok", true);
        data.put("now_ms", System.currentTimeMillis());
        data.put("self", self);
        data.put("system", system);
        return data;
    }

    private static long part(String[] parts, int i) {
        try {
            return i < parts.length ? Long.parseLong(parts[i]) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String randomId(int length) {
        String alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        }
        return out.toString();
    }
}
