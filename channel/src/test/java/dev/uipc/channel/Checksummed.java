package dev.uipc.channel;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

/**
 * Test payloads that prove their own integrity: an 8-byte message number, a 4-byte length,
 * bytes that follow from the number, and a CRC32C of all that. A torn, mixed or truncated
 * message fails {@link #verify}.
 */
final class Checksummed {
    private Checksummed() {
    }

    static final int MIN_SIZE = 16;

    /** Writes message {@code number} of {@code size} bytes (at least 16) into {@code buffer}. */
    static void encode(long number, int size, byte[] buffer) {
        ByteBuffer b = ByteBuffer.wrap(buffer, 0, size);
        b.putLong(number).putInt(size);
        SplittableRandom random = new SplittableRandom(number);
        for (int i = 12; i < size - 4; i++) {
            buffer[i] = (byte) random.nextInt();
        }
        CRC32C crc = new CRC32C();
        crc.update(buffer, 0, size - 4);
        ByteBuffer.wrap(buffer, size - 4, 4).putInt((int) crc.getValue());
    }

    /** The message number, or -1 if the {@code length} bytes are not an intact message. */
    static long verify(byte[] buffer, int length) {
        if (length < MIN_SIZE) {
            return -1;
        }
        ByteBuffer b = ByteBuffer.wrap(buffer, 0, length);
        long number = b.getLong();
        if (b.getInt() != length) {
            return -1;
        }
        CRC32C crc = new CRC32C();
        crc.update(buffer, 0, length - 4);
        if (ByteBuffer.wrap(buffer, length - 4, 4).getInt() != (int) crc.getValue()) {
            return -1;
        }
        SplittableRandom random = new SplittableRandom(number);
        for (int i = 12; i < length - 4; i++) {
            if (buffer[i] != (byte) random.nextInt()) {
                return -1;
            }
        }
        return number;
    }

    /** The size of message {@code number}: varied, from 16 to {@code max}. */
    static int sizeOf(long number, int max) {
        return MIN_SIZE + (int) Long.remainderUnsigned(number * 0x9E3779B97F4A7C15L, max - MIN_SIZE + 1);
    }
}
