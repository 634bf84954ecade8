package dev.bindery.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable. A parsed XML element: enough of a tree to read BOSH responses and the XMPP payloads
 * they carry, and to write a payload out again ({@link #toXml()}).
 *
 * <p>Attributes without a namespace are keyed by their local name ({@code "type"}); namespaced
 * ones by Clark notation ({@code "{urn:xmpp:xbosh}version"}). Namespace declarations are not
 * attributes.
 *
 * @param namespace  the element's namespace URI, "" if none
 * @param name       the local name
 * @param attributes attribute values by key, in document order
 * @param children   child elements in document order
 * @param text       the element's own character data, concatenated
 */
public record XmlElement(
    String namespace,
    String name,
    Map<String, String> attributes,
    List<XmlElement> children,
    String text) {

  /** Copies the attributes and children. */
  public XmlElement {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    children = List.copyOf(children);
    Objects.requireNonNull(text, "text");
  }

  /** The key of a namespaced attribute, e.g. {@code qualified(NS_XBOSH, "version")}. */
  public static String qualified(String namespace, String localName) {
    return "{" + namespace + "}" + localName;
  }

  /** Returns whether this element has the given namespace and local name. */
  public boolean is(String namespace, String name) {
    return this.name.equals(name) && this.namespace.equals(namespace);
  }

  /** The attribute's value, or null if absent. */
  public String attribute(String key) {
    return attributes.get(key);
  }

  /** The first child with the given namespace and local name, or null. */
  public XmlElement child(String namespace, String name) {
    for (XmlElement child : children) {
      if (child.is(namespace, name)) {
        return child;
      }
    }
    return null;
  }

  /** All children with the given namespace and local name. */
  public List<XmlElement> children(String namespace, String name) {
    List<XmlElement> found = new ArrayList<>();
    for (XmlElement child : children) {
      if (child.is(namespace, name)) {
        found.add(child);
      }
    }
    return found;
  }

  /** The trimmed text of the first matching child, or null if there is no such child. */
  public String childText(String namespace, String name) {
    XmlElement child = child(namespace, name);
    return child == null ? null : child.text().strip();
  }

  /**
   * This element as XML text, namespace-qualified as parsed: each element declares its namespace
   * where it differs from its parent's, namespaced attributes get a prefix ({@code xml:} for the
   * XML namespace). The element's own text comes before its children, so mixed content is not
   * kept in its order; XMPP payloads have none.
   */
  public String toXml() {
    StringBuilder out = new StringBuilder(128);
    write(out, null);
    return out.toString();
  }

  private void write(StringBuilder out, String parentNamespace) {
    out.append('<').append(name);
    if (!namespace.equals(parentNamespace)) {
      out.append(" xmlns='").append(Xml.escapeAttribute(namespace)).append('\'');
    }
    int prefixes = 0;
    for (Map.Entry<String, String> attribute : attributes.entrySet()) {
      String key = attribute.getKey();
      String value = Xml.escapeAttribute(attribute.getValue());
      if (!key.startsWith("{")) {
        out.append(' ').append(key).append("='").append(value).append('\'');
        continue;
      }
      int end = key.indexOf('}');
      String attributeNamespace = key.substring(1, end);
      String local = key.substring(end + 1);
      if (attributeNamespace.equals(Xml.NS_XML)) {
        out.append(" xml:").append(local).append("='").append(value).append('\'');
      } else {
        String prefix = "a" + prefixes++;
        out.append(" xmlns:").append(prefix).append("='")
            .append(Xml.escapeAttribute(attributeNamespace)).append("' ").append(prefix)
            .append(':').append(local).append("='").append(value).append('\'');
      }
    }
    if (children.isEmpty() && text.isEmpty()) {
      out.append("/>");
      return;
    }
    out.append('>').append(Xml.escapeText(text));
    for (XmlElement child : children) {
      child.write(out, namespace);
    }
    out.append("</").append(name).append('>');
  }

  @Override
  public String toString() {
    return "<" + name + (namespace.isEmpty() ? "" : " xmlns='" + namespace + "'") + " "
        + attributes + (children.isEmpty() ? "/>" : "> " + children.size() + " children");
  }
}
