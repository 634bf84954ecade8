// strophe.html's client: a bare Strophe.js connection over BOSH or WebSocket (by the URL's scheme), with just enough UI to show
// who is logged in and the messages sent and received. The test API is in chat-page.js.
import { $msg, $pres, Strophe } from './node_modules/strophe.js/dist/strophe.esm.js';
import { createChatTest, pageParameters, statusName } from './chat-page.js';

const parameters = pageParameters();
const connection = new Strophe.Connection(parameters.endpoint);

const chatTest = createChatTest('strophe', parameters, {
  send(to, body) {
    connection.send($msg({ to, type: 'chat' }).c('body').t(body));
    connection.flush(); // now, rather than on Strophe's next idle tick
  },
  logout() {
    connection.disconnect('the test is over');
  },
});

chatTest.onChange(render);
render(chatTest.state);
connection.connect(parameters.jid, parameters.password, onStatus);

function onStatus(status, condition) {
  chatTest.status(statusName(Strophe.Status, status), condition);
  if (status === Strophe.Status.CONNECTED) {
    connection.addHandler(onMessage, null, 'message');
    connection.addHandler(onOwnPresence, null, 'presence', null, null, connection.jid);
    connection.send($pres());
  }
}

/** The server reflects our initial presence to us once it has made us available. */
function onOwnPresence(presence) {
  if (presence.getAttribute('type')) {
    return true; // not our available presence: keep the handler
  }
  chatTest.status('online');
  return false;
}

function onMessage(message) {
  const from = message.getAttribute('from');
  if (message.getAttribute('type') === 'error') {
    const condition = message.getElementsByTagName('error')[0]?.firstElementChild?.tagName;
    chatTest.error(`message to ${from} bounced: ${condition ?? 'no condition'}`);
    return true;
  }
  const body = message.getElementsByTagName('body')[0]?.textContent;
  if (body) {
    chatTest.received(Strophe.getBareJidFromJid(from), body);
  }
  return true;
}

function render(state) {
  document.getElementById('jid').textContent = connection.jid || state.jid;
  document.getElementById('endpoint').textContent = state.endpoint;
  const status = document.getElementById('status');
  status.textContent = state.status;
  status.dataset.status = state.status;
  const lines = [
    ...state.sent.map((m) => ({ direction: 'out', text: `to ${m.to}: ${m.body}` })),
    ...state.received.map((m) => ({ direction: 'in', text: `from ${m.from}: ${m.body}` })),
    ...state.errors.map((text) => ({ direction: 'error', text })),
  ];
  document.getElementById('messages').replaceChildren(...lines.map(({ direction, text }) => {
    const item = document.createElement('li');
    item.className = direction;
    item.textContent = text;
    return item;
  }));
}
