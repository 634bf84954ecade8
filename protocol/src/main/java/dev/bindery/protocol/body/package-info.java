/** The XEP-0124 {@code <body/>} wrapper: value, parser, writer and binding conditions. */
package dev.bindery.protocol.body;
