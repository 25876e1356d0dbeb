package dev.uipc.bench.rfc;

import dev.uipc.bench.rfc.endpoint.AeronIpc;
import dev.uipc.bench.rfc.endpoint.AgronaBuffers;
import dev.uipc.bench.rfc.endpoint.ShmRing;
import dev.uipc.uring.linux.EventFd;
import dev.uipc.uring.linux.OwnedFd;
import dev.uipc.uring.linux.Pipe;
import dev.uipc.uring.linux.Sockets;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What carries one direction of a measurement, made by the coordinator: one sender to
 * {@code receivers} receivers. It owns the descriptors, files and channels, and describes them to
 * the workers as the words {@link Endpoints} reads; the workers take the descriptors with
 * pidfd_getfd(2) while the coordinator still holds them, so the link lives until the measurement
 * ends.
 */
final class Link implements AutoCloseable {
    private final Map<String, String> common = new LinkedHashMap<>();
    private final Map<String, String> sender = new LinkedHashMap<>();
    private final List<Map<String, String>> receivers = new ArrayList<>();
    private final List<AutoCloseable> owned = new ArrayList<>();
    private final List<Path> files = new ArrayList<>();
    private Runnable destroyChannel = () -> { };

    private Link() {
    }

    static Link open(Contender c, int size, int receiverCount, Wait wait, SuiteEnvironment env) {
        Link link = new Link();
        try {
            link.build(c, size, receiverCount, wait, env);
            return link;
        } catch (RuntimeException | Error e) {
            link.close();
            throw e;
        }
    }

    private void build(Contender c, int size, int n, Wait wait, SuiteEnvironment env) {
        Transport t = c.transport();
        common.put("transport", t.id());
        common.put("size", Integer.toString(size));
        common.put("wait", wait.id());
        common.put("inplace", Boolean.toString(c.inPlace()));
        for (int i = 0; i < n; i++) {
            receivers.add(new LinkedHashMap<>());
        }
        int pid = (int) ProcessHandle.current().pid();
        int entries = env.entries();
        switch (t) {
            case PIPE, UNIX_SOCKET -> {
                List<Integer> writeEnds = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    OwnedFd in;
                    OwnedFd out;
                    if (t == Transport.PIPE) {
                        Pipe pipe = Pipe.open(Pipe.CLOEXEC);
                        owned.add(pipe);
                        in = pipe.readEnd();
                        out = pipe.writeEnd();
                    } else {
                        Sockets.Pair pair = Sockets.unixPair(Sockets.SOCK_STREAM);
                        owned.add(pair);
                        in = pair.second();
                        out = pair.first();
                    }
                    writeEnds.add(out.value());
                    receivers.get(i).put("fd", Integer.toString(in.value()));
                }
                common.put("pid", Integer.toString(pid));
                sender.put("fds", join(writeEnds));
            }
            case SHM_EVENTFD -> {
                List<String> paths = new ArrayList<>();
                List<Integer> dataFds = new ArrayList<>();
                List<Integer> spaceFds = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    Path file = newFile(env, "shm", ShmRing.fileSize(entries, size));
                    OwnedFd data = EventFd.create(0, EventFd.CLOEXEC);
                    owned.add(data);
                    OwnedFd space = EventFd.create(0, EventFd.CLOEXEC);
                    owned.add(space);
                    paths.add(file.toString());
                    dataFds.add(data.value());
                    spaceFds.add(space.value());
                    receivers.get(i).put("file", file.toString());
                    receivers.get(i).put("datafd", Integer.toString(data.value()));
                    receivers.get(i).put("spacefd", Integer.toString(space.value()));
                }
                common.put("pid", Integer.toString(pid));
                common.put("entries", Integer.toString(entries));
                sender.put("files", String.join(",", paths));
                sender.put("datafds", join(dataFds));
                sender.put("spacefds", join(spaceFds));
            }
            case UIPC -> {
                long key = env.uipc().create(c.delivery().id(), size, entries, n + 1);
                destroyChannel = () -> env.uipc().destroy(key);
                common.put("socket", env.uipc().socket().toString());
                common.put("key", Long.toString(key));
                sender.put("markers", Integer.toString(c.delivery() == Delivery.MULTICAST ? n : 1));
            }
            case AERON_EXCLUSIVE, AERON_CONCURRENT -> {
                common.put("dir", env.aeronDirectory());
                common.put("channel", AeronIpc.channel(size, env.aeronTermLength()));
                common.put("stream", Integer.toString(env.nextStream()));
            }
            case AGRONA_ONE_TO_ONE, AGRONA_MANY_TO_ONE -> common.put("file",
                    newFile(env, "agrona-ring", AgronaBuffers.ringFileSize(AgronaBuffers.capacity(entries, size))).toString());
            case AGRONA_BROADCAST -> common.put("file",
                    newFile(env, "agrona-broadcast", AgronaBuffers.broadcastFileSize(AgronaBuffers.capacity(entries, size)))
                            .toString());
        }
    }

    private Path newFile(SuiteEnvironment env, String what, long length) {
        Path file = env.directory().resolve(what + "-" + env.nextFile());
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(length);
        } catch (IOException e) {
            throw new UncheckedIOException("could not make " + file, e);
        }
        files.add(file);
        return file;
    }

    private static String join(List<Integer> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** The words a sender's command carries. */
    Map<String, String> senderWords() {
        Map<String, String> words = new LinkedHashMap<>(common);
        words.putAll(sender);
        return words;
    }

    /** The words receiver {@code i}'s command carries. */
    Map<String, String> receiverWords(int i) {
        Map<String, String> words = new LinkedHashMap<>(common);
        words.putAll(receivers.get(i));
        return words;
    }

    @Override
    public void close() {
        destroyChannel.run();
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing what the coordinator owned; the workers have their own copies
            }
        }
        for (Path f : files) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException ignored) {
                // the suite's directory goes at the end anyway
            }
        }
    }
}
