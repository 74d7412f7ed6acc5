import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, expectSideMargins, expectTablesFit } from './a11y';
import { addTodos, adminSignIn, adminURL, emailFor, PASSWORD, provider, signIn, signUp, siteURL, tenantURL, todoItem, todoItems, uniqueName } from './helpers';

// Every page and state, at a wide screen and a phone: axe-core finds no
// WCAG 2.x A/AA violation and nothing scrolls sideways.

/** Checks that a tenant host's page has the list's look (stylesheet) and keeps off the screen's edges. */
async function expectListStyle(page: Page, what: string): Promise<void> {
  await expect(page.locator('link[rel="stylesheet"][href="/static/app.css"]'), `${what} uses the list's stylesheet`).toHaveCount(1);
  await expectSideMargins(page, 'main.card', what);
}

for (const [width, height] of [[1280, 800], [390, 844]]) {
  test.describe(`at ${width} px`, () => {
    test.use({ viewport: { width, height } });

    test('the sign-up site and the 404s outside a list', async ({ page }) => {
      await page.goto(siteURL('/'));
      await expectAccessible(page, 'the landing page');

      // A refused sign-up shows its error beside the form.
      const form = page.locator('form#signup');
      await form.locator('input[name="name"]').fill('No Spaces Allowed');
      await form.locator('input[name="email"]').fill('someone@example.com');
      await form.locator('input[name="password"]').fill(PASSWORD);
      await form.getByRole('button', { name: 'Create my list' }).click();
      await expect(page.locator('[role="alert"]').first()).toBeVisible();
      await expectAccessible(page, 'the landing page with a sign-up error');

      await page.goto(siteURL('/no-such-page'));
      await expect(page.locator('h1')).toHaveText('Not found');
      await expectAccessible(page, 'the site 404');
      await expectSideMargins(page, 'main.card', 'the site 404');

      await page.goto(tenantURL(uniqueName('nolist'), '/'));
      await expect(page.locator('h1')).toHaveText('Not found');
      await expectAccessible(page, 'the 404 of a list that does not exist');
      await expectListStyle(page, 'the 404 of a list that does not exist');
    });

    test('a list in every state, its sign-in page and its 404', async ({ page }) => {
      const name = uniqueName('a11y');
      await signUp(page, name);
      await expectAccessible(page, 'the empty list');

      await addTodos(page, 'buy milk', 'a rather long todo title that has to wrap on a phone without pushing anything sideways', 'call mum');
      await todoItem(page, 'buy milk').locator('input.toggle').check();
      await expect(todoItem(page, 'buy milk')).toHaveClass(/completed/);
      await expectAccessible(page, 'the list with todos');

      await page.goto(tenantURL(name, '/active'));
      await expect(todoItems(page)).toHaveCount(2);
      await expectAccessible(page, 'the Active filter');
      await page.goto(tenantURL(name, '/completed'));
      await expect(todoItems(page)).toHaveCount(1);
      await expectAccessible(page, 'the Completed filter');

      await page.goto(tenantURL(name, '/'));
      await todoItem(page, 'call mum').locator('label[data-testid="todo-title"]').dblclick();
      await expect(page.locator('li.editing input.edit')).toBeFocused();
      await expectAccessible(page, 'the list while editing a todo');

      // A signed-in user's 404 leads back to the list.
      await page.goto(tenantURL(name, '/no-such-page'));
      await expect(page.locator('h1')).toHaveText('Not found');
      await expect(page.getByRole('link', { name: 'Back to your list' })).toHaveAttribute('href', '/');
      await expectAccessible(page, 'a signed-in user\'s 404');
      await expectListStyle(page, 'a signed-in user\'s 404');

      // The owner's account page (linked from the list's footer).
      await page.goto(tenantURL(name, '/'));
      await page.getByRole('link', { name: 'Your account and data' }).click();
      await expect(page).toHaveURL(tenantURL(name, '/account'));
      await expectAccessible(page, 'the account page');

      await page.goto(tenantURL(name, '/'));
      await page.getByRole('button', { name: 'Sign out' }).click();
      await expect(page).toHaveURL(tenantURL(name, '/login'));
      await expectAccessible(page, 'the sign-in page');
      await expectListStyle(page, 'the sign-in page');
      await signIn(page, name, emailFor(name), 'not-the-password');
      await expect(page.locator('[role="alert"]').first()).toBeVisible();
      await expectAccessible(page, 'the sign-in page with an error');
    });

    test('the admin pages, its 404 and the tenant-created page', async ({ browser, page }) => {
      test.slow(); // many pages, each checked twice, on a shared machine
      await page.goto(adminURL('/login'));
      await expectAccessible(page, 'the admin sign-in page');
      await adminSignIn(page);

      // A tenant with a long name and todos, so that tables are full.
      const name = uniqueName('a11y-admin-tenant-with-a-long-name');
      const customerContext = await browser.newContext({ viewport: { width, height } });
      const customer = await customerContext.newPage();
      await signUp(customer, name);
      await addTodos(customer, 'first task', 'second task');

      await page.goto(adminURL('/'));
      await expect(page.locator(`tr[data-tenant="${name}"]`)).toBeVisible();
      await expectAccessible(page, 'the dashboard');
      if (width >= 1280) await expectTablesFit(page, 'the dashboard');
      // The activity chart's hour labels stay readable however narrow it is.
      if (provider() === 'local') await expect(page.locator('#activity-chart text.tick').first()).toBeVisible();
      for (const tick of await page.locator('#activity-chart text.tick').all()) {
        expect.soft((await tick.boundingBox())!.height, 'an hour label of the chart is readable').toBeGreaterThanOrEqual(9);
      }
      await page.goto(adminURL('/?status=deleted'));
      await expectAccessible(page, 'the trash');
      await page.goto(adminURL(`/tenants/${name}`));
      await expectAccessible(page, 'the tenant page');

      await page.goto(adminURL('/no-such-page'));
      await expect(page.locator('h1')).toHaveText('Not found');
      await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
      await expectAccessible(page, 'the admin 404');

      // Creating a tenant shows its password once.
      await page.goto(adminURL('/'));
      await page.locator('#create-panel summary').click();
      const created = uniqueName('a11y-created');
      await page.locator('#create-name').fill(created);
      await page.locator('#create-email').fill(emailFor(created));
      await page.getByRole('button', { name: 'Create tenant' }).click();
      await expect(page.locator('#owner-password')).toBeVisible();
      await expectAccessible(page, 'the tenant-created page');
      await customerContext.close();
    });

    test('a suspended list, and the audit log with a failure', async ({ browser, page }) => {
      test.slow();
      const name = uniqueName('a11y-susp');
      const customerContext = await browser.newContext({ viewport: { width, height } });
      const customer = await customerContext.newPage();
      await signUp(customer, name);
      await adminSignIn(page);

      // Suspending the tenant: its users see the suspended page.
      await page.goto(adminURL(`/tenants/${name}`));
      await page.getByLabel('Reason, shown to its users').fill('Scheduled maintenance');
      await page.locator('#suspend-confirm').fill(name);
      await page.getByRole('button', { name: 'Suspend' }).click();
      await expect(page.getByRole('button', { name: 'Resume' })).toBeVisible();
      await customer.reload();
      await expect(customer.locator('h1')).toHaveText('This list is suspended');
      await expectAccessible(customer, 'the suspended page');
      await expectListStyle(customer, 'the suspended page');

      // A refused delete, so that the audit log holds a failure too.
      await page.locator('#delete-confirm').fill('not-the-name');
      await page.getByRole('button', { name: 'Delete' }).click();
      await expect(page.locator('[role="alert"]').first()).toBeVisible();
      await page.goto(adminURL('/audit'));
      await expect(page.locator('#audit tr.outcome-failed').first()).toBeVisible();
      await expectAccessible(page, 'the audit log');
      if (width >= 1280) await expectTablesFit(page, 'the audit log');
      await customerContext.close();
    });

    test('the SQL console with a result that holds NULLs', async ({ page }) => {
      test.slow();
      const name = uniqueName('a11y-cons');
      const customerContext = await page.context().browser()!.newContext();
      await signUp(await customerContext.newPage(), name);
      await customerContext.close();
      await adminSignIn(page);
      await page.goto(adminURL(`/tenants/${name}/console`));
      await expectAccessible(page, 'the console');
      await page.locator('#console-sql').fill(
        "SELECT 1 AS id, NULL AS missing, 'a value long enough to need the table to scroll on a phone, inside its own box' AS text, x'00ff' AS blob, 2.5 AS real",
      );
      await page.getByRole('button', { name: 'Run' }).click();
      await expect(page.locator('#console-result span.null')).toHaveCount(1);
      await expectAccessible(page, 'the console with a result');
    });
  });
}
