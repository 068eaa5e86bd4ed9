package dev.profileops.syncer.verify;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The SSH wire encoding (RFC 4251 section 5): big-endian uint32, length-prefixed strings and mpints.
 * Reading past the end or a length that does not fit throws {@link IllegalArgumentException}.
 */
final class SshWire {
  private SshWire() {}

  /** Reads one value after another from a byte array. */
  static final class Reader {
    private final byte[] buf;
    private int pos;

    Reader(byte[] buf) {
      this.buf = buf;
    }

    int uint32() {
      need(4);
      int v = ((buf[pos] & 0xff) << 24) | ((buf[pos + 1] & 0xff) << 16) | ((buf[pos + 2] & 0xff) << 8)
          | (buf[pos + 3] & 0xff);
      pos += 4;
      return v;
    }

    byte[] bytes(int n) {
      need(n);
      byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
      pos += n;
      return out;
    }

    byte[] string() {
      int n = uint32();
      if (n < 0) {
        throw new IllegalArgumentException("string length out of range");
      }
      return bytes(n);
    }

    String utf8() {
      return new String(string(), StandardCharsets.UTF_8);
    }

    BigInteger mpint() {
      byte[] b = string();
      return b.length == 0 ? BigInteger.ZERO : new BigInteger(b);
    }

    boolean atEnd() {
      return pos == buf.length;
    }

    private void need(int n) {
      if (n < 0 || buf.length - pos < n) {
        throw new IllegalArgumentException("truncated data");
      }
    }
  }

  /** Builds a byte array value by value. */
  static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Writer raw(byte[] b) {
      out.writeBytes(b);
      return this;
    }

    Writer uint32(int v) {
      out.write(v >>> 24);
      out.write(v >>> 16);
      out.write(v >>> 8);
      out.write(v);
      return this;
    }

    Writer string(byte[] b) {
      uint32(b.length);
      return raw(b);
    }

    Writer string(String s) {
      return string(s.getBytes(StandardCharsets.UTF_8));
    }

    byte[] toByteArray() {
      return out.toByteArray();
    }
  }
}
