// converse.html's client: the full Converse.js app (its own UI, fullscreen), logged in over BOSH
// or WebSocket, whichever the endpoint's scheme says, and nothing else. A registered plugin
// reaches Converse's API to send and to listen; the test API is in chat-page.js. Everything
// Converse loads comes from node_modules on the page's origin.
import converse from './node_modules/converse.js/dist/converse.min.js';
import { createChatTest, pageParameters, statusName } from './chat-page.js';

const PLUGIN = 'bindery-chat-test';
const { Strophe } = converse.env;
const parameters = pageParameters();
let api;

const chatTest = createChatTest('converse', parameters, {
  async send(to, body) {
    // Converse.js 14 opens a chat with a JID not in the roster only once it has the user's
    // blocklist, so the server must support XEP-0191 (Prosody's mod_blocklist): without it this
    // never returns.
    await api.waitUntil('chatBoxesFetched');
    const chat = await api.chats.open(to, {}, true); // true: shown, so the screenshot has it
    if (!(await chat.sendMessage({ body }))) {
      throw new Error(`Converse.js did not send the message to ${to}`);
    }
  },
  logout() {
    return api.user.logout();
  },
});

converse.plugins.add(PLUGIN, {
  initialize() {
    const { _converse } = this;
    api = _converse.api;
    // The fullscreen login screen's footer shows sponsor logos from conversejs.org: none here.
    api.elements.define('converse-footer', class extends HTMLElement {});
    _converse.state.connfeedback.on('change:connection_status', (feedback) => {
      chatTest.status(statusName(Strophe.Status, feedback.get('connection_status')),
        feedback.get('message'));
    });
    api.listen.on('connected', () => {
      const connection = api.connection.get();
      // Converse sends its initial presence once it has the roster; the server reflects it.
      api.listen.stanza('presence', { from: connection.jid }, (presence) => {
        if (presence.getAttribute('type')) {
          return true;
        }
        chatTest.status('online');
        return false;
      });
      api.listen.stanza('message', { type: 'error' }, (message) => {
        const condition = message.getElementsByTagName('error')[0]?.firstElementChild?.tagName;
        const to = message.getAttribute('from');
        chatTest.error(`message to ${to} bounced: ${condition ?? 'no condition'}`);
        return true;
      });
    });
    api.listen.on('message', ({ attrs }) => {
      if (attrs.body && attrs.sender === 'them') {
        chatTest.received(attrs.contact_jid, attrs.body);
      }
    });
  },
});

converse.initialize({
  authentication: 'login',
  auto_login: true,
  jid: parameters.jid,
  password: parameters.password,
  ...(/^wss?:/.test(parameters.endpoint)
    ? { websocket_url: parameters.endpoint } : { bosh_service_url: parameters.endpoint }),
  // That endpoint and nothing else: no XEP-0156 lookup on the domain, no reconnecting
  // (a dropped session must fail the test), no session kept for the next page load.
  discover_connection_methods: false,
  auto_reconnect: false,
  keepalive: false,
  enable_smacks: false,
  // No internet: chunks, fonts and images from node_modules; nothing fetched from elsewhere.
  assets_path: new URL('node_modules/converse.js/dist', location.href).pathname,
  i18n: 'en',
  use_system_emojis: true,
  render_media: false,
  fetch_url_headers: false,
  embed_3rd_party_media_players: false,
  xmpp_providers_url: '',
  autocomplete_providers_url: '',
  play_sounds: false,
  show_desktop_notifications: false,
  // The users are not in each other's rosters.
  allow_non_roster_messaging: true,
  view_mode: 'fullscreen',
  whitelisted_plugins: [PLUGIN],
  // No OMEMO: the test Prosody has no PEP, and the plugin's failed device-list fetch sometimes
  // throws in the page (an uncaught TypeError) after the chat; encryption is not the transport's.
  blacklisted_plugins: ['converse-omemo'],
}).catch((error) => chatTest.status('error', `converse.initialize failed: ${error}`));
