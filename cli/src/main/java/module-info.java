/**
 * The {@code uipc} command: create, use and watch channels from a shell. It exports no API; run
 * it as {@code uipc} (see {@code uipc --help}), or depend on {@code dev.uipc.channel} instead.
 */
module dev.uipc.cli {
    requires dev.uipc.channel;
    requires info.picocli;

    opens dev.uipc.cli to info.picocli;
}
