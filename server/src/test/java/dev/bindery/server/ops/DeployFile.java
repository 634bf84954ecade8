package dev.bindery.server.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Immutable. A file from {@code deploy/}, read as shipped, with the values a test must change
 * (ports, addresses, paths) replaced. Each replaced text must occur, so that the test and the
 * file cannot drift apart unnoticed.
 */
final class DeployFile {

  /** The repository's deploy/ directory (tests run in the server module). */
  static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();

  private final String name;
  private final String text;

  private DeployFile(String name, String text) {
    this.name = name;
    this.text = text;
  }

  static DeployFile read(String relative) throws IOException {
    return new DeployFile(relative, Files.readString(DEPLOY.resolve(relative)));
  }

  /** Replaces every occurrence of {@code shipped}, which must occur. */
  DeployFile replace(String shipped, String test) {
    if (!text.contains(shipped)) {
      throw new AssertionError(name + " no longer contains: " + shipped);
    }
    return new DeployFile(name, text.replace(shipped, test));
  }

  DeployFile append(String more) {
    return new DeployFile(name, text + "\n" + more + "\n");
  }

  String text() {
    return text;
  }

  Path writeTo(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }
}
