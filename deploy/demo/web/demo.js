// The demo's chat page: Converse.js pointed at Bindery by XEP-0156 discovery. It reads this
// origin's /.well-known/host-meta.json, which Bindery serves, and connects over the WebSocket it
// names, or over BOSH with ?transport=bosh. Log in as admin@localhost (mypassword1) and chat with
// myself@localhost, the terminal demo's user.
import converse from './converse/dist/converse.min.js';

const ALT_CONNECTIONS = {
  websocket: 'urn:xmpp:alt-connections:websocket',
  bosh: 'urn:xmpp:alt-connections:xbosh',
};

async function discover(transport) {
  const response = await fetch('/.well-known/host-meta.json');
  if (!response.ok) {
    throw new Error(`host-meta: HTTP ${response.status}`);
  }
  const { links } = await response.json();
  const link = links.find((l) => l.rel === ALT_CONNECTIONS[transport]);
  if (!link) {
    throw new Error(`host-meta names no ${transport} endpoint`);
  }
  return link.href;
}

const transport = new URLSearchParams(location.search).get('transport') === 'bosh'
  ? 'bosh' : 'websocket';
const endpoint = await discover(transport);
console.info(`Bindery demo: ${transport} at ${endpoint}`);

converse.initialize({
  authentication: 'login',
  jid: 'admin@localhost',
  ...(transport === 'websocket' ? { websocket_url: endpoint } : { bosh_service_url: endpoint }),
  discover_connection_methods: false,
  // everything from this origin: no fonts, emoji or providers from the internet
  assets_path: new URL('converse/dist', location.href).pathname,
  i18n: 'en',
  use_system_emojis: true,
  xmpp_providers_url: '',
  autocomplete_providers_url: '',
  allow_non_roster_messaging: true,
  view_mode: 'fullscreen',
  blacklisted_plugins: ['converse-omemo'],
});
