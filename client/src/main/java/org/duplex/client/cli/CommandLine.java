package org.duplex.client.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed {@code duplex-client} command line: the connection options, the command and its options.
 * Options are {@code --name value} or {@code --name=value}; connection options may stand before or
 * after the command, a command's own options only after it. Anything unknown, missing, repeated or out of range is a {@link UsageException}.
 */
public final class CommandLine {

    /** Options that configure the connection, valid with every command. */
    static final Set<String> GLOBAL = Set.of("config", "url", "user", "password-file", "deadline-ms");

    /** A command's options: name -> required?; flags take no value. */
    private record Spec(Map<String, Boolean> valued, Set<String> flags) {
    }

    private static final Map<String, Spec> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("reserve", new Spec(opts("resource", true, "quantity", true, "client", false, "operation", false), Set.of("json")));
        COMMANDS.put("cancel", new Spec(opts("reservation", true, "client", false, "operation", false), Set.of("json")));
        COMMANDS.put("get", new Spec(opts("reservation", true, "client", false), Set.of("json")));
        COMMANDS.put("list", new Spec(opts("client", false), Set.of("json")));
        COMMANDS.put("resources", new Spec(opts(), Set.of("json")));
        COMMANDS.put("create-resource", new Spec(opts("resource", true, "name", true, "capacity", true, "client", false,
                "operation", false), Set.of("json")));
        COMMANDS.put("seed", new Spec(opts("resources", false, "capacity", false), Set.of()));
        COMMANDS.put("primary", new Spec(opts(), Set.of("json")));
        COMMANDS.put("loadgen", new Spec(opts("threads", true, "duration", true, "json", false, "quantity", false,
                "history", false, "cancel-percent", false), Set.of()));
    }

    public static final String USAGE = String.join("\n",
            "usage: java -jar duplex-client.jar [--config FILE] [--url URL[,URL...]] [--user USER]",
            "                                   [--password-file FILE] [--deadline-ms N] COMMAND [options]",
            "commands:",
            "  reserve --resource R --quantity N [--client C] [--operation O] [--json]",
            "  cancel --reservation ID [--client C] [--operation O] [--json]",
            "  get --reservation ID [--client C] [--json]",
            "  list [--client C] [--json]",
            "  resources [--json]",
            "  create-resource --resource R --name NAME --capacity N [--client C] [--operation O] [--json]",
            "  seed [--resources N] [--capacity C]          creates room-1..room-N if missing (default 5, 100000000)",
            "  primary [--json]                             prints the reservation/primary binding",
            "  loadgen --threads N --duration SECONDS [--json FILE] [--quantity Q]",
            "          [--history FILE] [--cancel-percent P]",
            "                                               threads 1..64, duration 1..3600 s; --history writes",
            "                                               every operation and its outcome as JSON Lines;",
            "                                               P% of requests (0..100, default 0) cancel own reservations",
            "config: --config FILE or $DUPLEX_CLIENT_CONFIG, a properties file with bootstrap, user, passwordFile,",
            "        deadlineMs, invocationTimeoutMs, connectTimeoutMs",
            "client ids: user NAME acts for NAME:<anything> only; duplex-client for the ids without ':'",
            "exit codes: 0 done, 1 unexpected failure, 2 usage or configuration error, 3 refused by the service,",
            "            4 gave up (cluster unreachable past the deadline), 5 user or password refused (wrong, or",
            "            the identity locked out after repeated failed logins): never resent");

    private final String command;
    private final Map<String, String> global;
    private final Map<String, String> options;
    private final Set<String> flags;

    private CommandLine(String command, Map<String, String> global, Map<String, String> options, Set<String> flags) {
        this.command = command;
        this.global = Collections.unmodifiableMap(global);
        this.options = Collections.unmodifiableMap(options);
        this.flags = Collections.unmodifiableSet(flags);
    }

    public static CommandLine parse(String... args) throws UsageException {
        String command = null;
        Map<String, String> global = new HashMap<>();
        Map<String, String> options = new HashMap<>();
        Set<String> flags = new HashSet<>();
        // options seen before the command are checked once the command is known
        List<String[]> pending = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                throw new UsageException("help");
            }
            if (!arg.startsWith("--")) {
                if (command != null) {
                    throw new UsageException("unexpected argument '" + arg + "'");
                }
                if (!COMMANDS.containsKey(arg)) {
                    throw new UsageException("unknown command '" + arg + "'");
                }
                command = arg;
                continue;
            }
            String name = arg.substring(2);
            String inline = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                inline = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (name.isEmpty()) {
                throw new UsageException("empty option name in '" + arg + "'");
            }
            if (command == null && !GLOBAL.contains(name)) {
                throw new UsageException(isKnown(name)
                        ? "option --" + name + " must come after the command"
                        : "unknown option --" + name);
            }
            boolean isFlag = command != null && COMMANDS.get(command).flags().contains(name);
            String value = inline;
            if (!isFlag && value == null) {
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    if (GLOBAL.contains(name) || COMMANDS.get(command).valued().containsKey(name)) {
                        throw new UsageException("option --" + name + " needs a value");
                    }
                    throw new UsageException("unknown option --" + name + " for " + command);
                }
                value = args[++i];
            } else if (isFlag && inline != null) {
                throw new UsageException("option --" + name + " takes no value");
            }
            pending.add(new String[] {name, isFlag ? null : value});
        }
        if (command == null) {
            throw new UsageException("no command given");
        }
        Spec spec = COMMANDS.get(command);
        for (String[] opt : pending) {
            String name = opt[0];
            String value = opt[1];
            if (GLOBAL.contains(name)) {
                putOnce(global, name, value);
            } else if (spec.valued().containsKey(name)) {
                if (value == null) {
                    throw new UsageException("option --" + name + " of " + command + " needs a value");
                }
                putOnce(options, name, value);
            } else if (spec.flags().contains(name)) {
                if (value != null) {
                    throw new UsageException("option --" + name + " of " + command + " takes no value");
                }
                if (!flags.add(name)) {
                    throw new UsageException("option --" + name + " given twice");
                }
            } else {
                throw new UsageException("unknown option --" + name + " for " + command);
            }
        }
        for (Map.Entry<String, Boolean> e : spec.valued().entrySet()) {
            if (e.getValue() && !options.containsKey(e.getKey())) {
                throw new UsageException(command + " needs --" + e.getKey());
            }
        }
        return new CommandLine(command, global, options, flags);
    }

    public String command() {
        return command;
    }

    /** A connection option ({@code config}, {@code url}, {@code user}, {@code password-file}, {@code deadline-ms}), or null. */
    public String global(String name) {
        return global.get(name);
    }

    /** A command option's value, or null when it was not given. */
    public String option(String name) {
        return options.get(name);
    }

    public String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    public boolean flag(String name) {
        return flags.contains(name);
    }

    /** A whole-number option within [min, max], or {@code fallback} when absent. */
    public long number(String name, long min, long max, long fallback) throws UsageException {
        String v = options.containsKey(name) ? options.get(name) : global.get(name);
        if (v == null) {
            return fallback;
        }
        return parseNumber(name, v, min, max);
    }

    static long parseNumber(String name, String v, long min, long max) throws UsageException {
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number, not '" + v + "'");
        }
        if (n < min || n > max) {
            throw new UsageException("--" + name + " must be between " + min + " and " + max + ", not " + n);
        }
        return n;
    }

    private static boolean isKnown(String name) {
        return COMMANDS.values().stream().anyMatch(s -> s.flags().contains(name) || s.valued().containsKey(name));
    }

    private static void putOnce(Map<String, String> map, String name, String value) throws UsageException {
        if (map.putIfAbsent(name, value) != null) {
            throw new UsageException("option --" + name + " given twice");
        }
    }

    private static Map<String, Boolean> opts(Object... pairs) {
        Map<String, Boolean> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], (Boolean) pairs[i + 1]);
        }
        return m;
    }
}
