package io.github.rtmpedge.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address block ({@code 10.0.0.0/8}, {@code 2001:db8::/32}, or a single address,
 * which means /32 or /128). An IPv4-mapped IPv6 peer ({@code ::ffff:10.1.2.3}) matches IPv4
 * blocks, since a dual-stack listener reports IPv4 clients that way.
 *
 * @param network the block's address with the host bits cleared (4 or 16 bytes)
 * @param prefix  the number of leading bits that must match
 */
@SuppressWarnings("ArrayRecordComponent") // the bytes are copied in and never handed out
public record CidrBlock(byte[] network, int prefix) {

    /** Literal addresses only: no host names (a CIDR list must not trigger DNS look-ups). */
    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");
    /** IPv4 in the dotted-quad form only ({@code InetAddress} would also take "10" or "1.2.3"). */
    private static final Pattern DOTTED_QUAD = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    public CidrBlock {
        network = network.clone();
        if (network.length != 4 && network.length != 16) {
            throw new IllegalArgumentException("an address of 4 or 16 bytes");
        }
        if (prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException("a prefix 0.." + network.length * 8);
        }
        mask(network, prefix);
    }

    /**
     * Parses {@code address[/prefix]}.
     *
     * @throws IllegalArgumentException saying what was expected
     */
    public static CidrBlock parse(String text) {
        String expected = "an IPv4 or IPv6 address or CIDR block such as 10.0.0.0/8, 192.168.1.7 or 2001:db8::/32";
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        if (address.isEmpty()
                || !LITERAL.matcher(address).matches()
                || (address.indexOf(':') < 0 && !DOTTED_QUAD.matcher(address).matches())) {
            throw new IllegalArgumentException(expected);
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException | SecurityException e) {
            throw new IllegalArgumentException(expected);
        }
        int max = bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            String bits = trimmed.substring(slash + 1);
            if (!bits.matches("[0-9]{1,3}")) {
                throw new IllegalArgumentException(expected + " (prefix 0.." + max + ")");
            }
            prefix = Integer.parseInt(bits);
            if (prefix > max) {
                throw new IllegalArgumentException(expected + " (prefix 0.." + max + ")");
            }
        }
        return new CidrBlock(bytes, prefix);
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    /** Whether {@code address} lies in this block. */
    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        if (candidate.length == 16 && network.length == 4 && isIpv4Mapped(candidate)) {
            candidate = Arrays.copyOfRange(candidate, 12, 16);
        }
        if (candidate.length != network.length) {
            return false;
        }
        mask(candidate, prefix);
        return Arrays.equals(candidate, network);
    }

    private static boolean isIpv4Mapped(byte[] v6) {
        for (int i = 0; i < 10; i++) {
            if (v6[i] != 0) {
                return false;
            }
        }
        return v6[10] == (byte) 0xFF && v6[11] == (byte) 0xFF;
    }

    private static void mask(byte[] bytes, int prefix) {
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            bytes[i] &= (byte) (0xFF << (8 - keep));
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CidrBlock c && c.prefix == prefix && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefix;
    }

    /** {@code 10.0.0.0/8}, {@code 2001:db8:0:0:0:0:0:0/32}. */
    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress().toLowerCase(Locale.ROOT) + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
