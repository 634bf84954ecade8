package dev.bindery.loadtest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Stateless. The load generator's command lines ({@code run}, {@code demo}), made by picocli from
 * one list of flags each: the same syntax everywhere ({@code --flag value} or {@code
 * --flag=value}, {@code -h}/{@code --help}), the same messages for an unknown flag or a missing
 * value, and help generated from the declarations. What a value means is checked by the command
 * itself, which names the flag in its message.
 */
final class Cli {

  /**
   * One flag.
   *
   * @param name        {@code --name}
   * @param label       what its value is, for the help ({@code URL}, {@code N}); null for a
   *                    switch that takes no value
   * @param description what it does and its default
   * @param repeatable  whether it may be given several times, each value kept
   */
  record Flag(String name, String label, String description, boolean repeatable) {

    static Flag of(String name, String label, String description) {
      return new Flag(name, label, description, false);
    }

    static Flag repeatable(String name, String label, String description) {
      return new Flag(name, label, description, true);
    }

    static Flag toggle(String name, String description) {
      return new Flag(name, null, description, false);
    }
  }

  private Cli() {}

  /**
   * The values given, by flag name, in order (a switch's value is {@code "true"}; a flag given
   * twice that is not repeatable keeps the last); null when help was asked for.
   *
   * @throws IllegalArgumentException {@code unknown option: --x} or {@code --x: missing value}
   */
  static Map<String, List<String>> parse(CommandLine command, String... args) {
    ParseResult parsed;
    try {
      parsed = command.parseArgs(args);
    } catch (CommandLine.UnmatchedArgumentException e) {
      throw new IllegalArgumentException("unknown option: " + e.getUnmatched().get(0), e);
    } catch (CommandLine.MissingParameterException e) {
      ArgSpec missing = e.getMissing().get(0);
      String name = missing instanceof OptionSpec o ? o.longestName() : missing.paramLabel();
      throw new IllegalArgumentException(name + ": missing value", e);
    } catch (CommandLine.ParameterException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    if (parsed.isUsageHelpRequested()) {
      return null;
    }
    Map<String, List<String>> values = new LinkedHashMap<>();
    for (OptionSpec option : parsed.matchedOptions()) {
      Object value = option.getValue();
      List<String> list = value instanceof List<?> l
          ? l.stream().map(String::valueOf).toList() : List.of(String.valueOf(value));
      values.put(option.longestName(), list);
    }
    return values;
  }

  /** The command {@code name}: its description lines, then its flags. */
  static CommandLine command(String name, List<String> description, List<Flag> flags) {
    CommandSpec spec = CommandSpec.create().name(name);
    spec.usageMessage().description(description.stream().map(d -> d.replace("%", "%%"))
        .toArray(String[]::new)).width(100);
    spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
        .description("this text").build());
    for (Flag flag : flags) {
      // picocli formats descriptions (String.format): a literal % is %%
      OptionSpec.Builder option = OptionSpec.builder(flag.name())
          .description(flag.description().replace("%", "%%"));
      if (flag.label() == null) {
        option.arity("0").type(boolean.class);
      } else if (flag.repeatable()) {
        option.paramLabel(flag.label()).type(List.class).auxiliaryTypes(String.class);
      } else {
        option.paramLabel(flag.label()).type(String.class);
      }
      spec.addOption(option.build());
    }
    CommandLine command = new CommandLine(spec);
    command.setOverwrittenOptionsAllowed(true); // a flag given twice: the last one counts
    return command;
  }

  /** The help of {@code command}. */
  static String usage(CommandLine command) {
    return command.getUsageMessage(CommandLine.Help.Ansi.OFF);
  }

  /** The last value of {@code flag}, or {@code otherwise}. */
  static String last(Map<String, List<String>> values, String flag, String otherwise) {
    List<String> given = values.get(flag);
    return given == null || given.isEmpty() ? otherwise : given.get(given.size() - 1);
  }
}
