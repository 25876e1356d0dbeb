package dev.uipc.channel.broker;

import dev.uipc.channel.ChannelException;
import dev.uipc.uring.Errno;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The byte encoding of broker requests and replies: little-endian integers and length-prefixed
 * UTF-8 strings, written into a growable array and read back with every length checked, so that
 * a malformed or hostile message is an EPROTO error, never an exception from deep inside.
 */
final class Wire {
    private Wire() {
    }

    /** Appends fields to a byte array. */
    static final class Writer {
        private byte[] bytes = new byte[64];
        private int length;

        private void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }

        Writer u8(int value) {
            ensure(1);
            bytes[length++] = (byte) value;
            return this;
        }

        Writer bool(boolean value) {
            return u8(value ? 1 : 0);
        }

        Writer i32(int value) {
            ensure(4);
            for (int i = 0; i < 4; i++) {
                bytes[length++] = (byte) (value >>> (8 * i));
            }
            return this;
        }

        Writer i64(long value) {
            ensure(8);
            for (int i = 0; i < 8; i++) {
                bytes[length++] = (byte) (value >>> (8 * i));
            }
            return this;
        }

        /** A string of at most 65535 UTF-8 bytes (longer ones are cut). */
        Writer string(String value) {
            byte[] utf8 = value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
            int n = Math.min(utf8.length, 0xffff);
            ensure(2 + n);
            bytes[length++] = (byte) n;
            bytes[length++] = (byte) (n >>> 8);
            System.arraycopy(utf8, 0, bytes, length, n);
            length += n;
            return this;
        }

        int length() {
            return length;
        }

        byte[] toBytes() {
            return Arrays.copyOf(bytes, length);
        }
    }

    /** Reads fields from a message, checking that each is there. */
    static final class Reader {
        private final byte[] bytes;
        private int at;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        private void need(int n) {
            if (n < 0 || at + n > bytes.length) {
                throw malformed("it ends after " + bytes.length + " bytes, in the middle of a field");
            }
        }

        int u8() {
            need(1);
            return bytes[at++] & 0xff;
        }

        boolean bool() {
            return u8() != 0;
        }

        int i32() {
            need(4);
            int value = 0;
            for (int i = 0; i < 4; i++) {
                value |= (bytes[at++] & 0xff) << (8 * i);
            }
            return value;
        }

        long i64() {
            need(8);
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value |= (bytes[at++] & 0xffL) << (8 * i);
            }
            return value;
        }

        String string() {
            need(2);
            int n = (bytes[at] & 0xff) | (bytes[at + 1] & 0xff) << 8;
            at += 2;
            need(n);
            String s = new String(bytes, at, n, StandardCharsets.UTF_8);
            at += n;
            return s;
        }

        /** A count of items that are each at least {@code minBytes} long, checked against what is left. */
        int count(int minBytes) {
            int n = i32();
            if (n < 0 || (long) n * minBytes > bytes.length - at) {
                throw malformed("it announces " + n + " items that cannot fit in what is left");
            }
            return n;
        }

        /** Fails unless every byte was read: trailing bytes mean the two sides disagree on the format. */
        void end() {
            if (at != bytes.length) {
                throw malformed("it has " + (bytes.length - at) + " bytes more than its fields");
            }
        }
    }

    static ChannelException malformed(String why) {
        return new ChannelException(Errno.EPROTO, "a malformed broker message: " + why
                + "; the broker and this uipc may be different versions");
    }
}
