/**
 * io_uring and the raw Linux system calls uipc needs, in pure Java.
 *
 * <h2>Where things are</h2>
 * <ul>
 *   <li>{@link dev.uipc.uring.IoUring}: is io_uring usable here, and why not; the full
 *       {@link dev.uipc.uring.Capabilities} report behind {@code uipc uring probe}.</li>
 *   <li>{@link dev.uipc.uring.Ring}, {@link dev.uipc.uring.RingOptions}, {@link dev.uipc.uring.Sqe},
 *       {@link dev.uipc.uring.CompletionHandler}, {@link dev.uipc.uring.Completion}: one ring,
 *       its submission flyweight and its completions.</li>
 *   <li>{@link dev.uipc.uring.Futex}, {@link dev.uipc.uring.FutexVector}, {@link dev.uipc.uring.MemFd},
 *       {@link dev.uipc.uring.PidFd}, {@link dev.uipc.uring.EventFd}, {@link dev.uipc.uring.Pipe},
 *       {@link dev.uipc.uring.Sockets}, {@link dev.uipc.uring.ProcessIdentity}: system calls, each
 *       failure an {@link dev.uipc.uring.ErrnoException} naming its {@link dev.uipc.uring.Errno}.</li>
 *   <li>{@code Native} (package-private): the only class that creates downcall handles or makes
 *       any other restricted call. {@code KernelAbi}: the kernel's structs as layouts.</li>
 * </ul>
 *
 * <h2>Memory ordering</h2>
 * Memory shared with the kernel or another process is read and written through
 * {@link java.lang.invoke.VarHandle}s obtained from {@code ValueLayout.varHandle()}, using the
 * VarHandle verbs as the one vocabulary:
 * <ul>
 *   <li>{@code setRelease} publishes: every store before it is visible to whoever reads the value
 *       with {@code getAcquire} (the SQ tail after writing SQEs; the CQ head after reading CQEs).</li>
 *   <li>{@code getAcquire} consumes: nothing after it is read before it (the CQ tail before the
 *       CQEs; the SQ head before reusing slots).</li>
 *   <li>{@code getOpaque} reads a flag for its current value, ordering nothing (the SQ flags).</li>
 *   <li>{@code VarHandle.fullFence()} orders a store before a later load, which release/acquire
 *       cannot: the store-load (Dekker) pairs such as "publish the SQ tail, then read
 *       NEED_WAKEUP".</li>
 * </ul>
 * Pair each mutating verb with its matching reading verb; every barrier in the code carries one
 * line saying what it makes visible before what.
 *
 * <h2>Threads</h2>
 * A {@link dev.uipc.uring.Ring} belongs to one platform thread; everything else here is
 * thread-safe. Nothing on a submission or completion path allocates.
 */
package dev.uipc.uring;
