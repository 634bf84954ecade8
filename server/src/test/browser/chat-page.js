// The test API that strophe.html and converse.html both expose as window.chatTest, so that
// chat.mjs drives either client the same way.
//
// A page logs in as soon as it loads, with what its query string gives:
//   ?endpoint=URL&jid=JID&password=PASSWORD  (a BOSH http(s) URL, relative ones resolved
//                                            against the page, or a WebSocket ws(s) URL)
// It reports each change to the driver through window.chatTestReport, a function the driver
// exposes before the page loads (absent when a person opens the page by hand):
//   {type: 'status', status, detail}   connecting, authenticating, connected, ..., then 'online'
//                                      once the server has reflected our initial presence back
//                                      (RFC 6121 §4.2.2): from then on, messages reach us
//   {type: 'received', from, body}     a chat message with a body; from is a bare JID
//   {type: 'sent', to, body}
//   {type: 'error', message}

/** The endpoint URL (BOSH or WebSocket), JID and password from the page's query string. */
export function pageParameters() {
  const query = new URLSearchParams(location.search);
  const missing = ['endpoint', 'jid', 'password'].filter((name) => !query.get(name));
  if (missing.length > 0) {
    throw new Error(`missing query parameters: ${missing.join(', ')}`
      + ' (expected: ?endpoint=URL&jid=JID&password=PASSWORD)');
  }
  return {
    endpoint: new URL(query.get('endpoint'), location.href).href,
    jid: query.get('jid'),
    password: query.get('password'),
  };
}

/** The lower-case name of a Strophe.Status value, e.g. 'connected'. */
export function statusName(statuses, value) {
  const name = Object.keys(statuses).find((key) => statuses[key] === value);
  return name === undefined ? `status ${value}` : name.toLowerCase();
}

/**
 * Creates window.chatTest for `client`. `actions.send(to, body)` sends a chat message (it may
 * return a promise); `actions.logout()` starts logging out, which ends with status 'disconnected'.
 */
export function createChatTest(client, { jid, endpoint }, actions) {
  const state = { client, jid, endpoint, status: 'loading', sent: [], received: [], errors: [] };
  const listeners = [];

  function report(event) {
    window.chatTestReport?.(event);
    for (const listener of listeners) listener(state, event);
  }

  const chatTest = {
    state,
    onChange(listener) {
      listeners.push(listener);
    },
    status(status, detail) {
      state.status = status;
      report({ type: 'status', status, detail: detail ?? null });
    },
    received(from, body) {
      state.received.push({ from, body });
      report({ type: 'received', from, body });
    },
    error(message) {
      state.errors.push(message);
      report({ type: 'error', message });
    },
    async send(to, body) {
      await actions.send(to, body);
      state.sent.push({ to, body });
      report({ type: 'sent', to, body });
    },
    logout() {
      return actions.logout();
    },
  };
  window.chatTest = chatTest;
  return chatTest;
}
