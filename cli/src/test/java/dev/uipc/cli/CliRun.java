package dev.uipc.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the uipc command line: exit status, stdout, stderr. */
record CliRun(int status, String out, String err) {
    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Uipc.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(status, out.toString(), err.toString());
    }

    /** Runs with {@code stdin} as standard input. */
    static CliRun withInput(String stdin, String... args) {
        java.io.InputStream original = System.in;
        System.setIn(new java.io.ByteArrayInputStream(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        try {
            return of(args);
        } finally {
            System.setIn(original);
        }
    }

    @Override
    public String toString() {
        return "exit " + status + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
    }
}
