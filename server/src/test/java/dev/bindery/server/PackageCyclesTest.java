package dev.bindery.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No two of Bindery's packages depend on each other, directly or around a loop: each layer can
 * be read, tested and replaced on its own (the session core does not know the servlet, the
 * configuration does not know the server that uses it). Read from the compiled classes with the
 * JDK's {@code jdeps}.
 */
class PackageCyclesTest {

  /** {@code   dev.bindery.a   -> dev.bindery.b   module} lines of {@code jdeps -verbose:package}. */
  private static final Pattern EDGE =
      Pattern.compile("^\\s+(dev\\.bindery\\.[\\w.]+)\\s+->\\s+(dev\\.bindery\\.[\\w.]+)\\s",
          Pattern.MULTILINE);

  /** The server's classes, and the protocol module's, which the reactor builds first. */
  @ParameterizedTest
  @ValueSource(strings = {"target/classes", "../protocol/target/classes"})
  void packagesFormNoCycle(String classes) {
    Path dir = Path.of(classes);
    assertThat(dir).as("compiled before the server's tests run").isDirectory();
    Map<String, Set<String>> graph = dependencies(dir);
    assertThat(graph).as("packages found in " + classes).isNotEmpty();

    assertThat(cycles(graph)).as("package cycles in " + classes + " (graph: " + graph + ")")
        .isEmpty();
  }

  @Test
  void aCycleIsFound() {
    Map<String, Set<String>> graph = new TreeMap<>(Map.of(
        "a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a")));

    assertThat(cycles(graph)).containsExactly(new TreeSet<>(Set.of("a", "b", "c")));
  }

  private static Map<String, Set<String>> dependencies(Path classes) {
    ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
    StringWriter out = new StringWriter();
    int status = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:package",
        "-filter:none", classes.toString());
    assertThat(status).as(out.toString()).isZero();
    Map<String, Set<String>> graph = new TreeMap<>();
    Matcher m = EDGE.matcher(out.toString());
    while (m.find()) {
      Set<String> targets = graph.computeIfAbsent(m.group(1), k -> new TreeSet<>());
      if (!m.group(1).equals(m.group(2))) {
        targets.add(m.group(2));
      }
    }
    return graph;
  }

  /** The strongly connected components of more than one package (Tarjan's algorithm). */
  static List<Set<String>> cycles(Map<String, Set<String>> graph) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new HashSet<>();
    List<Set<String>> found = new ArrayList<>();
    for (String v : graph.keySet()) {
      if (!index.containsKey(v)) {
        connect(v, graph, index, low, stack, onStack, found);
      }
    }
    return found;
  }

  private static void connect(String v, Map<String, Set<String>> graph,
      Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
      Set<String> onStack, List<Set<String>> found) {
    index.put(v, index.size());
    low.put(v, index.get(v));
    stack.push(v);
    onStack.add(v);
    for (String w : graph.getOrDefault(v, Set.of())) {
      if (!index.containsKey(w)) {
        connect(w, graph, index, low, stack, onStack, found);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      Set<String> component = new TreeSet<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        component.add(w);
      } while (!w.equals(v));
      if (component.size() > 1) {
        found.add(component);
      }
    }
  }
}
