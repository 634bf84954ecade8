package dev.bindery.server.upstream;

import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * Stateless. Netty's native epoll transport where it loads (Linux on x86-64 and ARM64), else NIO.
 * Epoll does the same work with fewer system calls and less garbage per read, and the sessions'
 * event loops spend much of their time in reads and writes of small stanzas.
 */
public final class Transport {

  private static final boolean EPOLL = Epoll.isAvailable();

  private Transport() {}

  /** What the sessions' event loops are built with. */
  public static IoHandlerFactory ioHandlerFactory() {
    return EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
  }

  /** "epoll" or "nio", for the start-up log. */
  public static String name() {
    return EPOLL ? "epoll" : "nio";
  }

  /** The TCP channel type that runs on {@code loop}, whichever transport built it. */
  static Class<? extends SocketChannel> socketChannel(EventLoop loop) {
    return epoll(loop) ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  /** The UDP channel type (DNS) that runs on {@code loop}. */
  static Class<? extends DatagramChannel> datagramChannel(EventLoop loop) {
    return epoll(loop) ? EpollDatagramChannel.class : NioDatagramChannel.class;
  }

  private static boolean epoll(EventLoop loop) {
    return EPOLL && loop instanceof IoEventLoop io && io.isIoType(EpollIoHandler.class);
  }
}
