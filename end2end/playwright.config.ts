// End-to-end tests: Debian's Chromium against the release build of Orderdesk in demo mode (the
// STACKIT simulator embedded, demo orders and accounts), which Playwright starts on its own port
// with a fresh data folder (embedded SQLite) for every run.
import { defineConfig, devices } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const port = Number(process.env.ORDERDESK_E2E_PORT ?? 3100);
const root = path.resolve(__dirname, '..');
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(root, 'target');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'orderdesk-e2e-'));
/** The password of every demo account in the tests (tests/session.ts signs in with it). */
const DEMO_PASSWORD = 'e2e-demo-password';

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  forbidOnly: true,
  // One retry: on this shared machine a busy phase can still fail a test that waits on the
  // server (CI failed once on a sign-up redirect that passed in every other run). A test that
  // passes only on its retry is reported as flaky, with its first failure, so it is not hidden.
  retries: 1,
  // The html reporter hangs on failure on these machines.
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'off',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
            '--disable-quic',
          ],
        },
      },
    },
  ],
  webServer: {
    command: `${process.env.ORDERDESK_BIN ?? path.join(targetDir, 'release/orderdesk')} demo`,
    cwd: root,
    url: `http://127.0.0.1:${port}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    // The server's warnings (RUST_LOG below) in the run's output: a refused request then shows
    // the server's own reason beside the test that met it.
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      ORDERDESK_LISTEN: `127.0.0.1:${port}`,
      ORDERDESK_DATA_DIR: dataDir,
      LEPTOS_SITE_ROOT: path.join(root, 'target/site'),
      RUST_LOG: 'warn',
      ORDERDESK_DEMO_PASSWORD: DEMO_PASSWORD,
      // The embedded simulator on a known port: tests play the customer ordering there.
      ORDERDESK_DEMO_SIMULATOR_LISTEN: `127.0.0.1:${port + 1}`,
      // Failed decisions come back within seconds, not the production 30 s.
      ORDERDESK_JOB_RETRY_BASE_MS: '2000',
    },
  },
});
