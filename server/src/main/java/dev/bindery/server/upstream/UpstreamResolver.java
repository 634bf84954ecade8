package dev.bindery.server.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRecordDecoder;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Thread-safe: one Netty {@link DnsNameResolver} per event loop, created on first use. Looks up
 * XMPP client services by SRV and host addresses without blocking; results complete on the
 * caller's loop.
 */
final class UpstreamResolver implements AutoCloseable {

  static final String CLIENT_SERVICE = "_xmpp-client._tcp.";
  static final String DIRECT_TLS_SERVICE = "_xmpps-client._tcp.";
  static final long QUERY_TIMEOUT_MILLIS = 5_000;

  private final List<InetSocketAddress> nameServers;
  private final ConcurrentHashMap<EventLoop, DnsNameResolver> resolvers =
      new ConcurrentHashMap<>();

  /** @param nameServers the DNS servers to ask; empty: the system's */
  UpstreamResolver(List<InetSocketAddress> nameServers) {
    this.nameServers = List.copyOf(nameServers);
  }

  /**
   * The SRV records of {@code domain}'s client services, in the order to try them; {@code
   * withStartTls} and {@code withDirectTls} choose which of the two services are asked. An empty
   * list when the domain has none (the caller falls back to the domain itself).
   */
  Future<List<SrvRecord>> srv(EventLoop loop, String domain, boolean withStartTls,
      boolean withDirectTls) {
    Promise<List<SrvRecord>> result = loop.newPromise();
    List<SrvRecord> found = new ArrayList<>();
    int[] pending = {(withStartTls ? 1 : 0) + (withDirectTls ? 1 : 0)};
    if (pending[0] == 0) {
      result.setSuccess(List.of());
      return result;
    }
    Runnable done = () -> {
      if (--pending[0] == 0) {
        result.setSuccess(SrvRecord.order(found, ThreadLocalRandom.current()));
      }
    };
    if (withStartTls) {
      query(loop, CLIENT_SERVICE + domain + ".", false, found, done);
    }
    if (withDirectTls) {
      query(loop, DIRECT_TLS_SERVICE + domain + ".", true, found, done);
    }
    return result;
  }

  private void query(EventLoop loop, String name, boolean directTls, List<SrvRecord> into,
      Runnable done) {
    resolver(loop).resolveAll(new DefaultDnsQuestion(name, DnsRecordType.SRV))
        .addListener((Future<List<DnsRecord>> f) -> {
          if (f.isSuccess()) {
            for (DnsRecord r : f.getNow()) {
              try {
                if (r instanceof DnsRawRecord raw && r.type() == DnsRecordType.SRV) {
                  into.add(decode(raw.content(), directTls));
                }
              } finally {
                ReferenceCountUtil.release(r);
              }
            }
          }
          // no such name, no records, or no answer: as if the service were not published
          done.run();
        });
  }

  /** RDATA of an SRV record: priority, weight, port, target (RFC 2782). */
  static SrvRecord decode(ByteBuf content, boolean directTls) {
    ByteBuf in = content.duplicate();
    int priority = in.readUnsignedShort();
    int weight = in.readUnsignedShort();
    int port = in.readUnsignedShort();
    String target = DefaultDnsRecordDecoder.decodeName(in);
    if (target.endsWith(".") && target.length() > 1) {
      target = target.substring(0, target.length() - 1);
    }
    return new SrvRecord(priority, weight, target.toLowerCase(Locale.ROOT), port, directTls);
  }

  /** The addresses of {@code host} (an IP literal resolves to itself). */
  Future<List<InetAddress>> addresses(EventLoop loop, String host) {
    Promise<List<InetAddress>> result = loop.newPromise();
    resolver(loop).resolveAll(host).addListener((Future<List<InetAddress>> f) -> {
      if (f.isSuccess() && !f.getNow().isEmpty()) {
        result.setSuccess(f.getNow());
      } else {
        result.setFailure(f.cause() != null ? f.cause()
            : new UnknownHostException("no address for " + host));
      }
    });
    return result;
  }

  private DnsNameResolver resolver(EventLoop loop) {
    return resolvers.computeIfAbsent(loop, l -> {
      DnsNameResolverBuilder b = new DnsNameResolverBuilder(l)
          .datagramChannelType(Transport.datagramChannel(l))
          .queryTimeoutMillis(QUERY_TIMEOUT_MILLIS)
          .searchDomains(List.of())
          .ndots(1);
      b.nameServerProvider(nameServers.isEmpty()
          ? DnsServerAddressStreamProviders.platformDefault()
          : new SequentialDnsServerAddressStreamProvider(
              nameServers.toArray(InetSocketAddress[]::new)));
      return b.build();
    });
  }

  @Override
  public void close() {
    resolvers.values().forEach(DnsNameResolver::close);
    resolvers.clear();
  }
}
