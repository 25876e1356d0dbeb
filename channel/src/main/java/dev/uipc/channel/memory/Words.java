package dev.uipc.channel.memory;

import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The two VarHandles through which every shared word is read and written, with coordinates
 * (segment, byte offset). Only the flyweights of this package use them, each access inside a
 * method whose name carries its ordering; see package-info for the vocabulary.
 */
final class Words {
    private Words() {
    }

    static final VarHandle LONG = JAVA_LONG.varHandle();
    static final VarHandle INT = JAVA_INT.varHandle();
}
