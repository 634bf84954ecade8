// A report page written to disk (the load generator's soak.html, report.html), opened in
// Chromium as a person would open it: waits until it is laid out, saves a full-page screenshot,
// and prints what a reader sees first as one JSON line on standard output: the title, the text of
// the element with id 'verdict' (if any), the chart titles and how many charts have a line drawn.
//
//   node report-page.mjs --page FILE.html --out FILE.png [--chromium PATH]
//
// Exits 0 when the page opened and the screenshot was saved, 1 otherwise (the reason on standard
// error), 2 on a bad command line.
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let options;
try {
  ({ values: options } = parseArgs({
    strict: true,
    options: {
      page: { type: 'string' },
      out: { type: 'string' },
      chromium: { type: 'string', default: '/usr/bin/chromium' },
    },
  }));
  for (const name of ['page', 'out']) {
    if (options[name] === undefined) throw new Error(`missing --${name}`);
  }
} catch (e) {
  process.stderr.write(`report-page.mjs: ${e.message}\n`);
  process.exit(2);
}

let browser;
try {
  browser = await chromium.launch({ executablePath: options.chromium, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 900, height: 900 } });
  await page.goto(pathToFileURL(options.page).href, { waitUntil: 'load', timeout: 30000 });
  const seen = await page.evaluate(() => {
    const charts = [...document.querySelectorAll('svg')];
    return {
      title: document.title,
      verdict: document.getElementById('verdict')?.textContent ?? null,
      charts: charts.map((svg) => svg.querySelector('text')?.textContent ?? ''),
      // a chart whose line has at least two points: something was plotted
      drawn: charts.filter((svg) => [...svg.querySelectorAll('polyline')]
        .some((line) => (line.getAttribute('points') ?? '').trim().split(/\s+/).length >= 2))
        .length,
      width: document.documentElement.scrollWidth,
    };
  });
  await page.screenshot({ path: options.out, fullPage: true });
  process.stdout.write(JSON.stringify(seen) + '\n');
  await browser.close();
} catch (e) {
  process.stderr.write(`report-page.mjs: ${e.stack ?? e}\n`);
  if (browser) await browser.close().catch(() => {});
  process.exit(1);
}
