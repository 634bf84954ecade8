package dev.bindery.server.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jetty.JettyConnectionMetrics;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.channel.EventLoopGroup;
import org.eclipse.jetty.server.Server;

/**
 * Stateless. Builds the Prometheus registry with Bindery's meters and the JVM, process, Jetty
 * and Netty binders.
 */
public final class MetricsSetup {

  private MetricsSetup() {}

  /** A Prometheus registry with every binder, the closers of which belong to the caller. */
  public static PrometheusMeterRegistry prometheus(BoshMetrics bosh, Server jetty,
      EventLoopGroup loops) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    conventions(registry.config());
    bosh.bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmInfoMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    @SuppressWarnings("resource") // closed with the registry: it unhooks from GC notifications
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    new JettyServerThreadPoolMetrics(jetty.getThreadPool(), Tags.empty()).bindTo(registry);
    JettyConnectionMetrics.addToAllConnectors(jetty, registry);
    new NettyEventExecutorMetrics(loops).bindTo(registry);
    ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;
    if (allocator instanceof ByteBufAllocatorMetricProvider provider) {
      new NettyAllocatorMetrics(provider).bindTo(registry);
    }
    return registry;
  }

  /**
   * Keeps third-party binders within Prometheus conventions ({@code promtool check metrics} is
   * clean): every meter has help text, no abbreviated units, no {@code _count} on a gauge.
   */
  static void conventions(io.micrometer.core.instrument.MeterRegistry.Config config) {
    config.meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")));
    config.meterFilter(new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        if (id.getName().equals("system.cpu.count")) {
          return id.withName("system.cpus");
        }
        if (id.getDescription() == null && id.getName().startsWith("netty.")) {
          return new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(),
              "Netty " + id.getName().substring("netty.".length()).replace('.', ' ')
                  + " (Micrometer's Netty binder)", id.getType());
        }
        return id;
      }
    });
  }
}
