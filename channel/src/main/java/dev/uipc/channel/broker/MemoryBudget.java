package dev.uipc.channel.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How much memory the broker may still take for a channel, as far as the kernel says: the
 * memory the system has available, and the room left under every memory cgroup limit above
 * this process. A memfd lives in the kernel's own tmpfs, which has no size of its own, so what
 * runs out is memory — and allocating past a cgroup's limit does not fail, it wakes the OOM
 * killer, which would take the broker and every channel with it. So a channel that would not
 * fit is refused before a page is allocated.
 */
final class MemoryBudget {
    private MemoryBudget() {
    }

    /** Kept free besides what a channel needs: the broker's own heap and whatever else shares the cgroup. */
    static final long MARGIN = 32L << 20;

    /** Bytes that may still be allocated: the smallest room found, or {@code Long.MAX_VALUE} if none is known. */
    static long available() {
        long room = systemAvailable();
        for (Path group : memoryCgroups()) {
            room = Math.min(room, cgroupRoom(group));
        }
        return room;
    }

    /** MemAvailable plus free swap (shared memory may be swapped out), from /proc/meminfo. */
    private static long systemAvailable() {
        try {
            long available = -1;
            long swap = 0;
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    available = kilobytes(line);
                } else if (line.startsWith("SwapFree:")) {
                    swap = kilobytes(line);
                }
            }
            return available < 0 ? Long.MAX_VALUE : available + swap;
        } catch (IOException | RuntimeException e) {
            return Long.MAX_VALUE;
        }
    }

    private static long kilobytes(String line) {
        String[] f = line.trim().split("\\s+");
        return Long.parseLong(f[1]) * 1024;
    }

    /**
     * The memory cgroup directories of this process and of each ancestor (limits nest): from
     * {@code /proc/self/cgroup}, under the v1 memory hierarchy or the v2 unified one, wherever
     * {@code /proc/self/mountinfo} says they are mounted.
     */
    private static List<Path> memoryCgroups() {
        try {
            Path v1 = null;
            Path v2 = null;
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] halves = line.split(" - ", 2);
                if (halves.length < 2) {
                    continue;
                }
                String[] before = halves[0].split(" ");
                String[] after = halves[1].split(" ");
                if (after[0].equals("cgroup2")) {
                    v2 = Path.of(before[4]);
                } else if (after[0].equals("cgroup") && after.length > 2 && (" " + after[2].replace(',', ' ') + " ")
                        .contains(" memory ")) {
                    v1 = Path.of(before[4]);
                }
            }
            List<Path> groups = new java.util.ArrayList<>();
            for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
                String[] f = line.split(":", 3);
                if (f.length < 3) {
                    continue;
                }
                Path base = f[1].isEmpty() ? v2 : (" " + f[1].replace(',', ' ') + " ").contains(" memory ") ? v1 : null;
                if (base == null) {
                    continue;
                }
                for (Path p = base.resolve(f[2].substring(1)); p.startsWith(base); p = p.getParent()) {
                    groups.add(p);
                    if (p.equals(base)) {
                        break;
                    }
                }
            }
            return groups;
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** Room left under one cgroup's limit: the limit less what is charged, reclaimable file cache counted free. */
    private static long cgroupRoom(Path group) {
        try {
            boolean v2 = Files.exists(group.resolve("memory.max"));
            String limitText = read(group, v2 ? "memory.max" : "memory.limit_in_bytes");
            if (limitText == null || limitText.equals("max")) {
                return Long.MAX_VALUE;
            }
            long limit = Long.parseLong(limitText);
            if (limit >= Long.MAX_VALUE / 2) {
                return Long.MAX_VALUE;                   // v1's "no limit" is a huge page-rounded number
            }
            long usage = Long.parseLong(read(group, v2 ? "memory.current" : "memory.usage_in_bytes"));
            long reclaimable = 0;
            String wanted = v2 ? "inactive_file " : "total_inactive_file ";
            for (String line : Files.readAllLines(group.resolve("memory.stat"))) {
                if (line.startsWith(wanted)) {
                    reclaimable = Long.parseLong(line.substring(wanted.length()).trim());
                }
            }
            return Math.max(0, limit - usage + reclaimable);
        } catch (IOException | RuntimeException e) {
            return Long.MAX_VALUE;
        }
    }

    private static String read(Path group, String file) throws IOException {
        Path p = group.resolve(file);
        return Files.exists(p) ? Files.readString(p).trim() : null;
    }
}
