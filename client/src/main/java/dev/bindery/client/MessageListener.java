package dev.bindery.client;

/**
 * Confined to the session's serial executor: called there one message at a time, so it must not
 * block. Receives the messages with a body that arrive for a {@link BoshClient}.
 */
@FunctionalInterface
public interface MessageListener {

  void onMessage(ChatMessage message);
}
