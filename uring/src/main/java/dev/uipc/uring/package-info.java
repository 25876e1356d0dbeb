/**
 * io_uring and futexes in pure Java, for anyone who needs them; the module's other packages
 * are for uipc's own modules ({@code dev.uipc.uring.linux}) and for no one
 * ({@code dev.uipc.uring.ffm}).
 *
 * <h2>Where things are</h2>
 * <ul>
 *   <li>{@link dev.uipc.uring.IoUring}: is io_uring usable here, and why not, with the exact
 *       {@code --enable-native-access} flag when that is what is missing.
 *       {@link dev.uipc.uring.Capabilities#survey()}: the full report behind
 *       {@code uipc uring probe}, whose self-checks live in {@code CapabilitySurvey}.</li>
 *   <li>{@link dev.uipc.uring.Ring}, {@link dev.uipc.uring.RingOptions}: one ring and how to
 *       create it. Its two queues are package-private, split as the kernel splits them:
 *       {@code SubmissionQueue} (claim entries, publish the tail) and {@code CompletionQueue}
 *       (read entries, release the head).</li>
 *   <li>{@link dev.uipc.uring.Sqe}: the submission flyweight, one method per operation;
 *       {@link dev.uipc.uring.DriverCommand}, {@link dev.uipc.uring.CommandFields} and
 *       {@link dev.uipc.uring.SocketCommand} for commands to a file's driver (URING_CMD).</li>
 *   <li>{@link dev.uipc.uring.CompletionHandler}, {@link dev.uipc.uring.Completion}: completions
 *       as primitives, or copied into a holder the caller owns.</li>
 *   <li>{@link dev.uipc.uring.Futex}, {@link dev.uipc.uring.FutexVector}: the futex system calls
 *       on words shared between processes.</li>
 *   <li>{@link dev.uipc.uring.Errno}, {@link dev.uipc.uring.ErrnoException}: every failure names
 *       its errno and what failed.</li>
 *   <li>{@link dev.uipc.uring.ProcessIdentity}, {@link dev.uipc.uring.KernelVersion}: who this
 *       process is, and which kernel runs it.</li>
 *   <li>Constants, each pinned to the uapi header: {@link dev.uipc.uring.SetupFlag},
 *       {@link dev.uipc.uring.SqeFlag}, {@link dev.uipc.uring.CqeFlag},
 *       {@link dev.uipc.uring.Feature}, {@link dev.uipc.uring.Opcode}; {@link dev.uipc.uring.Probe}
 *       says which opcodes this kernel supports.</li>
 *   <li>{@code KernelAbi} (package-private): the kernel's structs as layouts, pinned by
 *       {@code KernelAbiTest}.</li>
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
