package dev.bindery.server;

import dev.bindery.server.config.ConfigKey;
import dev.bindery.server.config.ConfigLoader;
import dev.bindery.server.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Immutable result of reading the command line: a config file and flag values, which override
 * the file and the environment (see {@link ConfigLoader}). The options are made by picocli from
 * {@link ConfigKey}, where each key's flag, type, default and description are declared once, so
 * the help can never miss a flag or show a stale default. Unknown flags fail with a message that names the flag; invalid
 * values fail in {@link #config} naming the key.
 */
final class Arguments {

  /** What {@code main} is asked to do. */
  enum Action { RUN, HELP, VERSION, COMPLETION }

  private static final String CONFIG = "--config";
  private static final String SET = "--set";
  private static final String COMPLETION = "generate-completion";

  final Action action;
  final Path configFile;
  final Map<ConfigKey<?>, String> flags;

  private Arguments(Action action, Path configFile, Map<ConfigKey<?>, String> flags) {
    this.action = action;
    this.configFile = configFile;
    this.flags = flags;
  }

  /** Reads {@code args}; throws {@link IllegalArgumentException} naming the bad flag. */
  static Arguments parse(String... args) {
    CommandLine command = command();
    ParseResult parsed;
    try {
      parsed = command.parseArgs(args);
    } catch (CommandLine.UnmatchedArgumentException e) {
      throw new IllegalArgumentException(e.getUnmatched().get(0)
          + ": unknown option (see --help)", e);
    } catch (CommandLine.MissingParameterException e) {
      CommandLine.Model.ArgSpec missing = e.getMissing().get(0);
      String name = missing instanceof OptionSpec o ? o.longestName() : missing.paramLabel();
      throw new IllegalArgumentException(name + ": missing value", e);
    } catch (CommandLine.ParameterException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    if (parsed.isUsageHelpRequested()) {
      return new Arguments(Action.HELP, null, Map.of());
    }
    if (parsed.isVersionHelpRequested()) {
      return new Arguments(Action.VERSION, null, Map.of());
    }
    if (parsed.hasSubcommand()) {
      return new Arguments(Action.COMPLETION, null, Map.of());
    }
    Map<ConfigKey<?>, String> flags = new LinkedHashMap<>();
    Path configFile = null;
    for (OptionSpec option : parsed.matchedOptions()) {
      String name = option.longestName();
      if (name.equals(CONFIG)) {
        configFile = Path.of((String) option.getValue());
      } else if (name.equals(SET)) {
        for (String assignment : option.<List<String>>getValue()) {
          set(flags, assignment);
        }
      } else {
        // a list key's flag is given once per item; the items add up
        ConfigKey<?> key = ConfigKey.ofFlag(name).orElseThrow();
        flags.put(key, key.type().isList()
            ? String.join(key.type().separator(), option.<List<String>>getValue())
            : option.getValue());
      }
    }
    return new Arguments(Action.RUN, configFile, flags);
  }

  private static void set(Map<ConfigKey<?>, String> flags, String assignment) {
    int at = assignment.indexOf('=');
    String path = at < 0 ? assignment : assignment.substring(0, at);
    ConfigKey<?> key = ConfigKey.ofPath(path).orElseThrow(() -> new IllegalArgumentException(
        SET + ": unknown key: " + path + " (see docs/configuration.md)"));
    if (at < 0) {
      throw new IllegalArgumentException(SET + ": missing value (expected: " + path + "=VALUE)");
    }
    flags.put(key, assignment.substring(at + 1));
  }

  /** The configuration: defaults, then the file, the environment, and these flags. */
  ServerConfig config(Map<String, String> env) {
    Path file = configFile;
    if (file == null && env.get(ConfigLoader.CONFIG_ENV) != null
        && !env.get(ConfigLoader.CONFIG_ENV).isBlank()) {
      file = Path.of(env.get(ConfigLoader.CONFIG_ENV));
    }
    if (file != null && !Files.isRegularFile(file)) {
      throw new IllegalArgumentException("config file not found: " + file);
    }
    return ConfigLoader.load(file, env, flags);
  }

  /** {@code --help}: every option, its default and its environment variable. */
  static String usage() {
    return command().getUsageMessage(CommandLine.Help.Ansi.OFF);
  }

  /** A bash (and zsh) completion script for {@code bindery}. */
  static String completionScript() {
    return AutoComplete.bash("bindery", command());
  }

  /** The command, made from {@link ConfigKey}: one option per key that has a flag. */
  static CommandLine command() {
    CommandSpec spec = CommandSpec.create().name("bindery")
        .version("bindery " + version());
    spec.usageMessage()
        .description("An XMPP BOSH connection manager (XEP-0124, XEP-0206). Serves BOSH at"
            + " /http-bind on BIND:PORT and relays each session over its own TCP stream to an"
            + " XMPP server; metrics and health on the admin listener.",
            "Each option overrides the config file and the BINDERY_* environment;"
                + " docs/configuration.md lists every key.")
        .footer("", "SIGTERM drains and stops. SIGHUP (or POST /reload on the admin listener)"
            + " reloads the served domains and upstream settings from the same file,"
            + " environment and flags.")
        .width(100);
    spec.mixinStandardHelpOptions(true);
    spec.addOption(OptionSpec.builder(CONFIG).paramLabel("FILE").type(String.class)
        .description("YAML config file (or env " + ConfigLoader.CONFIG_ENV + ")").build());
    for (ConfigKey<?> key : ConfigKey.values()) {
      key.flag().ifPresent(flag -> spec.addOption(option(key, flag)));
    }
    spec.addOption(OptionSpec.builder(SET).paramLabel("KEY=VALUE").type(List.class)
        .auxiliaryTypes(String.class)
        .description("any config key, e.g. --set limits.max-sessions=5000; repeatable").build());
    CommandLine command = new CommandLine(spec);
    command.setOverwrittenOptionsAllowed(true); // a flag given twice: the last one counts
    command.addSubcommand(COMPLETION, new AutoComplete.GenerateCompletion());
    return command;
  }

  private static OptionSpec option(ConfigKey<?> key, String flag) {
    String shown = key.defaultText().isEmpty() ? "none" : key.defaultText();
    String description = key.description() + " (" + key.type().describe() + "; default "
        + shown + "; env " + key.env() + (key.type().isList() ? "; repeatable)" : ")");
    // picocli formats descriptions (String.format): a literal % is %%
    OptionSpec.Builder option = OptionSpec.builder(flag).paramLabel(label(key))
        .description(description.replace("%", "%%"));
    if (key.type().isList()) {
      return option.type(List.class).auxiliaryTypes(String.class).build();
    }
    return option.type(String.class).build();
  }

  /** {@code upstream.address} shows as {@code ADDRESS}. */
  private static String label(ConfigKey<?> key) {
    String path = key.path();
    return path.substring(path.lastIndexOf('.') + 1).toUpperCase(Locale.ROOT);
  }

  private static String version() {
    String v = Arguments.class.getPackage().getImplementationVersion();
    return v == null ? "(development build)" : v;
  }
}
