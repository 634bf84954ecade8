package dev.bindery.protocol.body;

import dev.bindery.protocol.xmpp.Namespaces;
import javax.xml.namespace.QName;

/** Immutable. The names of the {@code <body/>} attributes XEP-0124 and XEP-0206 define. */
public final class BodyAttribute {
  public static final QName ACCEPT = plain("accept");
  public static final QName ACK = plain("ack");
  public static final QName AUTHID = plain("authid");
  public static final QName CHARSETS = plain("charsets");
  public static final QName CONDITION = plain("condition");
  public static final QName CONTENT = plain("content");
  public static final QName FROM = plain("from");
  public static final QName HOLD = plain("hold");
  public static final QName INACTIVITY = plain("inactivity");
  public static final QName KEY = plain("key");
  public static final QName MAXPAUSE = plain("maxpause");
  public static final QName NEWKEY = plain("newkey");
  public static final QName PAUSE = plain("pause");
  public static final QName POLLING = plain("polling");
  public static final QName REPORT = plain("report");
  public static final QName REQUESTS = plain("requests");
  public static final QName RID = plain("rid");
  public static final QName ROUTE = plain("route");
  public static final QName SID = plain("sid");
  public static final QName STREAM = plain("stream");
  public static final QName TIME = plain("time");
  public static final QName TO = plain("to");
  public static final QName TYPE = plain("type");
  public static final QName VER = plain("ver");
  public static final QName WAIT = plain("wait");
  public static final QName XML_LANG = new QName(Namespaces.XML, "lang", "xml");
  public static final QName XMPP_VERSION = new QName(Namespaces.XBOSH, "version", "xmpp");
  public static final QName XMPP_RESTART = new QName(Namespaces.XBOSH, "restart", "xmpp");
  public static final QName XMPP_RESTARTLOGIC = new QName(Namespaces.XBOSH, "restartlogic", "xmpp");

  private BodyAttribute() {}

  private static QName plain(String name) {
    return new QName(name);
  }
}
