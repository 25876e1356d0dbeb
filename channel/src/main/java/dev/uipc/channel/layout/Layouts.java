package dev.uipc.channel.layout;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/** Helpers the descriptors share. */
final class Layouts {
    private Layouts() {
    }

    static final long PAGE = 4096;
    static final long CACHE_LINE = 64;

    /** A named run of bytes: reserved space and padding. */
    static SequenceLayout bytes(long count, String name) {
        return MemoryLayout.sequenceLayout(count, JAVA_BYTE).withName(name);
    }

    static long offset(StructLayout layout, String field) {
        return layout.byteOffset(groupElement(field));
    }

    static long roundUp(long value, long multiple) {
        return (value + multiple - 1) / multiple * multiple;
    }
}
