import { expect, test, type Page } from '@playwright/test';
import * as fs from 'node:fs';
import { expectAccessible } from './a11y';
import { addTodos, adminSignIn, adminURL, emailFor, PASSWORD, signUp, tenantURL, todoTitles, uniqueName } from './helpers';

test('an admin sees a new tenant live, clones, exports, deletes and restores it', async ({ browser }) => {
  const adminContext = await browser.newContext({ acceptDownloads: true });
  const admin = await adminContext.newPage();
  await adminSignIn(admin);

  // A customer signs up in another browser: the row appears without a reload.
  const name = uniqueName('live');
  const customerContext = await browser.newContext();
  const customer = await customerContext.newPage();
  await signUp(customer, name);
  await addTodos(customer, 'first task', 'second task');
  const row = admin.locator(`tr[data-tenant="${name}"]`);
  await expect(row).toBeVisible({ timeout: 10_000 });
  // ...and its counters follow the customer's writes, still without a reload.
  await expect(row.locator('td.todos')).toHaveText('2', { timeout: 10_000 });
  await customer.locator('li', { hasText: 'first task' }).locator('input.toggle').click();
  await expect(row.locator('td.completed')).toHaveText('1', { timeout: 10_000 });

  // Clone it.
  await admin.goto(adminURL(`/tenants/${name}`));
  const clone = uniqueName('clone');
  await admin.locator('#clone-name').fill(clone);
  await admin.getByRole('button', { name: 'Clone' }).click();
  await expect(admin.locator('body')).toContainText(clone);

  // The clone is a working list with the same items, but no session of the
  // source: the owner signs in again.
  await customer.goto(tenantURL(clone, '/'));
  await expect(customer).toHaveURL(tenantURL(clone, '/login'));
  await customer.locator('form#login input[name="email"]').fill(emailFor(name));
  await customer.locator('form#login input[name="password"]').fill(PASSWORD);
  await customer.getByRole('button', { name: 'Sign in' }).click();
  await expect(todoTitles(customer)).toHaveText(['first task', 'second task']);

  // Export: a form POST with the CSRF token (a link could be planted on
  // another site) that downloads a SQLite file named after the tenant and
  // the date, and leaves the page where it is.
  await admin.goto(adminURL(`/tenants/${name}`));
  const [download] = await Promise.all([
    admin.waitForEvent('download'),
    admin.getByRole('button', { name: 'Export database' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^${name}-\\d{4}-\\d{2}-\\d{2}\\.db$`));
  const file = await download.path();
  const header = fs.readFileSync(file).subarray(0, 16).toString('latin1');
  expect(header).toBe('SQLite format 3\u0000');

  // Delete: the name must be typed; then the tenant leaves its host at once.
  await admin.locator('#delete-confirm').fill('not-the-name');
  await admin.getByRole('button', { name: 'Delete' }).click();
  await expect(admin.locator('[role="alert"]').first()).toBeVisible();
  await admin.goto(adminURL(`/tenants/${name}`));
  await admin.locator('#delete-confirm').fill(name);
  await admin.getByRole('button', { name: 'Delete' }).click();
  const gone = await customer.request.get(tenantURL(name, '/'));
  expect(gone.status()).toBe(404);

  // Restore from the trash: the list comes back whole.
  await admin.goto(adminURL('/?status=deleted'));
  const trashed = admin.locator(`tr[data-tenant="${name}"]`);
  await expect(trashed).toBeVisible();
  await trashed.getByRole('button', { name: 'Restore' }).click();
  await admin.goto(adminURL('/?status=deleted'));
  await expect(admin.locator(`tr[data-tenant="${name}"]`)).toHaveCount(0);
  await customer.goto(tenantURL(name, '/'));
  await expect(todoTitles(customer)).toHaveText(['first task', 'second task']);
  await expect(customer.locator('li.completed')).toHaveCount(1);

  await adminContext.close();
  await customerContext.close();
});

test('an admin queries a tenant in the SQL console, read-only by default', async ({ browser }) => {
  const customerContext = await browser.newContext();
  const customer = await customerContext.newPage();
  const name = uniqueName('cons');
  await signUp(customer, name);
  await addTodos(customer, 'first task', 'second task');
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await adminSignIn(admin);

  await admin.goto(adminURL(`/tenants/${name}/console`));
  await admin.locator('#console-sql').fill('SELECT id, title, completed FROM todos ORDER BY id');
  await admin.getByRole('button', { name: 'Run' }).click();
  const result = admin.locator('#console-result');
  await expect(result).toContainText('first task');
  await expect(result).toContainText('second task');
  // Read-only by default: a write is refused and nothing changes.
  await admin.locator('#console-sql').fill("DELETE FROM todos");
  await admin.getByRole('button', { name: 'Run' }).click();
  await expect(admin.locator('[role="alert"]').first()).toContainText(/read-only|not allowed|write/i);
  await admin.locator('#console-sql').fill('SELECT count(*) AS n FROM todos');
  await admin.getByRole('button', { name: 'Run' }).click();
  await expect(result.locator('td')).toHaveText(['2']);
  await adminContext.close();
  await customerContext.close();
});

for (const width of [1280, 390]) {
  test.describe(`suspending with a reason at ${width} px`, () => {
    test.use({ viewport: { width, height: 900 } });

    test('a suspended tenant shows its reason and its data comes back on resume', async ({ browser }) => {
      test.slow();
      const adminContext = await browser.newContext({ viewport: { width, height: 900 } });
      const admin = await adminContext.newPage();
      await adminSignIn(admin);
      const customerContext = await browser.newContext({ viewport: { width, height: 900 } });
      const customer = await customerContext.newPage();
      const name = uniqueName(`susp${width}`);
      await signUp(customer, name);
      await addTodos(customer, 'keep me');

      // A blank reason passes the browser's check but not the server's: the
      // error shows beside the form, which keeps the name typed.
      await admin.goto(adminURL(`/tenants/${name}`));
      const reason = admin.getByLabel('Reason, shown to its users');
      await reason.fill('   ');
      await admin.locator('#suspend-confirm').fill(name);
      await admin.getByRole('button', { name: 'Suspend' }).click();
      await expect(admin.locator('#suspend-error')).toContainText('give a reason');
      await expect(reason).toHaveAttribute('aria-invalid', 'true');
      await expect(reason).toBeFocused();
      await expect(admin.getByRole('button', { name: 'Resume' })).toHaveCount(0);
      await expectAccessible(admin, 'the tenant page with a refused suspension');

      // The name not typed: refused, the reason kept as typed.
      const text = 'Unpaid invoice <script>alert(1)</script>';
      await reason.fill(text);
      await admin.locator('#suspend-confirm').fill('not-the-name');
      await admin.getByRole('button', { name: 'Suspend' }).click();
      await expect(admin.locator('#suspend-error')).toContainText("type the tenant's name");
      await expect(reason).toHaveValue(text);

      await admin.locator('#suspend-confirm').fill(name);
      await admin.getByRole('button', { name: 'Suspend' }).click();
      await expect(admin.getByRole('button', { name: 'Resume' })).toBeVisible();
      await expect(admin.getByTestId('suspend-reason')).toContainText(text);

      // Its users see the reason, as text.
      await customer.reload();
      await expect(customer.locator('h1')).toHaveText('This list is suspended');
      await expect(customer.getByTestId('suspend-reason')).toHaveText(`Reason: ${text}`);
      await expect(customer.locator('input.new-todo')).toHaveCount(0);
      await expectAccessible(customer, 'the suspended page with a reason');

      await admin.getByRole('button', { name: 'Resume' }).click();
      await expect(admin.getByRole('button', { name: 'Suspend' })).toBeVisible();
      await customer.reload();
      await expect(todoTitles(customer)).toHaveText(['keep me']);
      await expect(customer.getByTestId('suspend-reason')).toHaveCount(0);
      await adminContext.close();
      await customerContext.close();
    });

    test('an admin signs one user out everywhere', async ({ browser }) => {
      const adminContext = await browser.newContext({ viewport: { width, height: 900 } });
      const admin = await adminContext.newPage();
      await adminSignIn(admin);
      const customerContext = await browser.newContext({ viewport: { width, height: 900 } });
      const customer = await customerContext.newPage();
      const name = uniqueName(`out${width}`);
      await signUp(customer, name);

      await admin.goto(adminURL(`/tenants/${name}`));
      await expectAccessible(admin, 'the tenant page with its users');
      await admin.getByRole('button', { name: `Sign out everywhere for ${emailFor(name)}` }).click();
      await expect(admin.getByRole('status').first()).toContainText(`Signed ${emailFor(name)} out everywhere: 1 session ended.`);
      await customer.reload();
      await expect(customer).toHaveURL(tenantURL(name, '/login'));
      await adminContext.close();
      await customerContext.close();
    });
  });
}

test('an export is a POST that downloads the database, which imports back', async ({ browser }) => {
  const customerContext = await browser.newContext();
  const name = uniqueName('exp');
  await signUp(await customerContext.newPage(), name);
  const adminContext = await browser.newContext({ acceptDownloads: true });
  const admin = await adminContext.newPage();
  await adminSignIn(admin);

  // The button posts a form with the CSRF token; the page stays.
  await admin.goto(adminURL(`/tenants/${name}`));
  const [download] = await Promise.all([
    admin.waitForEvent('download'),
    admin.getByRole('button', { name: 'Export database' }).click(),
  ]);
  const file = await download.path();
  expect(fs.readFileSync(file).subarray(0, 16).toString('latin1')).toBe('SQLite format 3\u0000');
  await expect(admin).toHaveURL(adminURL(`/tenants/${name}`));

  // The old GET address (a link another site could plant) starts nothing.
  const old = await admin.request.get(adminURL(`/tenants/${name}/export`), { maxRedirects: 0 });
  expect(old.status()).toBe(405);
  expect(old.headers()['content-disposition']).toBeUndefined();

  // The dashboard's import form takes the file back: the browser's upload
  // is streamed to disk, its CSRF token read before the file.
  const imported = uniqueName('imp');
  await admin.goto(adminURL('/'));
  await admin.locator('#import-panel summary').click();
  await admin.locator('#import-file').setInputFiles(file);
  await admin.locator('#import-name').fill(imported);
  await admin.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(admin).toHaveURL(adminURL(`/tenants/${imported}`));
  await expect(admin.locator('[role="status"]').first()).toContainText(`Imported ${imported}.`);
  await adminContext.close();
  await customerContext.close();
});
