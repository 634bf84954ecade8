package dev.bindery.server.upstream;

import com.fasterxml.aalto.AsyncByteBufferFeeder;
import com.fasterxml.aalto.AsyncXMLInputFactory;
import com.fasterxml.aalto.AsyncXMLStreamReader;
import com.fasterxml.aalto.UncheckedStreamException;
import com.fasterxml.aalto.stax.InputFactoryImpl;
import dev.bindery.protocol.xmpp.Namespaces;
import dev.bindery.protocol.xmpp.Stanza;
import dev.bindery.protocol.xmpp.StanzaBuilder;
import dev.bindery.protocol.xmpp.XmlEscaper;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;

/**
 * Confined to the channel's event loop. Parses the server's XMPP stream as bytes arrive (Aalto's
 * non-blocking parser) into {@link UpstreamEvent}s: the stream header, each top-level element as a
 * self-contained {@link dev.bindery.protocol.xmpp.Stanza}, and the stream's end.
 *
 * <p>STARTTLS is removed from {@code <stream:features/>}: TLS to the server is the connection
 * manager's business, and BOSH clients must not negotiate it (XEP-0206 §2). What was offered is
 * passed on as {@link UpstreamEvent.StartTlsOffered} ahead of the features, for {@link
 * StreamNegotiationHandler}. A stream restart needs a fresh parser, see {@link #reset()}.
 */
public final class XmppStreamDecoder extends ChannelInboundHandlerAdapter {

  /** Largest top-level element accepted from the server, in characters. */
  public static final int DEFAULT_MAX_STANZA_CHARS =
      UpstreamLimits.DEFAULT_MAX_SERVER_STANZA_CHARS;
  /** XEP-0138's stream feature, hidden from BOSH clients like STARTTLS. */
  static final String COMPRESSION_FEATURE = "http://jabber.org/features/compress";

  /** Deepest element nesting accepted from the server, counting the stream element as 1. */
  public static final int MAX_DEPTH = 128;

  private static final AsyncXMLInputFactory FACTORY = newFactory();

  private final int maxStanzaChars;
  private final StanzaBuilder stanza = new StanzaBuilder();
  private AsyncXMLStreamReader<AsyncByteBufferFeeder> reader = FACTORY.createAsyncForByteBuffer();
  private int depth;
  /** Depth at which an element being dropped started, or 0. */
  private int skipFrom;
  /** True when the element being dropped is {@code <starttls/>}. */
  private boolean skippingTls;
  private boolean inFeatures;
  /** Inside a dropped {@code <starttls/>}: whether it holds {@code <required/>}. */
  private boolean startTlsRequired;

  public XmppStreamDecoder(int maxStanzaChars) {
    this.maxStanzaChars = maxStanzaChars;
  }

  /** Starts over for a restarted stream: the server will send a new header (XEP-0206 §5). */
  public void reset() {
    close(reader);
    reader = FACTORY.createAsyncForByteBuffer();
    stanza.reset();
    depth = 0;
    skipFrom = 0;
    inFeatures = false;
    startTlsRequired = false;
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    close(reader);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf buf = (ByteBuf) msg;
    try {
      feed(ctx, buf);
    } catch (XMLStreamException | UncheckedStreamException e) {
      // Aalto reports an error in text lazily, unchecked, when the text is read
      throw new DecoderException("malformed XML from server: " + e.getMessage(), e);
    } finally {
      buf.release();
    }
  }

  private void feed(ChannelHandlerContext ctx, ByteBuf buf) throws XMLStreamException {
    for (var nio : buf.nioBuffers()) {
      // the feeder keeps the buffer until the parser has consumed it all, which next() does below
      reader.getInputFeeder().feedInput(nio);
      for (int event = reader.next(); event != AsyncXMLStreamReader.EVENT_INCOMPLETE;
          event = reader.next()) {
        onEvent(ctx, event);
      }
    }
  }

  private void onEvent(ChannelHandlerContext ctx, int event) {
    switch (event) {
      case XMLStreamConstants.START_ELEMENT -> {
        depth++;
        if (depth > MAX_DEPTH) {
          throw new DecoderException("server stream nested deeper than " + MAX_DEPTH);
        }
        if (depth == 1) {
          ctx.fireChannelRead(new UpstreamEvent.StreamOpened(
              reader.getAttributeValue(null, "id"),
              reader.getAttributeValue(null, "from"),
              reader.getAttributeValue(null, "version")));
        } else if (skipFrom == 0) {
          if (depth == 2) {
            inFeatures = Namespaces.STREAM.equals(reader.getNamespaceURI())
                && "features".equals(reader.getLocalName());
          } else if (depth == 3 && inFeatures && Namespaces.TLS.equals(reader.getNamespaceURI())) {
            skipFrom = depth; // <starttls/> stays between us and the server
            skippingTls = true;
            startTlsRequired = false;
            return;
          } else if (depth == 3 && inFeatures
              && COMPRESSION_FEATURE.equals(reader.getNamespaceURI())) {
            // XEP-0206 §4: stream compression is NOT RECOMMENDED over BOSH; HTTP compresses
            skipFrom = depth;
            skippingTls = false;
            return;
          }
          stanza.startElement(reader);
        } else if (skippingTls && depth == skipFrom + 1
            && "required".equals(reader.getLocalName())) {
          startTlsRequired = true;
        }
      }
      case XMLStreamConstants.END_ELEMENT -> {
        if (depth == 1) {
          depth = 0;
          ctx.fireChannelRead(new UpstreamEvent.StreamClosed());
          return;
        }
        if (skipFrom != 0) {
          if (depth == skipFrom) {
            skipFrom = 0;
            if (skippingTls) {
              ctx.fireChannelRead(new UpstreamEvent.StartTlsOffered(startTlsRequired));
            }
          }
        } else if (stanza.endElement(reader)) {
          requireWithinLimit(); // the end tag counts too
          ctx.fireChannelRead(new UpstreamEvent.Element(requireXmlChars(stanza.build())));
          stanza.reset();
        }
        depth--;
      }
      case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA,
          XMLStreamConstants.SPACE -> {
        // whitespace between stanzas (keepalives) is dropped; text inside stanzas is kept
        if (depth >= 2 && skipFrom == 0) {
          stanza.characters(reader);
        }
      }
      case XMLStreamConstants.DTD -> throw new DecoderException("DTD in server stream");
      default -> {
        // comments, processing instructions and the XML declaration carry nothing to relay
      }
    }
    requireWithinLimit();
  }

  private void requireWithinLimit() {
    if (stanza.length() > maxStanzaChars) {
      throw new DecoderException("stanza from server larger than " + maxStanzaChars + " chars");
    }
  }

  /**
   * The element, unless it holds a character XML cannot carry: Aalto's UTF-8 decoder takes an
   * overlong form such as {@code C0 87} for U+0007 without complaint, and relayed, the element
   * would not parse at the client.
   */
  private static Stanza requireXmlChars(Stanza element) {
    int bad = XmlEscaper.firstUnencodable(element.xml());
    if (bad >= 0) {
      throw new DecoderException(String.format(
          "malformed XML from server: character U+%04X is not allowed in XML",
          (int) element.xml().charAt(bad)));
    }
    return element;
  }

  /**
   * Closing a reader hands its buffers back for the next one and merges the element and
   * attribute names it learnt into the factory's symbol table.
   */
  private static void close(AsyncXMLStreamReader<?> reader) {
    try {
      reader.close();
    } catch (XMLStreamException e) {
      // nothing was held open that matters: the bytes came from the channel, not a stream
    }
  }

  private static AsyncXMLInputFactory newFactory() {
    AsyncXMLInputFactory f = new InputFactoryImpl();
    f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_COALESCING, false);
    learnCommonNames(f);
    return f;
  }

  /**
   * Teaches the factory's symbol table the names every XMPP stream uses. Each reader starts from
   * a shared copy of that table and copies it only when it meets a name it lacks, so with the
   * common names known up front a session's parser does not carry a private copy (about 1 KB)
   * for its whole life.
   */
  private static void learnCommonNames(AsyncXMLInputFactory f) {
    AsyncXMLStreamReader<AsyncByteBufferFeeder> reader = f.createAsyncForByteBuffer();
    try {
      reader.getInputFeeder().feedInput(
          ByteBuffer.wrap(COMMON_NAMES.getBytes(StandardCharsets.UTF_8)));
      while (reader.next() != AsyncXMLStreamReader.EVENT_INCOMPLETE) {
        // the names are learnt as they are read
      }
    } catch (XMLStreamException e) {
      throw new IllegalStateException("the built-in XMPP sample does not parse", e);
    } finally {
      close(reader);
    }
  }

  /**
   * A stream with the elements and attributes of a typical XMPP session (RFC 6120, 6121); a
   * constant, so it is there when {@link #FACTORY} is built.
   */
  private static final String COMMON_NAMES = "<?xml version='1.0'?>"
      + "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'"
      + " xml:lang='en' id='i' from='d' to='d' version='1.0'>"
      + "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
      + "<mechanism>PLAIN</mechanism></mechanisms>"
      + "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><required/></bind>"
      + "<session xmlns='urn:ietf:params:xml:ns:xmpp-session'><optional/></session>"
      + "<sm xmlns='urn:xmpp:sm:3'/><ver xmlns='urn:xmpp:features:rosterver'/>"
      + "<c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='n' ver='v'/>"
      + "</stream:features>"
      + "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>"
      + "<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/><text/></failure>"
      + "<iq type='result' id='1' from='a' to='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
      + "<jid>a@d/r</jid></bind><query xmlns='jabber:iq:roster'><item jid='j' name='n'"
      + " subscription='both'><group>g</group></item></query><ping xmlns='urn:xmpp:ping'/></iq>"
      + "<message type='chat' id='2' from='a' to='b' xml:lang='en'><body>b</body><thread>t</thread>"
      + "<subject>s</subject><active xmlns='http://jabber.org/protocol/chatstates'/>"
      + "<delay xmlns='urn:xmpp:delay' stamp='s'/><x xmlns='jabber:x:data'/></message>"
      + "<presence from='a' to='b' type='unavailable'><show>away</show><status>s</status>"
      + "<priority>1</priority></presence>"
      + "<iq type='error' id='3'><error type='cancel' code='503'><service-unavailable"
      + " xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>";
}
