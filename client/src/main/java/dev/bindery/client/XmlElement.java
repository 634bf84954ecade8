package dev.bindery.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable. A parsed XML element: enough of a tree to read BOSH responses and the XMPP payloads
 * they carry.
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
record XmlElement(
    String namespace,
    String name,
    Map<String, String> attributes,
    List<XmlElement> children,
    String text) {

  XmlElement {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    children = List.copyOf(children);
    Objects.requireNonNull(text, "text");
  }

  /** The key of a namespaced attribute, e.g. {@code qualified(NS_XBOSH, "version")}. */
  static String qualified(String namespace, String localName) {
    return "{" + namespace + "}" + localName;
  }

  /** Returns whether this element has the given namespace and local name. */
  boolean is(String namespace, String name) {
    return this.name.equals(name) && this.namespace.equals(namespace);
  }

  /** The attribute's value, or null if absent. */
  String attribute(String key) {
    return attributes.get(key);
  }

  /** The first child with the given namespace and local name, or null. */
  XmlElement child(String namespace, String name) {
    for (XmlElement child : children) {
      if (child.is(namespace, name)) {
        return child;
      }
    }
    return null;
  }

  /** All children with the given namespace and local name. */
  List<XmlElement> children(String namespace, String name) {
    List<XmlElement> found = new ArrayList<>();
    for (XmlElement child : children) {
      if (child.is(namespace, name)) {
        found.add(child);
      }
    }
    return found;
  }

  /** The trimmed text of the first matching child, or null if there is no such child. */
  String childText(String namespace, String name) {
    XmlElement child = child(namespace, name);
    return child == null ? null : child.text().strip();
  }

  @Override
  public String toString() {
    return "<" + name + (namespace.isEmpty() ? "" : " xmlns='" + namespace + "'") + " "
        + attributes + (children.isEmpty() ? "/>" : "> " + children.size() + " children");
  }
}
