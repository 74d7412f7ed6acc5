import { expect, test, type Locator, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './admin-account';

/**
 * Port of the server the running test's project drives (playwright.config.ts
 * starts one per project: "chromium" on the local provider, "sqld" on a
 * libSQL server). Call it inside a test or hook.
 */
export function port(): number {
  return Number(test.info().project.metadata.port);
}

/** Where the running project's server keeps tenant databases: local or sqld. */
export function provider(): 'local' | 'sqld' {
  return test.info().project.metadata.provider;
}

/**
 * Skips the running test, with why, unless its project's provider is one of
 * providers: for what a provider cannot do by design (e.g. the SQL console
 * needs a local database file), never silently.
 */
export function skipUnless(providers: Array<'local' | 'sqld'>, why: string): void {
  test.skip(!providers.includes(provider()), `not on the ${provider()} provider: ${why}`);
}

// A password every test tenant uses unless a test needs another one.
export const PASSWORD = 'correct-horse-battery-42';

/** URL on the bare domain (landing / sign-up site), e.g. siteURL('/'). */
export function siteURL(path = '/'): string {
  return `http://localhost:${port()}${path}`;
}

/** URL on a tenant's host, e.g. tenantURL('acme', '/active'). */
export function tenantURL(name: string, path = '/'): string {
  return `http://${name}.localhost:${port()}${path}`;
}

/** URL on the admin app's host, e.g. adminURL('/tenants/acme'). */
export function adminURL(path = '/'): string {
  return `http://admin.localhost:${port()}${path}`;
}

/**
 * A tenant name unique to this call: the prefix (lower-cased, reduced to
 * [a-z0-9-], at most 16 chars) + '-' + random base36, 3-30 chars in all.
 */
export function uniqueName(prefix = 't'): string {
  let p = prefix.toLowerCase().replace(/[^a-z0-9-]/g, '').replace(/^-+|-+$/g, '').slice(0, 16);
  if (!/^[a-z]/.test(p)) p = `t${p}`.slice(0, 16);
  let rand = '';
  while (rand.length < 10) {
    rand += BigInt('0x' + randomBytes(8).toString('hex')).toString(36);
  }
  return `${p}-${rand.slice(0, 10)}`;
}

/** An e-mail address derived from a tenant name. */
export function emailFor(name: string): string {
  return `owner@${name}.example.com`;
}

/**
 * Signs up a new tenant through the landing page form and waits until the
 * browser is on the tenant's host with the TODO app shown.
 */
export async function signUp(page: Page, name: string, email = emailFor(name), password = PASSWORD): Promise<void> {
  await page.goto(siteURL('/'));
  const form = page.locator('form#signup');
  await form.locator('input[name="name"]').fill(name);
  await form.locator('input[name="email"]').fill(email);
  await form.locator('input[name="password"]').fill(password);
  await form.locator('select[name="region"]').selectOption('local');
  await form.getByRole('button', { name: 'Create my list' }).click();
  await expect(page).toHaveURL(tenantURL(name, '/'));
  await expect(page.locator('section.todoapp input.new-todo')).toBeVisible();
}

/** Signs in on a tenant's /login page (navigating there first). */
export async function signIn(page: Page, name: string, email = emailFor(name), password = PASSWORD): Promise<void> {
  await page.goto(tenantURL(name, '/login'));
  const form = page.locator('form#login');
  await form.locator('input[name="email"]').fill(email);
  await form.locator('input[name="password"]').fill(password);
  await form.getByRole('button', { name: 'Sign in' }).click();
}

export function newTodoInput(page: Page): Locator {
  return page.locator('section.todoapp header.header input.new-todo');
}

export function todoItems(page: Page): Locator {
  return page.locator('ul.todo-list li[data-testid="todo-item"]');
}

export function todoTitles(page: Page): Locator {
  return todoItems(page).locator('label[data-testid="todo-title"]');
}

/** The item whose title is exactly `title`. */
export function todoItem(page: Page, title: string): Locator {
  return todoItems(page).filter({
    has: page.locator('label[data-testid="todo-title"]', { hasText: new RegExp(`^\\s*${escapeRegExp(title)}\\s*$`) }),
  });
}

export function todoCount(page: Page): Locator {
  return page.locator('footer.footer span.todo-count[data-testid="todo-count"]');
}

/**
 * Adds todos one by one on the "All" view, waiting for each to be listed
 * before typing the next.
 */
export async function addTodos(page: Page, ...titles: string[]): Promise<void> {
  const input = newTodoInput(page);
  const before = await todoItems(page).count();
  for (const [i, title] of titles.entries()) {
    await input.fill(title);
    await input.press('Enter');
    await expect(todoItems(page)).toHaveCount(before + i + 1);
    await expect(todoTitles(page).nth(before + i)).toHaveText(title.trim());
  }
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Signs in on the admin host with the account playwright.config.ts creates
 * (e2e/admin-account.ts): the dashboard sends a signed-out browser to the
 * sign-in page, and after it the tenants table shows.
 */
export async function adminSignIn(page: Page): Promise<void> {
  await page.goto(adminURL('/'));
  await expect(page).toHaveURL(adminURL('/login'));
  await page.locator('#admin-email').fill(ADMIN_EMAIL);
  await page.locator('#admin-password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('table#tenants')).toBeVisible();
}
