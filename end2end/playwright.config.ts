import { defineConfig } from '@playwright/test';
import * as os from 'node:os';
import * as path from 'node:path';

// The server under test: the release binary built by `cargo leptos build --release`, on its own
// port and a fresh SQLite file, with the demo project loaded (`jixiao serve --demo`).
const port = Number(process.env.JIXIAO_E2E_PORT ?? 3100);
const root = path.resolve(__dirname, '..');
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(root, 'target');
const bin = process.env.JIXIAO_BIN ?? path.join(targetDir, 'release', 'jixiao');
const siteRoot = process.env.LEPTOS_SITE_ROOT ?? path.join(root, 'target', 'site');
const dbFile = path.join(os.tmpdir(), `jixiao-e2e-${process.pid}-${Date.now()}.db`);

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: 'zh-CN',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: {
    command: `"${bin}" serve --demo --addr 127.0.0.1:${port} --site-root "${siteRoot}"`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
    env: { DATABASE_URL: `sqlite://${dbFile}?mode=rwc`, RUST_LOG: 'warn' },
  },
});
