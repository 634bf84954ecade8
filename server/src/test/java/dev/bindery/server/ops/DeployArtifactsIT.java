package dev.bindery.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.server.config.ServerConfig;
import dev.bindery.server.config.AdminConfig;
import dev.bindery.server.config.ConfigLoader;
import dev.bindery.server.it.ChildProcess;
import dev.bindery.server.it.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The deploy files checked without running them (Kubernetes, Docker, systemd): schema
 * validation, yamllint, docker-compose's own parser, systemd-analyze, and the Dockerfile's run
 * step carried out on the jar the build produced. The image and the compose stack are also
 * built and run, with podman, by {@code .ci/container} after the tests.
 */
class DeployArtifactsIT {

  static final Path DEPLOY = DeployFile.DEPLOY;

  @Test
  void kubernetesManifestsMatchTheKubernetesSchemas() throws Exception {
    Path check = DEPLOY.resolve("k8s/check");
    Assumptions.assumeTrue(ChildProcess.onPath("node"), "node is not installed");
    Assumptions.assumeTrue(Files.isDirectory(check.resolve("node_modules")),
        "run .ci/setup: it installs deploy/k8s/check's schema packages with npm ci");
    ChildProcess node = ChildProcess.start("node", check, List.of("node", "validate.mjs"));
    assertThat(node.waitFor(60)).as(node.outputText()).isZero();
    assertThat(node.outputText()).contains("StatefulSet/bindery valid",
        "Service/bindery-nodes valid",
        "Deployment/bindery-haproxy valid", "ConfigMap/bindery-haproxy valid",
        "Ingress/bindery valid", "PodDisruptionBudget/bindery valid",
        "ServiceMonitor/bindery valid", " 0 failed");
  }

  @Test
  void yamlFilesPassYamllint() throws Exception {
    Assumptions.assumeTrue(ChildProcess.onPath("yamllint"), "yamllint is not installed");
    ChildProcess lint = ChildProcess.start("yamllint", DEPLOY, List.of("yamllint", "-c",
        ".yamllint", "-s", "k8s", "compose", "monitoring", "bindery.yml"));
    assertThat(lint.waitFor(60)).as(lint.outputText()).isZero();
  }

  @Test
  void kubernetesTimingsMatchTheDrainAndTheWait() throws Exception {
    List<Object> docs = yamlDocuments(DEPLOY.resolve("k8s/statefulset.yaml"));
    Map<?, ?> deployment = (Map<?, ?>) docs.get(0);
    Map<?, ?> configMap = (Map<?, ?>) docs.get(1);
    Path config = Files.createTempFile("bindery-k8s", ".yml");
    try {
      Files.writeString(config, (String) ((Map<?, ?>) configMap.get("data")).get("bindery.yml"));
      ServerConfig c = ConfigLoader.load(config, Map.of(), Map.of()); // valid, as the pod reads it
      Map<?, ?> pod = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) deployment.get("spec"))
          .get("template")).get("spec");
      int termination = (Integer) pod.get("terminationGracePeriodSeconds");
      Map<?, ?> container = (Map<?, ?>) ((List<?>) pod.get("containers")).get(0);
      List<?> preStop = (List<?>) ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) container
          .get("lifecycle")).get("preStop")).get("exec")).get("command");
      int preStopSeconds = Integer.parseInt(String.valueOf(preStop.get(1)));
      assertThat(termination).as("terminationGracePeriodSeconds")
          .isGreaterThan(preStopSeconds + (int) c.drain().gracePeriod().toSeconds() + 3);
      String ingress = Files.readString(DEPLOY.resolve("k8s/ingress.yaml"));
      Matcher read = Pattern.compile("proxy-read-timeout: \"(\\d+)\"").matcher(ingress);
      assertThat(read.find()).isTrue();
      assertThat(Integer.parseInt(read.group(1))).isGreaterThan(c.sessionLimits().maxWait() + 30);
      assertThat(ingress).contains("proxy-buffering: \"off\"", "name: bindery-haproxy")
          .doesNotContain("nginx.ingress.kubernetes.io/affinity");
    } finally {
      Files.delete(config);
    }
  }

  /**
   * The in-cluster HAProxy: its backend rules and error pages are the shipped HAProxy file's
   * (which BinderyBehindHaproxyIT runs), one server per pod name, each pod named after itself.
   */
  @Test
  void kubernetesHaproxyRoutesBySidToThePodsLikeTheShippedFile() throws Exception {
    List<Object> docs = yamlDocuments(DEPLOY.resolve("k8s/haproxy.yaml"));
    Map<?, ?> data = (Map<?, ?>) ((Map<?, ?>) docs.get(2)).get("data");
    String cluster = (String) data.get("haproxy.cfg");
    String shipped = DeployFile.read("haproxy/haproxy.cfg").text();
    String rules = shipped.substring(shipped.indexOf("\nbackend bindery\n"),
        shipped.indexOf("    # The server names are"));
    assertThat(cluster).contains(rules);
    for (String page : List.of("bosh-502.http", "bosh-503.http", "bosh-504.http")) {
      assertThat(data.get(page)).as(page)
          .isEqualTo(DeployFile.read("haproxy/errors/" + page).text());
    }
    Map<?, ?> statefulSet = (Map<?, ?>) yamlDocuments(DEPLOY.resolve("k8s/statefulset.yaml"))
        .get(0);
    Map<?, ?> spec = (Map<?, ?>) statefulSet.get("spec");
    int replicas = (Integer) spec.get("replicas");
    for (int i = 0; i < replicas; i++) {
      assertThat(cluster).contains("    server bindery-" + i + " bindery-" + i + "."
          + spec.get("serviceName") + ".");
    }
    String pod = DeployFile.read("k8s/statefulset.yaml").text();
    assertThat(pod).contains("- name: BINDERY_NODE_NAME", "fieldPath: metadata.name");

    Assumptions.assumeTrue(ChildProcess.onPath("haproxy") || Files.isExecutable(
        Path.of("/usr/sbin/haproxy")), "HAProxy is not installed");
    Path dir = Files.createTempDirectory("bindery-k8s-haproxy");
    try {
      for (String page : List.of("bosh-502.http", "bosh-503.http", "bosh-504.http")) {
        Files.writeString(dir.resolve(page), (String) data.get(page));
      }
      Path config = dir.resolve("haproxy.cfg");
      Files.writeString(config, cluster.replace("/etc/haproxy/errors/", dir + "/"));
      String binary = ChildProcess.onPath("haproxy") ? "haproxy" : "/usr/sbin/haproxy";
      ChildProcess check = ChildProcess.start("haproxy-c", dir,
          List.of(binary, "-c", "-f", config.toString()));
      assertThat(check.waitFor(20)).as(check.outputText()).isZero();
    } finally {
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(dir);
    }
  }

  @Test
  void dockerComposeFileIsValidForDockerCompose() throws Exception {
    Assumptions.assumeTrue(ChildProcess.onPath("docker-compose"),
        "docker-compose is not installed");
    ChildProcess compose = ChildProcess.start("docker-compose", DEPLOY.resolve("compose"),
        List.of("docker-compose", "-f", "docker-compose.yml", "config"));
    assertThat(compose.waitFor(60)).as(compose.outputText()).isZero();
    assertThat(compose.outputText()).contains("image: ejabberd/ecs",
        "dockerfile: deploy/docker/Dockerfile",
        "BINDERY_UPSTREAM_ADDRESS: ejabberd:5222");
    Path ejabberd = DEPLOY.resolve("compose/ejabberd.yml");
    assertThat(Files.readString(ejabberd)).contains("starttls_required: false");
  }

  /** The Dockerfile's build output and ENTRYPOINT, run here as the container would. */
  @Test
  void theDockerfilesRunStepServesHealthOnTheJarTheBuildMade() throws Exception {
    String dockerfile = Files.readString(DEPLOY.resolve("docker/Dockerfile"));
    assertThat(dockerfile)
        .contains("RUN mvn -B -DskipTests -pl server -am package")
        .contains("COPY --from=build /src/server/target/bindery.jar /opt/bindery/bindery.jar")
        .contains("COPY deploy/bindery.yml /etc/bindery/bindery.yml")
        .contains("USER 10001:10001")
        .contains("EXPOSE 5280 " + AdminConfig.DEFAULT_PORT)
        .contains("http://127.0.0.1:" + AdminConfig.DEFAULT_PORT + "/health/live")
        .contains("ENTRYPOINT [\"java\", \"-jar\", \"/opt/bindery/bindery.jar\", \"--config\","
            + " \"/etc/bindery/bindery.yml\"]");
    Path jar = Path.of("target", "bindery.jar").toAbsolutePath();
    Assumptions.assumeTrue(Files.exists(jar), "bindery.jar is built by mvn package");
    int port = FreePorts.pick();
    int admin = FreePorts.pick();
    Map<String, String> env = new HashMap<>();
    Matcher envBlock = Pattern.compile("(BINDERY_[A-Z_]+)=(\\S+)").matcher(dockerfile);
    while (envBlock.find()) {
      env.put(envBlock.group(1), envBlock.group(2));
    }
    assertThat(env).containsEntry("BINDERY_ADMIN_BIND", "0.0.0.0");
    // tests bind loopback on free ports: the container's 0.0.0.0:5280 and :9280, here
    env.put("BINDERY_HTTP_BIND", "127.0.0.1");
    env.put("BINDERY_ADMIN_BIND", "127.0.0.1");
    env.put("BINDERY_HTTP_PORT", Integer.toString(port));
    env.put("BINDERY_ADMIN_PORT", Integer.toString(admin));
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-jar", jar.toString(), "--config", DEPLOY.resolve("bindery.yml").toString())
        .redirectErrorStream(true);
    pb.environment().putAll(env);
    Process process = pb.start();
    try {
      long deadline = System.nanoTime() + 20_000_000_000L;
      int status = -1;
      while (status != 200 && System.nanoTime() < deadline && process.isAlive()) {
        try {
          status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + admin + "/health/live")).build(),
              HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
          Thread.sleep(100); // polling the child's health endpoint
        }
      }
      if (status != 200) {
        process.toHandle().destroy();
        process.waitFor();
        throw new AssertionError("no /health/live: " + env + "\n"
            + new String(process.getInputStream().readAllBytes()));
      }
    } finally {
      process.toHandle().destroy();
      process.waitFor();
    }
  }

  @Test
  void systemdUnitPassesSystemdAnalyzeVerify() throws Exception {
    Assumptions.assumeTrue(ChildProcess.onPath("systemd-analyze"), "systemd is not installed");
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/java")),
        "the unit's ExecStart needs /usr/bin/java");
    Path dir = Files.createTempDirectory("bindery-systemd");
    Path unit = Files.copy(DEPLOY.resolve("systemd/bindery.service"), dir.resolve("bindery.service"));
    try {
      ChildProcess verify = ChildProcess.start("systemd-analyze", dir,
          List.of("systemd-analyze", "verify", unit.toString()));
      assertThat(verify.waitFor(60)).as(verify.outputText()).isZero();
      assertThat(verify.outputText()).doesNotContain("bindery.service:");
      String text = Files.readString(unit);
      Matcher stop = Pattern.compile("TimeoutStopSec=(\\d+)").matcher(text);
      assertThat(stop.find()).isTrue();
      assertThat(Integer.parseInt(stop.group(1))).isGreaterThan(30 + 3);
      assertThat(text).contains("NoNewPrivileges=yes", "ProtectSystem=strict", "DynamicUser=yes",
          "ExecReload=/bin/kill -HUP $MAINPID"); // ReloadOnHangupIT: SIGHUP reloads
    } finally {
      Files.delete(unit);
      Files.delete(dir);
    }
  }

  private static List<Object> yamlDocuments(Path file) throws Exception {
    List<Object> docs = new java.util.ArrayList<>();
    new Load(LoadSettings.builder().build()).loadAllFromString(Files.readString(file))
        .forEach(docs::add);
    return docs;
  }
}
