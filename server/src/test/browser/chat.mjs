// Two users of a real web XMPP client chat through a BOSH endpoint, in headless Chromium.
//
//   node chat.mjs --client strophe|converse (--bosh URL | --websocket URL) --user1 JID:PASSWORD
//                 --user2 JID:PASSWORD
//                 --out DIR [--same-origin-base URL] [--page-port PORT] [--chromium PATH]
//                 [--timeout SECONDS] [--verbose] [--shared-context]
//
// Serves strophe.html or converse.html, with node_modules, on 127.0.0.1 (the page origin; a free
// port unless --page-port) or, with --same-origin-base, loads them from that base URL instead
// (where a proxy serves the pages and the BOSH endpoint from one origin; --bosh may then be a
// path such as /http-bind; with --page-port too, it serves them on that port as well, for that
// proxy to pass on). Then it opens one browser context per user (with --shared-context, one
// context: two tabs of one browser profile, sharing cookies), logs both in, has each
// send the other a message, waits until both messages have arrived and are on screen, saves a
// screenshot of each page as DIR/CLIENT-user1.png and DIR/CLIENT-user2.png (CLIENT-userN-failed.png
// when a step failed), logs both out, and prints one JSON line with the outcome on standard
// output (progress goes to standard error).
//
// --verbose copies what the pages log to their consoles to standard error.
//
// Exits 0 when both users logged in, received each other's message and logged out, 1 otherwise
// (the JSON line says why), 2 on a bad command line. Each step has a time limit; so has the run.
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
const HOST = '127.0.0.1';

/** The page of each client, its npm package and the name it goes by on screen. */
const CLIENTS = {
  strophe: { page: 'strophe.html', npm: 'strophe.js', title: 'Strophe.js' },
  converse: { page: 'converse.html', npm: 'converse.js', title: 'Converse.js' },
};

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync'];
const VIEWPORT = { width: 1100, height: 720 };

/** Time limits of the steps, in milliseconds. */
const LIMIT = {
  launch: 30_000,
  load: 30_000,
  login: 45_000,
  send: 15_000,
  delivery: 30_000,
  onScreen: 15_000,
  screenshot: 15_000,
  logout: 15_000,
  close: 10_000,
};

/** Statuses after which a user will not come online by waiting. */
const FAILED = new Set(['error', 'connfail', 'authfail', 'conntimeout', 'attachfail']);

/** Most page errors and console errors kept per user. */
const MAX_KEPT = 20;

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
};

class UsageError extends Error {}

const USAGE = `usage: node chat.mjs --client strophe|converse (--bosh URL | --websocket URL)
         --user1 JID:PASSWORD
         --user2 JID:PASSWORD --out DIR [--same-origin-base URL] [--page-port PORT]
         [--chromium PATH] [--timeout SECONDS] [--verbose]`;

function parseCommandLine(args) {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      options: {
        client: { type: 'string' },
        bosh: { type: 'string' },
        websocket: { type: 'string' },
        user1: { type: 'string' },
        user2: { type: 'string' },
        out: { type: 'string' },
        'same-origin-base': { type: 'string' },
        'page-port': { type: 'string', default: '0' },
        chromium: { type: 'string', default: '/usr/bin/chromium' },
        timeout: { type: 'string', default: '120' },
        verbose: { type: 'boolean', default: false },
        'shared-context': { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError(error.message);
  }
  if ((values.bosh === undefined) === (values.websocket === undefined)) {
    throw new UsageError('expected one of --bosh and --websocket');
  }
  for (const name of ['client', 'user1', 'user2', 'out']) {
    if (values[name] === undefined) throw new UsageError(`missing --${name}`);
  }
  if (!CLIENTS[values.client]) {
    const known = Object.keys(CLIENTS).join(', ');
    throw new UsageError(`unknown client: ${values.client} (expected: ${known})`);
  }
  const base = values['same-origin-base'];
  const pageBase = base === undefined
    ? undefined
    : parseUrl(base.endsWith('/') ? base : `${base}/`, '--same-origin-base');
  return {
    client: values.client,
    transport: values.bosh !== undefined ? 'bosh' : 'websocket',
    endpoint: values.bosh !== undefined
      ? parseUrl(values.bosh, '--bosh', pageBase, ['http:', 'https:'])
      : parseUrl(values.websocket, '--websocket', pageBase, ['ws:', 'wss:']),
    users: [parseUser('user1', values.user1), parseUser('user2', values.user2)],
    out: resolve(values.out),
    pageBase,
    pagePort: parseInteger(values['page-port'], '--page-port', 0, 65535),
    chromium: values.chromium,
    timeoutMs: parseInteger(values.timeout, '--timeout', 1, 3600) * 1000,
    verbose: values.verbose,
    sharedContext: values['shared-context'],
  };
}

function parseUrl(value, option, base, schemes = ['http:', 'https:']) {
  try {
    const url = new URL(value, base);
    if (!schemes.includes(url.protocol)) throw new Error(`not ${schemes.join(' or ')}`);
    return url;
  } catch {
    const names = schemes.map((s) => s.slice(0, -1)).join(' or ');
    const expected = `a ${names} URL${base ? ', or a path' : ''}`;
    throw new UsageError(`invalid ${option}: ${value} (expected: ${expected})`);
  }
}

function parseInteger(value, option, min, max) {
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new UsageError(`invalid ${option}: ${value} (expected: ${min} ~ ${max})`);
  }
  return number;
}

/** JID:PASSWORD, split at the first colon: a JID's local part and domain have none. */
function parseUser(name, value) {
  const colon = value.indexOf(':');
  const jid = value.slice(0, colon);
  if (colon < 0 || !/^[^@/\s]+@[^@/\s]+$/.test(jid) || colon === value.length - 1) {
    throw new UsageError(`invalid --${name}: expected a bare JID, a colon and a password`);
  }
  return { name, jid, password: value.slice(colon + 1) };
}

function log(message) {
  process.stderr.write(`chat.mjs: ${message}\n`);
}

/** Rejects with `what` timed out if `promise` has not settled within `ms`. */
function within(ms, what, promise) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Serves this directory's pages, scripts and node_modules, read-only, on 127.0.0.1:port. */
function servePages(port) {
  const server = createServer(async (request, response) => {
    let file;
    try {
      file = resolve(HERE, `.${decodeURIComponent(new URL(request.url, 'http://page').pathname)}`);
    } catch {
      file = HERE; // a malformed path: not found
    }
    const type = CONTENT_TYPES[extname(file)];
    const info = await stat(file).catch(() => null);
    if (!['GET', 'HEAD'].includes(request.method) || !file.startsWith(HERE + sep) || !type
        || !info?.isFile()) {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    response.writeHead(200, {
      'Content-Type': type,
      'Content-Length': info.size,
      'Cache-Control': 'no-store',
    });
    if (request.method === 'HEAD') {
      response.end();
    } else {
      createReadStream(file).on('error', () => response.destroy()).pipe(response);
    }
  });
  return new Promise((resolveServer, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => resolveServer(server));
  });
}

async function packageVersion(name) {
  try {
    const json = await readFile(join(HERE, 'node_modules', name, 'package.json'), 'utf8');
    return JSON.parse(json).version;
  } catch {
    return null;
  }
}

/** One chat user: a browser context with the client's page, and what the page reported. */
class User {
  constructor({ name, jid, password }) {
    this.name = name;
    this.jid = jid;
    this.password = password;
    this.status = 'not started';
    this.statuses = [];
    this.received = [];
    this.errors = [];
    this.pageErrors = [];
    this.consoleErrors = [];
    this.externalRequests = [];
    this.failedRequests = [];
    this.websockets = [];
    this.boshRequests = 0;
    this.sent = null;
    this.loggedIn = false;
    this.loggedOut = false;
    this.screenshot = null;
    this.waiters = new Set();
  }

  get local() {
    return this.jid.slice(0, this.jid.indexOf('@'));
  }

  /**
   * Opens the page: in `context` when given (a tab beside the other user's, sharing its cookies
   * and storage), else in a context of its own (a fresh profile: nothing shared).
   */
  async open(browser, context, pageUrl, endpoint, verbose) {
    const allowedOrigins = new Set([pageUrl.origin, endpoint.origin]);
    this.context = context ?? await browser.newContext({ viewport: VIEWPORT });
    this.context.setDefaultTimeout(LIMIT.load);
    this.page = await this.context.newPage();
    await this.page.exposeFunction('chatTestReport', (event) => this.onReport(event));
    this.page.on('request', (request) => {
      const url = request.url();
      if (url.startsWith(endpoint.href)) {
        this.boshRequests++;
      } else if (/^https?:/.test(url) && !allowedOrigins.has(new URL(url).origin)) {
        keep(this.externalRequests, url);
      }
    });
    this.page.on('pageerror', (error) => keep(this.pageErrors, String(error)));
    this.page.on('console', (message) => {
      if (message.type() === 'error') keep(this.consoleErrors, message.text());
      if (verbose) log(`${this.name} console.${message.type()}: ${message.text()}`);
    });
    this.page.on('websocket', (socket) => this.websockets.push(socket.url()));
    this.page.on('response', (response) => {
      if (response.status() >= 400) {
        keep(this.failedRequests, `${response.status()} ${response.url()}`);
      }
    });
    this.page.on('requestfailed', (request) => {
      keep(this.failedRequests, `${request.failure()?.errorText} ${request.url()}`);
    });
    const url = new URL(pageUrl);
    url.search = new URLSearchParams({ endpoint: endpoint.href, jid: this.jid, password: this.password });
    this.status = 'loading';
    await this.page.goto(url.href, { waitUntil: 'load', timeout: LIMIT.load });
  }

  onReport(event) {
    if (event.type === 'status') {
      this.status = event.status;
      this.detail = event.detail;
      if (this.statuses.at(-1) !== event.status) this.statuses.push(event.status);
      if (event.status === 'online') this.loggedIn = true;
    } else if (event.type === 'received') {
      this.received.push({ from: event.from, body: event.body });
    } else if (event.type === 'error') {
      keep(this.errors, event.message);
    }
    for (const check of this.waiters) check();
  }

  /** Resolves once `condition()` holds; rejects if the session fails first, or after `ms`. */
  waitFor(what, condition, ms, { failOnDisconnect = true } = {}) {
    return new Promise((resolveWait, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      const check = () => {
        if (condition()) {
          done();
          resolveWait();
        } else if (FAILED.has(this.status)
            || (failOnDisconnect && this.status === 'disconnected')) {
          done();
          const status = this.detail ? `${this.status} (${this.detail})` : this.status;
          reject(new Error(`${this.describe()}: ${status} while waiting for ${what}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        const hint = this.consoleErrors.length > 0
          ? `; the page's first console error: ${this.consoleErrors[0]}`
          : '';
        reject(new Error(
          `${this.describe()}: no ${what} within ${ms / 1000} s (status: ${this.status}${hint})`));
      }, ms);
      this.waiters.add(check);
      check();
    });
  }

  async send(to, body) {
    await within(LIMIT.send, `${this.describe()} sending`,
      this.page.evaluate(([peer, text]) => window.chatTest.send(peer, text), [to, body]));
    this.sent = body;
  }

  hasReceived(peer) {
    return this.received.some((m) => m.from.toLowerCase() === peer.jid.toLowerCase()
      && m.body === peer.sent);
  }

  /** Waits until `text` is visible on the page: the client rendered it, not just received it. */
  async showsText(text) {
    await this.page.getByText(text, { exact: false }).filter({ visible: true }).first()
      .waitFor({ state: 'visible', timeout: LIMIT.onScreen });
  }

  async takeScreenshot(path) {
    await this.page.screenshot({ path, timeout: LIMIT.screenshot });
    this.screenshot = path;
  }

  async logout() {
    await within(LIMIT.logout, `${this.describe()} logout`,
      this.page.evaluate(() => { window.chatTest.logout(); }));
    await this.waitFor('logout', () => this.status === 'disconnected', LIMIT.logout,
      { failOnDisconnect: false });
    this.loggedOut = true;
  }

  describe() {
    return `${this.name} ${this.jid}`;
  }

  toJSON() {
    return {
      name: this.name,
      jid: this.jid,
      loggedIn: this.loggedIn,
      status: this.status,
      statuses: this.statuses,
      sent: this.sent,
      received: this.received,
      loggedOut: this.loggedOut,
      screenshot: this.screenshot,
      boshRequests: this.boshRequests,
      errors: this.errors,
      pageErrors: this.pageErrors,
      consoleErrors: this.consoleErrors,
      externalRequests: this.externalRequests,
      failedRequests: this.failedRequests,
      websockets: this.websockets,
    };
  }
}

function keep(list, text) {
  if (list.length < MAX_KEPT) list.push(text.length > 500 ? `${text.slice(0, 500)}…` : text);
}

async function run(options, result) {
  const client = CLIENTS[options.client];
  const users = options.users.map((user) => new User(user));
  result.users = users;
  const [first, second] = users;
  const peerOf = (user) => (user === first ? second : first);
  const started = Date.now();
  await mkdir(options.out, { recursive: true });
  for (const user of users) {
    // an earlier run's, which would pass for this one's
    await rm(join(options.out, `${options.client}-${user.name}.png`), { force: true });
    await rm(join(options.out, `${options.client}-${user.name}-failed.png`), { force: true });
  }

  let pageBase = options.pageBase;
  // the pages are served here unless they come from elsewhere; with both --same-origin-base and
  // --page-port, here too, for the proxy in front that serves them on the BOSH origin
  if (pageBase === undefined || options.pagePort !== 0) {
    result.server = await servePages(options.pagePort);
    pageBase ??= new URL(`http://${HOST}:${result.server.address().port}/`);
  }
  const pageUrl = new URL(client.page, pageBase);
  result.pageOrigin = pageUrl.origin;
  result.sameOrigin = pageUrl.origin === options.endpoint.origin;
  result.transport = options.transport;
  log(`${client.title} from ${pageUrl.href}, ${options.transport} at ${options.endpoint.href}`);

  result.browser = await chromium.launch({
    executablePath: options.chromium,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: LIMIT.launch,
  });
  result.versions.chromium = result.browser.version();
  result.timingMs.launch = Date.now() - started;

  // two tabs of one browser profile: both sessions share its cookies and storage
  const shared = options.sharedContext
    ? await result.browser.newContext({ viewport: VIEWPORT }) : undefined;
  result.sharedContext = options.sharedContext;
  const loginStarted = Date.now();
  await Promise.all(users.map(async (user) => {
    await user.open(result.browser, shared, pageUrl, options.endpoint, options.verbose);
    await user.waitFor('login', () => user.loggedIn, LIMIT.login);
    log(`${user.describe()} online after ${Date.now() - loginStarted} ms`);
  }));
  result.timingMs.login = Date.now() - loginStarted;

  const deliveryStarted = Date.now();
  const token = randomUUID().slice(0, 8); // tells this run's messages from any other's
  await Promise.all(users.map((user) => user.send(peerOf(user).jid,
    `Hello ${peerOf(user).local}, this is ${user.local} on ${client.title} (run ${token})`)));
  await Promise.all(users.map(async (user) => {
    await user.waitFor(`message from ${peerOf(user).jid}`, () => user.hasReceived(peerOf(user)),
      LIMIT.delivery);
    log(`${user.describe()} received its message after ${Date.now() - deliveryStarted} ms`);
  }));
  result.timingMs.delivery = Date.now() - deliveryStarted;

  for (const user of users) {
    await user.showsText(user.sent);
    await user.showsText(peerOf(user).sent);
    await user.takeScreenshot(join(options.out, `${options.client}-${user.name}.png`));
  }

  const logoutStarted = Date.now();
  const logouts = await Promise.allSettled(users.map((user) => user.logout()));
  const failed = logouts.find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
  result.timingMs.logout = Date.now() - logoutStarted;
  result.ok = true;
}

/** Closes the browser and the page server; each may take `LIMIT.close`. */
async function cleanUp(result) {
  if (!result.ok) {
    // What the pages showed when it failed, for a person to look at.
    for (const user of result.users) {
      if (user.page && !user.screenshot) {
        await user.takeScreenshot(join(result.out, `${result.client}-${user.name}-failed.png`))
          .catch(() => {});
      }
    }
  }
  await within(LIMIT.close, 'closing Chromium', result.browser?.close() ?? Promise.resolve())
    .catch((error) => result.errors.push(error.message));
  if (result.server) {
    result.server.closeAllConnections();
    await within(LIMIT.close, 'closing the page server',
      new Promise((done) => result.server.close(done)))
      .catch((error) => result.errors.push(error.message));
  }
}

function report(result, started) {
  result.timingMs.total = Date.now() - started;
  const { browser, server, out, ...outcome } = result;
  process.stdout.write(`${JSON.stringify(outcome)}\n`);
  if (!result.ok) log(`FAILED: ${result.errors.join('; ') || 'unknown reason'}`);
}

async function main() {
  const started = Date.now();
  let options;
  try {
    options = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`chat.mjs: ${error.message}\n${USAGE}\n`);
    process.exit(2);
  }
  const result = {
    ok: false,
    client: options.client,
    endpoint: options.endpoint.href,
    pageOrigin: null,
    sameOrigin: null,
    versions: {
      client: await packageVersion(CLIENTS[options.client].npm),
      playwright: await packageVersion('playwright-core'),
      chromium: null,
    },
    users: [],
    errors: [],
    timingMs: {},
    out: options.out,
  };
  // The last resort if a step outlives its own limit: report, and exit (Playwright then kills
  // the browser it launched).
  const deadline = setTimeout(() => {
    result.ok = false;
    result.errors.push(`the run timed out after ${options.timeoutMs / 1000} s`);
    report(result, started);
    process.exit(1);
  }, options.timeoutMs);
  try {
    await run(options, result);
  } catch (error) {
    result.ok = false;
    result.errors.push(error.message);
  }
  await cleanUp(result);
  clearTimeout(deadline);
  report(result, started);
  process.exit(result.ok ? 0 : 1);
}

await main();
