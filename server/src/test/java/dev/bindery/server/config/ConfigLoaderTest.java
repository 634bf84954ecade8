package dev.bindery.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import dev.bindery.server.upstream.Endpoint;
import dev.bindery.server.upstream.TlsMode;
import dev.bindery.server.upstream.UpstreamPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  /** The documented example, relative to the server module where tests run. */
  static final Path EXAMPLE = Path.of("..", "deploy", "bindery.yml");

  @TempDir
  Path dir;

  @Test
  void withNothingConfiguredTheExecutableDefaultsApply() {
    ServerConfig c = ConfigLoader.load(null, Map.of(), Map.of());

    assertThat(c.http().bind()).isEqualTo("127.0.0.1");
    assertThat(c.http().port()).isEqualTo(5280);
    assertThat(c.admin()).isEqualTo(new AdminConfig("127.0.0.1", 9280));
    assertThat(c.upstream().find("localhost").fixed())
        .isEqualTo(new Endpoint("127.0.0.1", 5222));
    assertThat(c.domains()).containsExactly("localhost");
    assertThat(c.http().allowedOrigins()).containsExactly("*");
    assertThat(c.sessionLimits().maxWait()).isEqualTo(60);
    assertThat(c.sessionLimits().accept())
        .isEqualTo(ServerConfig.defaults().sessionLimits().accept());
    assertThat(c.bodyLimits().maxBytes()).isEqualTo(1_048_576);
    assertThat(c.admission()).isEqualTo(AdmissionLimits.DEFAULTS);
    assertThat(c.drain()).isEqualTo(new DrainConfig(Duration.ofSeconds(30), null));
    assertThat(c.log()).isEqualTo(LogConfig.DEFAULTS);
    assertThat(c.http().trustedProxies()).containsExactly("127.0.0.0/8", "::1");
  }

  @Test
  void theExampleFileSetsEveryKeyToItsDefault() {
    assertThat(YamlConfigFile.read(EXAMPLE).keySet())
        .containsExactlyInAnyOrderElementsOf(ConfigKey.values());
    assertThat(ConfigLoader.load(EXAMPLE, Map.of(), Map.of()))
        .isEqualTo(ConfigLoader.load(null, Map.of(), Map.of()));
  }

  @Test
  void everyDefaultIsValidAsText() {
    // the defaults go through the same parsing as any file, environment or flag value
    for (ConfigKey<?> key : ConfigKey.values()) {
      Map<ConfigKey<?>, String> flags = Map.of(key, key.defaultText());
      assertThat(ConfigLoader.load(null, Map.of(), flags)).as(key.path())
          .isEqualTo(ConfigLoader.load(null, Map.of(), Map.of()));
    }
  }

  @Test
  void environmentOverridesTheFileAndFlagsOverrideTheEnvironment() throws IOException {
    Path file = write("""
        http:
          port: 6000
          bind: 0.0.0.0
        admin:
          port: 6001
        """);

    ServerConfig fileOnly = ConfigLoader.load(file, Map.of(), Map.of());
    ServerConfig withEnv = ConfigLoader.load(file, Map.of("BINDERY_HTTP_PORT", "7000"), Map.of());
    ServerConfig withFlag = ConfigLoader.load(file, Map.of("BINDERY_HTTP_PORT", "7000"),
        Map.of(ConfigKey.HTTP_PORT, "8000"));

    assertThat(fileOnly.http().port()).isEqualTo(6000);
    assertThat(fileOnly.http().bind()).isEqualTo("0.0.0.0");
    assertThat(fileOnly.admin().port()).isEqualTo(6001);
    assertThat(withEnv.http().port()).isEqualTo(7000);
    assertThat(withEnv.http().bind()).isEqualTo("0.0.0.0");
    assertThat(withFlag.http().port()).isEqualTo(8000);
  }

  @Test
  void domainsArePlainNamesOrServerRoutesWithTheirOwnKeys() throws IOException {
    Path file = write("""
        upstream:
          address: xmpp.internal:5222
          connect-timeout: 3s
        domains:
          - localhost
          - name: Example.COM
            address: "[::1]:5223"
            tls: direct
            allow-private-addresses: true
            route: [a.example:5222, b.example:5222]
        servers:
          - "other.example,tls=optional"
        """);

    ServerConfig c = ConfigLoader.load(file, Map.of(), Map.of());

    assertThat(c.domains()).containsExactly("localhost", "example.com", "other.example");
    UpstreamPolicy policy = c.upstream();
    assertThat(policy.find("localhost").fixed()).isEqualTo(new Endpoint("xmpp.internal", 5222));
    assertThat(policy.find("localhost").tls()).isEqualTo(TlsMode.NONE);
    assertThat(policy.find("example.com").fixed()).isEqualTo(new Endpoint("::1", 5223));
    assertThat(policy.find("example.com").tls()).isEqualTo(TlsMode.DIRECT);
    assertThat(policy.find("example.com").allowedRoutes()).hasSize(2);
    assertThat(policy.find("other.example").usesSrv()).isTrue();
    assertThat(policy.limits().connectTimeoutMillis()).isEqualTo(3000);
  }

  @Test
  void domainsMayAllBeMappings() throws IOException {
    Path file = Files.writeString(dir.resolve("bindery.yml"), """
        domains:
          - name: example.com
          - {name: chat.example, address: "xmpp.example:5222"}
        """);

    ServerConfig c = ConfigLoader.load(file, Map.of(), Map.of());

    assertThat(c.domains()).containsExactly("example.com", "chat.example");
    assertThat(c.upstream().find("chat.example").fixed())
        .isEqualTo(new Endpoint("xmpp.example", 5222));
  }

  @Test
  void serversFromFlagsAndEnvironmentReplaceTheDefaultDomain() {
    ServerConfig c = ConfigLoader.load(null, Map.of("BINDERY_SERVERS",
        "a.example,tls=direct;b.example"), Map.of());
    assertThat(c.domains()).containsExactly("a.example", "b.example");
    ServerConfig both = ConfigLoader.load(null, Map.of("BINDERY_DOMAINS", "localhost"),
        Map.of(ConfigKey.SERVERS, "a.example"));
    assertThat(both.domains()).containsExactly("localhost", "a.example");
  }

  @Test
  void listsAndDurationsAcceptTheirTextForms() {
    ServerConfig c = ConfigLoader.load(null, Map.of(
        "BINDERY_DOMAINS", "a.example, b.example",
        "BINDERY_HTTP_ALLOWED_ORIGINS", "https://a.example,https://b.example",
        "BINDERY_DRAIN_GRACE_PERIOD", "2m",
        "BINDERY_UPSTREAM_CONNECT_TIMEOUT", "1500ms",
        "BINDERY_DRAIN_SEE_OTHER_URI", "https://other.example/http-bind"), Map.of());

    assertThat(c.domains()).containsExactly("a.example", "b.example");
    assertThat(c.http().allowedOrigins()).containsExactly("https://a.example", "https://b.example");
    assertThat(c.drain().gracePeriod()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.upstream().limits().connectTimeoutMillis()).isEqualTo(1500);
    assertThat(c.drain().seeOtherUri()).isEqualTo(URI.create("https://other.example/http-bind"));
  }

  @Test
  void httpsListenerNeedsBothCertificateAndKey() {
    assertThat(ConfigLoader.load(null, Map.of(), Map.of()).http().https().enabled()).isFalse();
    ServerConfig c = ConfigLoader.load(null, Map.of("BINDERY_HTTP_TLS_CERTIFICATE", "/etc/c.pem",
        "BINDERY_HTTP_TLS_KEY", "/etc/k.pem", "BINDERY_HTTP_TLS_PORT", "8443"), Map.of());
    assertThat(c.http().https()).isEqualTo(new HttpsConfig(8443, Path.of("/etc/c.pem"),
        Path.of("/etc/k.pem")));
    assertThatThrownBy(() -> ConfigLoader.load(null,
        Map.of("BINDERY_HTTP_TLS_CERTIFICATE", "/etc/c.pem"), Map.of()))
        .hasMessage("http.tls.key (default): the HTTPS listener needs both"
            + " http.tls.certificate and http.tls.key");
  }

  @Test
  void threadCountsDefaultToAFewPerCoreAndAreBounded() {
    assertThat(ConfigLoader.load(null, Map.of(), Map.of()).threads())
        .isEqualTo(ThreadsConfig.DEFAULTS);
    ServerConfig c = ConfigLoader.load(null, Map.of("BINDERY_THREADS_HTTP_MAX", "24",
        "BINDERY_THREADS_SESSION_LOOPS", "3"), Map.of());
    assertThat(c.threads()).isEqualTo(new ThreadsConfig(24, 3));
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("BINDERY_THREADS_HTTP_MAX", "4"),
        Map.of()))
        .hasMessage("threads.http-max (env BINDERY_THREADS_HTTP_MAX): invalid number: 4"
            + " (expected: 8 ~ 10000)");
  }

  @Test
  void aNodeNameIsALoadBalancerServerNameWithoutTheSidSeparator() {
    assertThat(ConfigLoader.load(null, Map.of(), Map.of()).nodeName()).isEmpty();
    assertThat(ConfigLoader.load(null, Map.of(), Map.of(ConfigKey.NODE_NAME, "bindery-0_a"))
        .nodeName()).isEqualTo("bindery-0_a");
    for (String bad : new String[] {"b.1", "b 1", "x".repeat(33), "nœud"}) {
      assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("BINDERY_NODE_NAME", bad),
          Map.of()))
          .as(bad).isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("node.name (env BINDERY_NODE_NAME): expected 1 to 32 letters");
    }
  }

  @Test
  void anInvalidValueNamesTheKeyItsOriginAndTheProblem() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("BINDERY_HTTP_PORT", "80a"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("http.port (env BINDERY_HTTP_PORT): invalid port: 80a (expected: 0 ~ 65535)");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(),
        Map.of(ConfigKey.SESSION_MAX_WAIT, "0")))
        .hasMessage("session.max-wait (flag --set session.max-wait): invalid number: 0"
            + " (expected: 1 ~ 65535)");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(),
        Map.of(ConfigKey.DRAIN_GRACE_PERIOD, "soon")))
        .hasMessageStartingWith("drain.grace-period (flag --drain-grace-period): invalid duration");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(),
        Map.of(ConfigKey.DRAIN_SEE_OTHER_URI, "/relative")))
        .hasMessageStartingWith("drain.see-other-uri (flag --see-other-uri): invalid URI");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("BINDERY_LOG_FORMAT", "xml"), Map.of()))
        .hasMessage("log.format (env BINDERY_LOG_FORMAT): invalid value: xml"
            + " (expected one of: text, json)");
  }

  @Test
  void anUnknownKeyInTheFileIsAnError() throws IOException {
    Path file = write("""
        limits:
          max-sesions: 5
        """);
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("limits.max-sesions (" + file.getFileName()
            + "): unknown key (see docs/configuration.md)");
  }

  @Test
  void aBadDomainEntryNamesItsIndex() throws IOException {
    Path file = write("""
        domains:
          - localhost
          - name: example.com
            address: xmpp
        """);
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
        .hasMessageStartingWith("domains[1] (" + file.getFileName() + "): ")
        .hasMessageContaining("xmpp");
    Path tls = write("""
        domains:
          - name: example.com
            color: blue
        """);
    assertThatThrownBy(() -> ConfigLoader.load(tls, Map.of(), Map.of()))
        .hasMessageStartingWith("domains[0].color (");
  }

  @Test
  void aDomainMappingAndAServerLineMeanTheSameAndFailTheSame() throws IOException {
    Path file = write("""
        domains:
          - name: example.com
            address: "xmpp.example.com:5222"
            tls: direct
            trust-store: /etc/bindery/ca.pem
            proxy-protocol: v2
            allow-private-addresses: true
            route: [a.example:5222, b.example:5222]
        """);
    String line = "example.com,address=xmpp.example.com:5222,tls=direct,"
        + "trust-store=/etc/bindery/ca.pem,proxy-protocol=v2,allow-private-addresses=true,"
        + "route=a.example:5222,route=b.example:5222";

    assertThat(ConfigLoader.load(file, Map.of(), Map.of()).upstream().find("example.com"))
        .isEqualTo(ConfigLoader.load(null, Map.of(), Map.of(ConfigKey.SERVERS, line))
            .upstream().find("example.com"));
    Path bad = write("domains:\n  - name: example.com\n    tls: maybe\n");
    String problem = "invalid tls: maybe (expected: required, optional, direct or none)";
    assertThatThrownBy(() -> ConfigLoader.load(bad, Map.of(), Map.of()))
        .hasMessage("domains[0] (" + bad.getFileName() + "): " + problem);
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(),
        Map.of(ConfigKey.SERVERS, "example.com,tls=maybe")))
        .hasMessage("servers[0] (flag --server): " + problem);
  }

  @Test
  void aMappingValueMayHoldACommaSinceItIsNotRewrittenAsAServerLine() throws IOException {
    Path file = write("""
        domains:
          - name: example.com
            trust-store: "/etc/bindery/ca,2024.pem"
        """);

    assertThat(ConfigLoader.load(file, Map.of(), Map.of()).upstream().find("example.com")
        .trustStore()).isEqualTo(Path.of("/etc/bindery/ca,2024.pem"));
  }

  @Test
  void brokenYamlAndDuplicateKeysAreErrors() throws IOException {
    Path broken = write("http: [port: 1\n");
    assertThatThrownBy(() -> ConfigLoader.load(broken, Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("not valid YAML");
    Path duplicate = write("http:\n  port: 1\n  port: 2\n");
    assertThatThrownBy(() -> ConfigLoader.load(duplicate, Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("not valid YAML");
    Path scalar = write("http:\n  port: [1, 2]\n");
    assertThatThrownBy(() -> ConfigLoader.load(scalar, Map.of(), Map.of()))
        .hasMessageContaining("http.port").hasMessageContaining("not a list");
  }

  @Test
  void anEmptyFileMeansEveryDefault() throws IOException {
    assertThat(ConfigLoader.load(write(""), Map.of(), Map.of()))
        .isEqualTo(ConfigLoader.load(null, Map.of(), Map.of()));
  }

  @Test
  void aDomainUpstreamMustBelongToAServedDomainAndNamesAreUnique() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("BINDERY_DOMAINS", "a,A"), Map.of()))
        .hasMessageContaining("domain listed twice: a");
    assertThat(ConfigLoader.load(null, Map.of(), Map.of(ConfigKey.DOMAINS, "x,y")).domains())
        .isEqualTo(List.of("x", "y"));
  }

  private Path write(String yaml) throws IOException {
    Path file = Files.createTempFile(dir, "bindery", ".yml");
    Files.writeString(file, yaml);
    return file;
  }
}
