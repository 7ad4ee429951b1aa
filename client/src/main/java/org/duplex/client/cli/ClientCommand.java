package org.duplex.client.cli;

import jakarta.ejb.EJBAccessException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.Callable;

import org.duplex.client.AccessRefusedException;
import org.duplex.client.ClientConfig;
import org.duplex.client.DuplexClient;
import org.duplex.client.GaveUpException;
import org.duplex.reservation.api.DuplexException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A command that talks to the cluster: builds the {@link DuplexClient} from the connection options, runs
 * {@link #execute}, and turns what went wrong into the documented exit code ({@link DuplexCli}) and message.
 * Subclasses only call the client and print; they hold no failover logic and catch nothing of their own.
 */
abstract class ClientCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /**
     * Sends the request(s) and prints the answer on {@link #out()}.
     *
     * @throws DuplexException the service refused (exit code 3)
     * @throws IOException a local file could not be written (exit code 1)
     * @throws InterruptedException the run was interrupted (exit code 1)
     */
    abstract void execute(DuplexClient client) throws DuplexException, IOException, InterruptedException;

    /** Whether the answer, and a refusal, are printed as JSON. */
    boolean json() {
        return false;
    }

    final DuplexCli cli() {
        return (DuplexCli) spec.root().userObject();
    }

    final PrintStream out() {
        return cli().out;
    }

    final PrintStream err() {
        return cli().err;
    }

    /** @return the exit code: 0 done, 2 a bad configuration, 3 refused, 4 gave up, 5 login refused, 1 otherwise */
    @Override
    public final Integer call() {
        DuplexClient client;
        try {
            client = new DuplexClient(config());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot read the password file: " + e, e);
        }
        try (client) {
            execute(client);
            return DuplexCli.OK;
        } catch (DuplexException e) {
            return refused(e.code(), e, DuplexCli.REFUSED);
        } catch (AccessRefusedException e) {
            return switch (e.reason()) {
                case AUTHENTICATION -> refused("unauthenticated", e, DuplexCli.UNAUTHENTICATED);
                // the client's own trust is wrong: as final as a wrong password, and with the same exit code
                case UNTRUSTED_CERTIFICATE -> refused("untrusted-certificate", e, DuplexCli.UNAUTHENTICATED);
                case AUTHORISATION -> refused("forbidden", e, DuplexCli.REFUSED);
            };
        } catch (EJBAccessException e) {
            // the user lacks the role (duplex-client asking for an admin operation): refused, like bad input
            return refused("forbidden", e, DuplexCli.REFUSED);
        } catch (GaveUpException e) {
            err().println("duplex-client: " + e.getMessage());
            if (json()) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                out().println(JsonAnswers.error("gave-up", cause, e.getMessage()));
            }
            return DuplexCli.GAVE_UP;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err().println("duplex-client: interrupted");
            return DuplexCli.FAILED;
        } catch (IOException | RuntimeException e) {
            err().println("duplex-client: " + e);
            return DuplexCli.FAILED;
        }
    }

    private ClientConfig config() {
        try {
            return cli().config();
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot read the configuration: " + e, e);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "bad configuration: " + e.getMessage(), e);
        }
    }

    /**
     * Prints a refusal, {@code refused (TYPE): message} or as JSON {@code {"error":{type, exception, message}}}
     * (with {@code user} and {@code node} for an {@link AccessRefusedException}), and returns {@code code}.
     */
    private int refused(String type, Exception e, int code) {
        if (!json()) {
            out().println("refused (" + type + "): " + e.getMessage());
        } else if (e instanceof AccessRefusedException access) {
            out().println(JsonAnswers.accessError(type, access));
        } else {
            out().println(JsonAnswers.error(type, e, e.getMessage()));
        }
        return code;
    }
}
