package dev.uipc.channel.delivery;

import dev.uipc.channel.layout.SubscriberDescriptor;
import dev.uipc.channel.memory.ControlHeader;
import dev.uipc.channel.memory.SubscriberTable;
import dev.uipc.uring.ProcessIdentity;

/**
 * Polled liveness: finds subscribers whose process has died by looking in {@code /proc} — a
 * process is dead when no process with its pid and start time exists, so pid reuse cannot fool
 * it — and recovers their rows. Reading {@code /proc} costs microseconds, so
 * {@link #checkIfDue()} runs at most once a millisecond per subscriber, and only when a
 * subscriber is held up.
 */
public final class ProcessReaper implements PeerLiveness {
    static final long INTERVAL_NANOS = 1_000_000;

    private final DeliveryMode mode;
    private final Recovery recovery;
    private final int ownPid = ProcessIdentity.pid();
    private final long ownStartTime = ProcessIdentity.startTime();
    private long lastRun = System.nanoTime() - INTERVAL_NANOS;

    public ProcessReaper(DeliveryMode mode) {
        this.mode = mode;
        this.recovery = new Recovery(mode);
    }

    @Override
    public long pollNanos() {
        return 2 * Receiver.STUCK_NANOS;
    }

    @Override
    public boolean checkIfDue() {
        long now = System.nanoTime();
        if (now - lastRun < INTERVAL_NANOS) {
            return false;
        }
        lastRun = now;
        return reapDead() > 0;
    }

    /**
     * Checks every subscriber's process and reaps the dead; returns how many rows were freed.
     * Every dead row is marked LEAVING before any is recovered, so none of them counts as a live
     * claimant while another's claim is judged.
     */
    public int reapDead() {
        SubscriberTable rows = mode.rows;
        boolean[] dead = null;
        for (int index = 0; index < rows.rows(); index++) {
            int state = rows.stateAcquire(index);
            if (state == SubscriberDescriptor.FREE) {
                continue;
            }
            int pid = rows.pid(index);
            long startTime = rows.startTime(index);
            if (pid <= 0 || (pid == ownPid && startTime == ownStartTime)) {
                continue;                       // being joined (no identity yet), or ourselves
            }
            if (ProcessIdentity.isAlive(pid, startTime)) {
                continue;
            }
            // A LEAVING row of a dead process is one whose recoverer (or itself, detaching) died
            // half-way, or whose claim could not be judged yet: recovery is idempotent, take it over.
            if (state == SubscriberDescriptor.LEAVING || rows.tryBeginLeaving(index, state)) {
                if (dead == null) {
                    dead = new boolean[rows.rows()];
                }
                dead[index] = true;
            }
        }
        if (dead == null) {
            return 0;
        }
        int reaped = 0;
        for (int index = 0; index < dead.length; index++) {
            if (dead[index] && recovery.recover(index)) {
                recovery.free(index);
                mode.control.increment(ControlHeader.Counter.REAPED);
                reaped++;
            }
        }
        return reaped;
    }
}
