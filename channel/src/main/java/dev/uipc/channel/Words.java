package dev.uipc.channel;

import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The two VarHandles through which every shared word is read and written, with coordinates
 * (segment, byte offset). Call sites use the VarHandle verbs directly (getAcquire, setRelease,
 * getOpaque, compareAndSet, getAndAdd), so the ordering of each access is visible where it
 * happens; see package-info for the vocabulary.
 */
final class Words {
    private Words() {
    }

    static final VarHandle LONG = JAVA_LONG.varHandle();
    static final VarHandle INT = JAVA_INT.varHandle();
}
