package dev.bindery.server.config;

/**
 * Immutable. One configured value and where it came from, for error messages.
 *
 * @param value  a String, Number or Boolean, or for a list key a List, from the file
 * @param origin e.g. {@code bindery.yml}, {@code env BINDERY_HTTP_PORT}, {@code flag --port}
 */
record Setting(Object value, String origin) {}
