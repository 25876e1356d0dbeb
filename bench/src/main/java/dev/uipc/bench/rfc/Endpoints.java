package dev.uipc.bench.rfc;

import dev.uipc.bench.rfc.endpoint.AeronIpc;
import dev.uipc.bench.rfc.endpoint.AgronaBuffers;
import dev.uipc.bench.rfc.endpoint.FdStream;
import dev.uipc.bench.rfc.endpoint.Receiver;
import dev.uipc.bench.rfc.endpoint.Sender;
import dev.uipc.bench.rfc.endpoint.ShmRing;
import dev.uipc.bench.rfc.endpoint.UipcReceiver;
import dev.uipc.bench.rfc.endpoint.UipcSender;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Opens, in a worker, the end a command describes. The coordinator's {@link Link} wrote the
 * description; the two sides of each transport's words are read here and nowhere else.
 */
final class Endpoints {
    private Endpoints() {
    }

    static Sender sender(Args a) {
        Transport transport = Transport.parse(a.get("transport"));
        int size = a.getInt("size");
        String wait = a.get("wait");
        return switch (transport) {
            case PIPE, UNIX_SOCKET -> new FdStream.FdSender(a.getInt("pid"), a.getInts("fds"), size);
            case SHM_EVENTFD -> new ShmRing.RingSender(paths(a.getList("files")), a.getInt("entries"), size,
                    a.getInt("pid"), a.getInts("datafds"), a.getInts("spacefds"), Wait.parse(wait).spinNanos());
            case UIPC -> new UipcSender(Path.of(a.get("socket")), a.getLong("key"), wait, size, a.getInt("markers"));
            case AERON_EXCLUSIVE, AERON_CONCURRENT -> new AeronIpc.AeronSender(a.get("dir"), a.get("channel"),
                    a.getInt("stream"), transport == Transport.AERON_EXCLUSIVE, wait, size);
            case AGRONA_ONE_TO_ONE, AGRONA_MANY_TO_ONE -> new AgronaBuffers.RingSender(Path.of(a.get("file")),
                    transport == Transport.AGRONA_MANY_TO_ONE, wait, size);
            case AGRONA_BROADCAST -> new AgronaBuffers.BroadcastSender(Path.of(a.get("file")), size);
        };
    }

    static Receiver receiver(Args a) {
        Transport transport = Transport.parse(a.get("transport"));
        int size = a.getInt("size");
        String wait = a.get("wait");
        boolean inPlace = a.getBoolean("inplace");
        return switch (transport) {
            case PIPE, UNIX_SOCKET -> new FdStream.FdReceiver(a.getInt("pid"), a.getInt("fd"), size);
            case SHM_EVENTFD -> new ShmRing.RingReceiver(Path.of(a.get("file")), a.getInt("entries"), size,
                    a.getInt("pid"), a.getInt("datafd"), a.getInt("spacefd"), Wait.parse(wait).spinNanos());
            case UIPC -> new UipcReceiver(Path.of(a.get("socket")), a.getLong("key"), wait, size, inPlace);
            case AERON_EXCLUSIVE, AERON_CONCURRENT -> new AeronIpc.AeronReceiver(a.get("dir"), a.get("channel"),
                    a.getInt("stream"), wait, size, inPlace);
            case AGRONA_ONE_TO_ONE, AGRONA_MANY_TO_ONE -> new AgronaBuffers.RingReceiver(Path.of(a.get("file")),
                    transport == Transport.AGRONA_MANY_TO_ONE, wait, size, inPlace);
            case AGRONA_BROADCAST -> new AgronaBuffers.BroadcastReceiverEnd(Path.of(a.get("file")), wait, size);
        };
    }

    private static Path[] paths(String[] names) {
        return Arrays.stream(names).map(Path::of).toArray(Path[]::new);
    }
}
