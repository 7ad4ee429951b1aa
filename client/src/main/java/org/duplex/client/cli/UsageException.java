package org.duplex.client.cli;

/** The command line cannot be carried out as written: the message says why; exit code 2. */
public class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
