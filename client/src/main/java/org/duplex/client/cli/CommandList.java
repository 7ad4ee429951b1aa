package org.duplex.client.cli;

import java.util.Map;
import java.util.stream.Collectors;

import picocli.CommandLine.Help;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The command list of the top-level help: each command with its own options (the inherited connection
 * options and {@code --help} left out) and the first line of its description, all read from the picocli model,
 * so that {@code --help} alone shows how every command is called.
 */
final class CommandList implements IHelpSectionRenderer {

    @Override
    public String render(Help help) {
        if (help.subcommands().isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, Help> command : help.subcommands().entrySet()) {
            Help sub = command.getValue();
            String options = sub.commandSpec().options().stream()
                    .filter(o -> !o.inherited() && !o.usageHelp() && !o.versionHelp() && !o.hidden())
                    .map(CommandList::synopsis)
                    .collect(Collectors.joining(" "));
            text.append("  ").append(command.getKey()).append(options.isEmpty() ? "" : " " + options)
                    .append(System.lineSeparator());
            String[] description = sub.commandSpec().usageMessage().description();
            if (description.length > 0) {
                text.append("      ").append(description[0]).append(System.lineSeparator());
            }
        }
        return text.toString();
    }

    private static String synopsis(OptionSpec option) {
        String text = option.longestName() + (option.arity().max() > 0 ? " " + option.paramLabel() : "");
        return option.required() ? text : "[" + text + "]";
    }
}
