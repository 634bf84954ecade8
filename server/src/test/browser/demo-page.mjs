// The demo's chat page (deploy/demo/web), served by Bindery, used as a person would: log in with
// Converse.js's own form, open the chat with the peer, read its message, answer, screenshot.
//
//   node demo-page.mjs --url URL --password PASSWORD --peer JID --expect TEXT --send TEXT
//                      --out FILE.png [--chromium PATH] [--timeout SECONDS]
//
// URL is the page (e.g. http://127.0.0.1:5280/, or with ?transport=bosh). Prints "demo-page: online" on a
// line of its own once logged in, so that the peer can start sending; then waits until TEXT
// from the peer is on screen, sends --send in the peer's chat box, and saves the screenshot.
// Exits 0 when all of that happened, 1 otherwise (the reason on standard error), 2 on a bad
// command line. Progress goes to standard error; one JSON line with the outcome to standard
// output at the end.
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function log(message) {
  process.stderr.write(`demo-page.mjs: ${message}\n`);
}

let options;
try {
  ({ values: options } = parseArgs({
    strict: true,
    options: {
      url: { type: 'string' },
      password: { type: 'string' },
      peer: { type: 'string' },
      expect: { type: 'string' },
      send: { type: 'string' },
      out: { type: 'string' },
      chromium: { type: 'string', default: '/usr/bin/chromium' },
      timeout: { type: 'string', default: '90' },
    },
  }));
  for (const name of ['url', 'password', 'peer', 'expect', 'send', 'out']) {
    if (options[name] === undefined) throw new Error(`missing --${name}`);
  }
} catch (error) {
  process.stderr.write(`demo-page.mjs: ${error.message}\n`);
  process.exit(2);
}

const timeout = Number(options.timeout) * 1000;
const result = { ok: false, url: options.url, websockets: [], boshRequests: 0, pageErrors: [] };
const browser = await chromium.launch({ executablePath: options.chromium, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 720 } });
  page.setDefaultTimeout(timeout);
  const framesSent = [];
  page.on('websocket', (socket) => {
    result.websockets.push(socket.url());
    socket.on('framesent', (frame) => framesSent.push(String(frame.payload)));
  });
  page.on('request', (request) => {
    if (request.url().includes('/http-bind')) result.boshRequests++;
  });
  page.on('pageerror', (error) => result.pageErrors.push(String(error)));
  page.on('console', (message) => log(`console.${message.type()}: ${message.text()}`));

  log(`opening ${options.url}`);
  await page.goto(options.url, { waitUntil: 'load' });
  // Converse's own login form; the page fills in admin@localhost
  await page.locator('#converse-login-password').fill(options.password);
  await page.locator('converse-login-form button[type="submit"]').click();
  await page.getByText('I am online').waitFor();
  log('logged in');
  process.stdout.write('demo-page: online\n');

  // the peer's message arrives; its sender shows up in the roster: open that chat
  await page.locator('converse-roster').getByText(options.peer.split('@')[0]).first().click();
  await page.getByText(options.expect).waitFor();
  log(`read "${options.expect}"`);
  const textarea = page.locator('.chat-textarea').first();
  // Converse shows a message before its transport carries it (BOSH batches what it sends):
  // wait for the request or the frame that carries it, so that closing the page cannot drop it
  let carriedYet = false;
  const overBosh = page.waitForRequest((r) => r.url().includes('/http-bind')
    && (r.postData() ?? '').includes(options.send));
  overBosh.catch(() => {}); // over WebSocket no request carries it: that wait times out unread
  const carried = Promise.race([
    overBosh,
    (async () => {
      while (!carriedYet && !framesSent.some((f) => f.includes(options.send))) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })(),
  ]).finally(() => { carriedYet = true; });
  await textarea.fill(options.send);
  await textarea.press('Enter');
  await page.locator('.chat-msg__text', { hasText: options.send }).first().waitFor();
  await carried;
  log(`sent "${options.send}"`);
  await page.screenshot({ path: options.out });
  result.screenshot = options.out;
  result.ok = true;
} catch (error) {
  result.error = String(error);
  log(`failed: ${error}`);
} finally {
  await browser.close().catch(() => {});
}
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(result.ok ? 0 : 1);
