package dev.uipc.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * An array of {@code struct futex_waitv}: the words one thread waits on at once, with
 * {@link Futex#awaitAny} or an io_uring {@link Sqe#futexWaitv}. Each entry is a shared
 * (cross-process) 32-bit word and the value it must still hold for the wait to begin.
 * Reusable: {@link #clear()} and refill, or {@link #expect(int, int)} to update one value.
 */
public final class FutexVector {
    /** {@code FUTEX_WAITV_MAX}. */
    public static final int MAX = 128;

    private final MemorySegment entries;
    private final int capacity;
    private int size;

    /**
     * A vector of up to {@code capacity} words, in memory from {@code arena}.
     *
     * @param arena    where the vector's memory comes from, and how long it lives
     * @param capacity how many words it can hold, 1 to {@link #MAX}
     */
    public FutexVector(Arena arena, int capacity) {
        if (capacity < 1 || capacity > MAX) {
            throw new IllegalArgumentException("a futex vector holds 1 to " + MAX + " words, not " + capacity);
        }
        this.capacity = capacity;
        this.entries = arena.allocate(KernelAbi.FutexWaitv.SIZE * capacity, 8);
    }

    /**
     * Adds the word at {@code offset} in {@code memory}, to be waited on while it holds
     * {@code expected}.
     *
     * @param memory   shared memory holding the 32-bit word
     * @param offset   where the word is in {@code memory}
     * @param expected the value to sleep on
     * @return its index, which {@link Futex#awaitAny} reports when this word wakes
     */
    public int add(MemorySegment memory, long offset, int expected) {
        if (size == capacity) {
            throw new IllegalStateException("futex vector is full (" + capacity + " words)");
        }
        long at = (long) size * KernelAbi.FutexWaitv.SIZE;
        entries.set(JAVA_LONG, at + KernelAbi.FutexWaitv.VAL, Integer.toUnsignedLong(expected));
        entries.set(JAVA_LONG, at + KernelAbi.FutexWaitv.UADDR, Sqe.futexAddress(memory, offset));
        entries.set(JAVA_INT, at + KernelAbi.FutexWaitv.FLAGS, Sqe.FUTEX2_SIZE_U32);
        entries.set(JAVA_INT, at + KernelAbi.FutexWaitv.FLAGS + Integer.BYTES, 0);
        return size++;
    }

    /**
     * Changes the value word {@code index} must hold for a wait to begin.
     *
     * @param index    the word's index, as {@link #add} returned it
     * @param expected the value to sleep on
     */
    public void expect(int index, int expected) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("futex vector has " + size + " words, no index " + index);
        }
        entries.set(JAVA_LONG, (long) index * KernelAbi.FutexWaitv.SIZE + KernelAbi.FutexWaitv.VAL,
                Integer.toUnsignedLong(expected));
    }

    /** Empties the vector, to be filled again for the next wait. */
    public void clear() {
        size = 0;
    }

    /**
     * The words added since the vector was made or cleared.
     *
     * @return how many words {@link Futex#awaitAny} will wait on
     */
    public int size() {
        return size;
    }

    long address() {
        return entries.address();
    }
}
