package dev.uipc.cli;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A message's bytes as one line of text: UTF-8 as it is, except that a backslash, control
 * characters and bytes that are not UTF-8 are escaped (\\, \n, \t, \xNN), so every message
 * stays on its own line and binary data survives.
 */
final class MessageText {
    private MessageText() {
    }

    static String line(byte[] data, int length) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer text = decoder.decode(ByteBuffer.wrap(data, 0, length));
            StringBuilder s = new StringBuilder(text.length());
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                switch (c) {
                    case '\\' -> s.append("\\\\");
                    case '\n' -> s.append("\\n");
                    case '\r' -> s.append("\\r");
                    case '\t' -> s.append("\\t");
                    default -> {
                        if (c < 0x20 || c == 0x7f) {
                            s.append(String.format("\\x%02x", (int) c));
                        } else {
                            s.append(c);
                        }
                    }
                }
            }
            return s.toString();
        } catch (CharacterCodingException notUtf8) {
            StringBuilder s = new StringBuilder(length * 2);
            for (int i = 0; i < length; i++) {
                int b = data[i] & 0xff;
                if (b >= 0x20 && b < 0x7f && b != '\\') {
                    s.append((char) b);
                } else {
                    s.append(String.format("\\x%02x", b));
                }
            }
            return s.toString();
        }
    }
}
