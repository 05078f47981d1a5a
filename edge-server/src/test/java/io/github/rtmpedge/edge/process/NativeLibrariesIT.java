package io.github.rtmpedge.edge.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar carries the native libraries of both architectures we run on (linux x86_64 and
 * aarch64, the arm64 nodes): our signal library and Netty's epoll transport, each an ELF shared
 * object for the machine its path names, read from the ELF header (e_ident, e_type, e_machine).
 */
class NativeLibrariesIT {

    /** ELF e_machine values (the System V ABI's registry). */
    private static final int EM_X86_64 = 62;

    private static final int EM_AARCH64 = 183;

    @Test
    void bothArchitecturesOfBothLibrariesAreInTheJar() throws IOException {
        EdgeProcess.requireJar();
        Map<String, Integer> expected = new LinkedHashMap<>();
        expected.put("native/linux-x86_64/librtmpedge-signals.so", EM_X86_64);
        expected.put("native/linux-aarch64/librtmpedge-signals.so", EM_AARCH64);
        expected.put("META-INF/native/libnetty_transport_native_epoll_x86_64.so", EM_X86_64);
        expected.put("META-INF/native/libnetty_transport_native_epoll_aarch_64.so", EM_AARCH64);

        Map<String, String> found = new LinkedHashMap<>();
        try (JarFile jar = new JarFile(EdgeProcess.JAR.toFile())) {
            for (String path : expected.keySet()) {
                ZipEntry entry = jar.getEntry(path);
                assertNotNull(entry, () -> path + " is not in " + EdgeProcess.JAR);
                try (InputStream in = jar.getInputStream(entry)) {
                    found.put(path, describe(in.readNBytes(20)));
                }
            }
        }

        Map<String, String> wanted = new LinkedHashMap<>();
        expected.forEach((path, machine) -> wanted.put(path, "ELF64 LSB shared object, e_machine " + machine));
        assertEquals(wanted, found);
    }

    /** The first 20 bytes of an ELF file, as {@code ELF64 LSB shared object, e_machine N}. */
    private static String describe(byte[] header) {
        if (header.length < 20 || header[0] != 0x7f || header[1] != 'E' || header[2] != 'L' || header[3] != 'F') {
            return "not an ELF file";
        }
        boolean little = header[5] == 1; // EI_DATA: ELFDATA2LSB
        int type = u16(header, 16, little);
        int machine = u16(header, 18, little);
        return List.of("?", "ELF32", "ELF64").get(Math.min(header[4], 2)) + (little ? " LSB" : " MSB")
                + (type == 3 ? " shared object" : " type " + type) + ", e_machine " + machine;
    }

    private static int u16(byte[] b, int offset, boolean little) {
        int first = b[offset] & 0xff;
        int second = b[offset + 1] & 0xff;
        return little ? first | second << 8 : first << 8 | second;
    }
}
