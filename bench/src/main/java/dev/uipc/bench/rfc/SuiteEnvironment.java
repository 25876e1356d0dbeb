package dev.uipc.bench.rfc;

import dev.uipc.bench.rfc.endpoint.UipcChannels;

import java.nio.file.Path;

/** What every {@link Link} of one run shares: where files go, the uipc registry, the Aeron driver's directory. */
final class SuiteEnvironment {
    private final Path directory;
    private final UipcChannels uipc;
    private final String aeronDirectory;
    private final int aeronTermLength;
    private final int entries;
    private int files;
    private int streams = 1000;

    SuiteEnvironment(Path directory, int entries, int aeronTermLength) {
        this.directory = directory;
        this.uipc = new UipcChannels(directory);
        this.aeronDirectory = directory.resolve("aeron").toString();
        this.aeronTermLength = aeronTermLength;
        this.entries = entries;
    }

    Path directory() {
        return directory;
    }

    UipcChannels uipc() {
        return uipc;
    }

    String aeronDirectory() {
        return aeronDirectory;
    }

    int aeronTermLength() {
        return aeronTermLength;
    }

    /** Ring slots of every shared-memory contender (uipc, the shm ring, Agrona's capacity in messages). */
    int entries() {
        return entries;
    }

    int nextFile() {
        return ++files;
    }

    int nextStream() {
        return ++streams;
    }
}
