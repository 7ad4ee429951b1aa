package org.duplex.client.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import org.duplex.client.ClientConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar duplex-client.jar [connection options] COMMAND [options]}: one request per run
 * (or a bounded load with {@code loadgen}), results on stdout as text or JSON.
 *
 * <p>The connection options ({@code --config}, {@code --url}, {@code --user}, {@code --password-file},
 * {@code --deadline-ms}) may stand before or after the command; a command's own options only after it.
 * Every number is checked against its range while parsing, before anything is sent.
 *
 * <p>Exit codes: {@value #OK} done; {@value #FAILED} unexpected failure; {@value #USAGE} usage or
 * configuration error (message and usage on stderr); {@value #REFUSED} the service refused the
 * request (a typed error on stdout; a missing role or a client id of another user's included);
 * {@value #GAVE_UP} no answer before the deadline (the cluster was unreachable; the outcome of a write
 * is then unknown and it may be resent with the same operation id); {@value #UNAUTHENTICATED} a node
 * refused the user and password (wrong, or the identity locked out there after repeated failed logins),
 * at once and without a resend: nothing was sent. {@code --help} on any command prints its usage on stdout, exit 0.
 */
@Command(name = "duplex-client", scope = ScopeType.INHERIT, sortOptions = false, sortSynopsis = false,
        synopsisHeading = "usage: ", commandListHeading = "commands:%n", usageHelpWidth = 110,
        description = "The failover-aware command-line client of Duplex: reaches the cluster only through JNDI "
                + "(reservation/primary) and remote EJB, and resends with the same operation id until the deadline.",
        subcommands = {ReserveCommand.class, CancelCommand.class, GetCommand.class, ListCommand.class,
                ResourcesCommand.class, CreateResourceCommand.class, SeedCommand.class, PrimaryCommand.class,
                HoldCommand.class, ConfirmCommand.class, ReleaseCommand.class, HoldsCommand.class, LoadgenCommand.class},
        footerHeading = "%n",
        footer = {"config: --config FILE or $DUPLEX_CLIENT_CONFIG, a properties file with bootstrap, user, passwordFile,",
                "        deadlineMs, invocationTimeoutMs, connectTimeoutMs, caCertificate; the options above override it",
                "client ids: user NAME acts for NAME:<anything> only; duplex-client for the ids without ':'"},
        exitCodeListHeading = "exit codes:%n",
        exitCodeList = {"0:done",
                "1:unexpected failure",
                "2:usage or configuration error",
                "3:refused by the service (a typed error: bad input, a missing role, another user's client id)",
                "4:gave up (cluster unreachable past the deadline; resend with the same --operation)",
                "5:user or password refused (wrong, or the identity locked out after repeated failed logins), or the node's "
                        + "TLS certificate not trusted (caCertificate names another CA): never resent"})
public final class DuplexCli implements Callable<Integer> {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int REFUSED = 3;
    public static final int GAVE_UP = 4;
    public static final int UNAUTHENTICATED = 5;

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "print this help and exit")
    boolean help;

    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "the client's properties file (default: $" + ClientConfig.ENV_CONFIG + ", else built-in defaults)")
    String configFile;

    @Option(names = "--url", paramLabel = "URL[,URL...]", scope = ScopeType.INHERIT,
            description = "the nodes to bootstrap from, remote+http://HOST:PORT, comma-separated")
    String urls;

    @Option(names = "--user", paramLabel = "USER", scope = ScopeType.INHERIT, description = "the application user")
    String user;

    @Option(names = "--password-file", paramLabel = "FILE", scope = ScopeType.INHERIT, description = "the user's password")
    Path passwordFile;

    @Option(names = "--deadline-ms", paramLabel = "N", scope = ScopeType.INHERIT, converter = WholeNumber.Positive.class,
            description = "how long a request is resent through failovers before giving up, ms (1 or more)")
    Long deadlineMs;

    @Spec
    CommandSpec spec;

    final PrintStream out;
    final PrintStream err;
    private final Map<String, String> env;

    DuplexCli(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    public static void main(String[] args) {
        if (!Boolean.getBoolean("duplex.client.verbose")) {
            // the client libraries log their versions and every reconnect at INFO through JUL: not for a CLI's stderr
            java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        }
        int code = new DuplexCli(System.out, System.err, System.getenv()).run(args);
        System.out.flush();
        System.exit(code);
    }

    /** Runs one command line; returns the exit code. */
    public int run(String... args) {
        return commandLine().execute(args);
    }

    /** Parses without running: the command chosen and its options, or a {@link ParameterException} (exit code 2). */
    static ParseResult parse(String... args) {
        PrintStream discard = new PrintStream(PrintStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        return new DuplexCli(discard, discard, Map.of()).commandLine().parseArgs(args);
    }

    private CommandLine commandLine() {
        CommandLine cl = new CommandLine(this);
        cl.setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        cl.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, new CommandList());
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine failed = e.getCommandLine();
            // the message and the synopsis; the whole help is one --help away
            CommandLine.Help help = failed.getHelp();
            String heading = help.synopsisHeading();
            failed.getErr().println("duplex-client: " + e.getMessage());
            failed.getErr().print(heading + help.synopsis(heading.length()));
            failed.getErr().println("options and exit codes: " + failed.getCommandSpec().qualifiedName() + " --help");
            return USAGE;
        });
        cl.setExecutionExceptionHandler((e, failed, parsed) -> {
            failed.getErr().println("duplex-client: " + e);
            return FAILED;
        });
        return cl;
    }

    /** Without a command there is nothing to do: a usage error. */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "no command given");
    }

    /**
     * The configuration file (or defaults), then the command-line overrides.
     *
     * @throws IOException the file named cannot be read
     * @throws IllegalArgumentException a value in it, or an override, is not valid
     */
    ClientConfig config() throws IOException {
        ClientConfig config = ClientConfig.resolve(configFile, env);
        if (urls != null) {
            config = config.withBootstrap(ClientConfig.splitUrls(urls));
        }
        if (user != null) {
            config = config.withUser(user);
        }
        if (passwordFile != null) {
            config = config.withPasswordFile(passwordFile);
        }
        if (deadlineMs != null) {
            config = config.withDeadlineMs(deadlineMs);
        }
        return config;
    }
}
