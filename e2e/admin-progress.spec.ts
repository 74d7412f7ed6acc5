import { expect, test, type Page, type Route } from '@playwright/test';
import { expectAccessible } from './a11y';
import { adminSignIn, adminURL, emailFor, PASSWORD, signUp, siteURL, tenantURL, uniqueName } from './helpers';

// Errors beside the form that caused them, and progress while a request
// runs: the admin's create and import forms, the SQL console and the
// sign-up. Requests are held back with page.route until the test has seen
// the busy state, then let through: no timing is asserted.

/**
 * Holds the POST requests to url until release() is called; other
 * requests go through. A request the page aborted meanwhile is let be.
 */
async function holdPosts(page: Page, url: string) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => { release = resolve; });
  let held = 0;
  await page.route(url, async (route: Route) => {
    if (route.request().method() !== 'POST') return route.continue();
    held++;
    await gate;
    await route.continue().catch(() => {});
  });
  return { release, held: () => held };
}

/** An export of a fresh tenant: a real, small TODOs database. */
async function exportOf(page: Page, name: string): Promise<string> {
  await page.goto(adminURL(`/tenants/${name}`));
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export database' }).click(),
  ]);
  return download.path();
}

for (const [width, height] of [[1280, 800], [390, 844]]) {
  test.describe(`at ${width} px`, () => {
    test.use({ viewport: { width, height } });

    test('create and import errors show beside their forms; an import shows its progress', async ({ browser }) => {
      test.slow();
      const customerContext = await browser.newContext();
      const taken = uniqueName('prog-taken');
      await signUp(await customerContext.newPage(), taken);
      await customerContext.close();
      const context = await browser.newContext({ viewport: { width, height }, acceptDownloads: true });
      const page = await context.newPage();
      await adminSignIn(page);

      // A taken name: the error is inside the create card, its field
      // marked and focused, what was typed kept.
      await page.locator('#create-panel summary').click();
      await page.locator('#create-name').fill(taken);
      await page.locator('#create-email').fill('someone@example.com');
      await page.getByRole('button', { name: 'Create tenant' }).click();
      const createError = page.locator('#create-panel #create-error');
      await expect(createError).toContainText('already taken');
      await expect(createError).toBeInViewport();
      await expect(page.locator('#create-name')).toBeFocused();
      await expect(page.locator('#create-name')).toHaveAttribute('aria-invalid', 'true');
      await expect(page.locator('#create-name')).toHaveAttribute('aria-describedby', 'create-error');
      await expect(page.locator('#create-email')).toHaveValue('someone@example.com');
      await expect(page.locator('.flashes')).toHaveCount(0);
      await expectAccessible(page, 'a refused create');

      // A file that is no database: the error is beside the import form.
      await page.goto(adminURL('/'));
      await page.locator('#import-panel summary').click();
      await page.locator('#import-file').setInputFiles({ name: 'junk.db', mimeType: 'application/octet-stream', buffer: Buffer.from('not a database '.repeat(100)) });
      await page.locator('#import-name').fill(uniqueName('prog-junk'));
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      const importError = page.locator('#import-panel #import-error');
      await expect(importError).toContainText('not a SQLite database');
      await expect(importError).toBeInViewport();
      await expect(page.locator('#import-file')).toHaveAttribute('aria-invalid', 'true');
      await expect(page.locator('#import-file')).toBeFocused();
      await expect(page.getByRole('button', { name: 'Import', exact: true })).toBeEnabled();
      await expectAccessible(page, 'a refused import');

      // A real database: the upload's progress shows, then the new tenant's page.
      const file = await exportOf(page, taken);
      const imported = uniqueName('prog-imp');
      await page.goto(adminURL('/'));
      const hold = await holdPosts(page, adminURL('/tenants/import'));
      await page.locator('#import-panel summary').click();
      await page.locator('#import-file').setInputFiles(file);
      await page.locator('#import-name').fill(imported);
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      const busy = page.locator('#admin-import button[type="submit"]');
      await expect(busy).toBeDisabled();
      await expect(busy).toHaveAttribute('aria-busy', 'true');
      await expect(busy).toHaveText('Importing…');
      await expect(page.locator('#import-progress progress')).toBeVisible();
      await expect(page.locator('#import-progress-text')).toHaveText(/\d+%/);
      await expect(page.locator('#import-progress-text')).toHaveAttribute('aria-live', 'polite');
      await expectAccessible(page, 'an import in progress');
      hold.release();
      await expect(page).toHaveURL(adminURL(`/tenants/${imported}`));
      await expect(page.locator('[role="status"]').first()).toContainText(`Imported ${imported}.`);
      await context.close();
    });

    test('the console shows elapsed time while it runs and can be cancelled', async ({ browser }) => {
      const customerContext = await browser.newContext();
      const name = uniqueName('prog-cons');
      await signUp(await customerContext.newPage(), name);
      await customerContext.close();
      const context = await browser.newContext({ viewport: { width, height } });
      const page = await context.newPage();
      await adminSignIn(page);
      await page.goto(adminURL(`/tenants/${name}/console`));
      const run = page.locator('#console button[type="submit"]');

      // A query that never ends, cancelled: the server kills it (it would
      // otherwise run to the 5-second limit), and the history says so.
      await page.locator('#console-sql').fill('WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM n) SELECT count(*) FROM n');
      await run.click();
      await expect(run).toBeDisabled();
      await expect(run).toHaveAttribute('aria-busy', 'true');
      await expect(page.locator('#console-status')).toHaveText('Running the query…');
      await expect(page.locator('#console-elapsed')).toHaveText(/^[1-9]\d* s$/);
      await expectAccessible(page, 'a running console query');
      await page.getByRole('button', { name: 'Cancel' }).click();
      await expect(page.locator('#console-status')).toHaveText('Cancelled: the query was stopped.');
      await expect(page.getByRole('button', { name: 'Cancel' })).toBeHidden();
      await expect(run).toBeEnabled();
      await expect(run).toHaveText('Run');
      await page.reload();
      await expect(page.locator('body')).toContainText('The query was cancelled.');

      // Run again, held back and let through: the result replaces the page.
      await page.locator('#console-sql').fill('SELECT count(*) AS n FROM todos');
      const hold = await holdPosts(page, adminURL(`/tenants/${name}/console`));
      await run.click();
      await expect(run).toBeDisabled();
      await expect(page.getByRole('button', { name: 'Cancel' })).toBeVisible();
      hold.release();
      await expect(page.locator('#console-result td')).toHaveText(['0']);
      await expect(page.locator('#console button[type="submit"]')).toBeEnabled();
      await expect(page).toHaveURL(adminURL(`/tenants/${name}/console`));
      await context.close();
    });

    test('sign-up shows every error at once and its button waits for the answer', async ({ page }) => {
      await page.goto(siteURL('/'));
      const form = page.locator('form#signup');
      await form.locator('input[name="name"]').fill('No Spaces');
      await form.locator('input[name="email"]').fill('not an email');
      await form.locator('input[name="password"]').fill('short');
      await form.getByRole('button', { name: 'Create my list' }).click();
      for (const field of ['name', 'email', 'password']) {
        await expect(page.locator(`#signup-${field}-error`)).toBeVisible();
        await expect(page.locator(`#signup-${field}`)).toHaveAttribute('aria-invalid', 'true');
      }
      await expect(page.locator('#signup-name')).toBeFocused();
      await expectAccessible(page, 'a sign-up with every field wrong');

      const name = uniqueName('prog-signup');
      const hold = await holdPosts(page, siteURL('/signup'));
      await form.locator('input[name="name"]').fill(name);
      await form.locator('input[name="email"]').fill(emailFor(name));
      await form.locator('input[name="password"]').fill(PASSWORD);
      // The button's state is read in the page right after the submit event:
      // Playwright's own checks would wait for the held navigation.
      const seen = page.evaluate(() => new Promise<{ disabled: boolean; busy: string | null; text: string }>((resolve) => {
        document.addEventListener('submit', () => setTimeout(() => {
          const b = document.querySelector<HTMLButtonElement>('#signup button[type="submit"]')!;
          resolve({ disabled: b.disabled, busy: b.getAttribute('aria-busy'), text: b.textContent || '' });
        }, 0));
      }));
      await form.evaluate((f: HTMLFormElement) => f.requestSubmit());
      expect(await seen).toEqual({ disabled: true, busy: 'true', text: 'Creating your list…' });
      expect(hold.held()).toBeLessThanOrEqual(1);
      hold.release();
      await expect(page).toHaveURL(tenantURL(name, '/'));
    });
  });
}

test('without JavaScript a refused create lands on its form, the field focused', async ({ browser }) => {
  const customerContext = await browser.newContext();
  const taken = uniqueName('prog-nojs');
  await signUp(await customerContext.newPage(), taken);
  await customerContext.close();
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await adminSignIn(page);
  await page.locator('#create-panel summary').click();
  await page.locator('#create-name').fill(taken);
  await page.locator('#create-email').fill('someone@example.com');
  await page.getByRole('button', { name: 'Create tenant' }).click();
  await expect(page.locator('#create-panel #create-error')).toContainText('already taken');
  await expect(page.locator('#create-name')).toBeFocused();
  await expect(page.locator('#create-error')).toBeInViewport();
  await context.close();
});
