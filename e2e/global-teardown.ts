import * as fs from 'node:fs';

// Removes the data directory that playwright.config.ts created for this run
// (never one passed in through TODOS_E2E_DATA).
export default async function globalTeardown(): Promise<void> {
  const dir = process.env.TODOS_E2E_DATA;
  if (dir && process.env.TODOS_E2E_DATA_OWNED === '1') {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
