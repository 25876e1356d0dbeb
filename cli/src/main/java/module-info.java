/** The {@code uipc} command. */
module dev.uipc.cli {
    requires dev.uipc.channel;
    requires info.picocli;

    opens dev.uipc.cli to info.picocli;
}
