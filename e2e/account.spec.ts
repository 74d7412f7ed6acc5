import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { expectAccessible } from './a11y';
import { addTodos, emailFor, PASSWORD, signIn, signUp, tenantURL, uniqueName } from './helpers';

// The account page of a list's owner (views/todo/account.html): export,
// password, sessions and deletion, at a desktop and a phone width.

const SQLITE3 = '/usr/bin/sqlite3';

/** Runs one SQL statement on the file at path with the real sqlite3 shell. */
function sqlite3(path: string, sql: string): string {
  return execFileSync(SQLITE3, [path, sql], { encoding: 'utf8' }).trim();
}

/** Opens the account page from the link in the list's footer. */
async function openAccount(page: Page, name: string): Promise<void> {
  await page.goto(tenantURL(name, '/'));
  await page.getByRole('link', { name: 'Your account and data' }).click();
  await expect(page).toHaveURL(tenantURL(name, '/account'));
  await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
}

for (const width of [1280, 390]) {
  test.describe(`account page at ${width} px`, () => {
    test.use({ viewport: { width, height: 900 } });
    // Several page loads, two downloads and three axe runs, on a shared
    // machine: more than the default 30 s when it is busy.
    test.describe.configure({ timeout: 90_000 });

    test('export, change the password, see the sessions, delete the list', async ({ page, browser }) => {
      const name = uniqueName(`acct${width}`);
      await signUp(page, name);
      await addTodos(page, 'buy milk', 'say "hi", then leave');

      // A second browser signed in as the same owner.
      const other = await browser.newContext();
      const otherPage = await other.newPage();
      await signIn(otherPage, name);
      await expect(otherPage).toHaveURL(tenantURL(name, '/'));

      await openAccount(page, name);
      await expect(page.getByTestId('session')).toHaveCount(2);
      await expect(page.locator('[data-testid="session"][data-current="true"]')).toContainText('This browser');
      await expect(page.getByTestId('retention')).toHaveText('7 days');
      await expectAccessible(page, 'the account page');

      // The database: a SQLite file with the todos, no hash, no session.
      const [db] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download the database (.db)' }).click(),
      ]);
      expect(db.suggestedFilename()).toMatch(new RegExp(`^${name}-\\d{4}-\\d{2}-\\d{2}\\.db$`));
      const dbPath = test.info().outputPath('export.db');
      await db.saveAs(dbPath);
      const bytes = fs.readFileSync(dbPath);
      expect(bytes.subarray(0, 15).toString()).toBe('SQLite format 3');
      expect(bytes.includes('$argon2id$')).toBe(false);
      if (fs.existsSync(SQLITE3)) {
        expect(sqlite3(dbPath, 'select title from todos order by id')).toBe('buy milk\nsay "hi", then leave');
        expect(sqlite3(dbPath, "select count(*) from users where password_hash <> ''")).toBe('0');
        expect(sqlite3(dbPath, 'select count(*) from sessions')).toBe('0');
      }

      // The todos as CSV.
      const [csv] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download as CSV' }).click(),
      ]);
      const csvPath = test.info().outputPath('export.csv');
      await csv.saveAs(csvPath);
      const rows = fs.readFileSync(csvPath, 'utf8').trim().split('\n');
      expect(rows[0]).toBe('id,title,completed,created_at,updated_at');
      expect(rows[2]).toContain('"say ""hi"", then leave",false');
      await expect(page).toHaveURL(tenantURL(name, '/account'));

      // A wrong current password: the error beside the field, nothing changes.
      const current = page.getByLabel('Current password');
      await current.fill('not my password');
      await page.getByLabel('New password').fill('a-brand-new-secret');
      await page.getByRole('button', { name: 'Change password' }).click();
      const error = page.locator('#current_password-error');
      await expect(error).toHaveText('That is not your current password.');
      await expect(current).toHaveAttribute('aria-invalid', 'true');
      await expect(current).toHaveAttribute('aria-describedby', 'current_password-error');
      await expect(current).toBeFocused();
      await expectAccessible(page, 'the account page with a password error');
      await otherPage.goto(tenantURL(name, '/'));
      await expect(otherPage).toHaveURL(tenantURL(name, '/'));

      // The right one: this browser stays, the other is signed out.
      await page.getByLabel('Current password').fill(PASSWORD);
      await page.getByLabel('New password').fill('a-brand-new-secret');
      await page.getByRole('button', { name: 'Change password' }).click();
      await expect(page.getByRole('status')).toContainText('Your password was changed');
      await expect(page.getByTestId('session')).toHaveCount(1);
      await otherPage.goto(tenantURL(name, '/'));
      await expect(otherPage).toHaveURL(tenantURL(name, '/login'));

      // Deleting needs the exact name.
      await page.getByLabel(/Type the list's name/).fill(name.toUpperCase());
      await page.getByLabel('Your password').fill('a-brand-new-secret');
      await page.getByRole('button', { name: 'Delete my list' }).click();
      await expect(page.locator('#confirm_name-error')).toContainText('Nothing was deleted');
      await expect(page.getByLabel(/Type the list's name/)).toHaveAttribute('aria-invalid', 'true');
      await expectAccessible(page, 'the account page with a delete error');

      await page.getByLabel(/Type the list's name/).fill(name);
      await page.getByLabel('Your password').fill('a-brand-new-secret');
      await page.getByRole('button', { name: 'Delete my list' }).click();
      await expect(page).toHaveURL(tenantURL(name, '/'));
      await expect(page.getByRole('heading', { name: 'This list was deleted' })).toBeVisible();
      await expect(page.getByRole('alert')).toContainText('This TODO list was deleted');
      await other.close();
    });

    test('sign out everywhere ends every session, this one included', async ({ page, browser }) => {
      const name = uniqueName(`out${width}`);
      await signUp(page, name);
      const other = await browser.newContext();
      const otherPage = await other.newPage();
      await signIn(otherPage, name, emailFor(name));
      await expect(otherPage).toHaveURL(tenantURL(name, '/'));

      await openAccount(page, name);
      await page.getByRole('button', { name: 'Sign out everywhere' }).click();
      await expect(page).toHaveURL(tenantURL(name, '/login'));
      await expect(page.getByRole('status')).toContainText('signed out everywhere');
      await otherPage.goto(tenantURL(name, '/'));
      await expect(otherPage).toHaveURL(tenantURL(name, '/login'));
      await other.close();
    });
  });
}
