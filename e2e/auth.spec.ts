import { expect, test } from '@playwright/test';
import {
  addTodos, emailFor, PASSWORD, signIn, signUp, siteURL, tenantURL, todoItem, todoTitles, uniqueName,
} from './helpers';

test.describe('authentication and tenant isolation', () => {
  test('a tenant host without a session redirects to its login page', async ({ page, browser }) => {
    const name = uniqueName('nosess');
    const owner = await browser.newContext();
    try {
      await signUp(await owner.newPage(), name);
    } finally {
      await owner.close();
    }

    await page.goto(tenantURL(name, '/'));
    await expect(page).toHaveURL(tenantURL(name, '/login'));
    const form = page.locator('form#login');
    await expect(form.locator('input[name="email"]')).toBeVisible();
    await expect(form.locator('input[name="password"]')).toHaveAttribute('type', 'password');
    await expect(form.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await expect(page.locator('section.todoapp')).toHaveCount(0);
  });

  test('a wrong password shows an error and does not sign in', async ({ page, browser }) => {
    const name = uniqueName('wrongpw');
    const owner = await browser.newContext();
    try {
      await signUp(await owner.newPage(), name);
    } finally {
      await owner.close();
    }

    await signIn(page, name, emailFor(name), `${PASSWORD}-wrong`);
    await expect(page.locator('[role="alert"]')).toBeVisible();
    await expect(page.locator('[role="alert"]')).not.toHaveText('');
    await expect(page.locator('form#login')).toBeVisible();
    await expect(page.locator('section.todoapp')).toHaveCount(0);

    await page.goto(tenantURL(name, '/'));
    await expect(page).toHaveURL(tenantURL(name, '/login'));
  });

  test('sign out ends the session and shows the login page', async ({ page }) => {
    const name = uniqueName('signout');
    await signUp(page, name);

    await page.locator('form#logout').getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(tenantURL(name, '/login'));
    await expect(page.locator('form#login')).toBeVisible();

    await page.goto(tenantURL(name, '/'));
    await expect(page).toHaveURL(tenantURL(name, '/login'));
    await expect(page.locator('section.todoapp')).toHaveCount(0);
  });

  test('data persists across sign out and a new sign-in', async ({ page }) => {
    const name = uniqueName('persist');
    await signUp(page, name);
    await addTodos(page, 'buy milk', 'walk the dog');
    await todoItem(page, 'buy milk').locator('input.toggle').click();
    await expect(todoItem(page, 'buy milk')).toHaveClass('completed');

    await page.locator('form#logout').getByRole('button', { name: 'Sign out' }).click();
    await expect(page.locator('form#login')).toBeVisible();

    await signIn(page, name);
    await expect(page).toHaveURL(tenantURL(name, '/'));
    await expect(todoTitles(page)).toHaveText(['buy milk', 'walk the dog']);
    await expect(todoItem(page, 'buy milk')).toHaveClass('completed');
    await expect(todoItem(page, 'walk the dog')).not.toHaveClass(/completed/);
  });

  test('an unknown tenant host answers 404 with a link back to the site', async ({ page }) => {
    const resp = await page.goto(tenantURL(uniqueName('nobody'), '/'));
    expect(resp?.status()).toBe(404);

    const hrefs = await page.locator('a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    const index = hrefs.findIndex((h) => h === siteURL('/'));
    expect(index, `links on the 404 page: ${JSON.stringify(hrefs)}`).toBeGreaterThanOrEqual(0);
    await page.locator('a').nth(index).click();
    await expect(page).toHaveURL(siteURL('/'));
    await expect(page.locator('form#signup')).toBeVisible();
  });

  test('two tenants do not see each other\'s items', async ({ browser }) => {
    const a = uniqueName('tenanta');
    const b = uniqueName('tenantb');
    const ctxA = await browser.newContext();
    const ctxB = await browser.newContext();
    try {
      const pageA = await ctxA.newPage();
      const pageB = await ctxB.newPage();
      await signUp(pageA, a);
      await signUp(pageB, b);
      await addTodos(pageA, 'secret of A');
      await addTodos(pageB, 'item of B');

      await pageA.reload();
      await pageB.reload();
      await expect(todoTitles(pageA)).toHaveText(['secret of A']);
      await expect(todoTitles(pageB)).toHaveText(['item of B']);
    } finally {
      await ctxA.close();
      await ctxB.close();
    }
  });

  test('tenant A\'s session does not open tenant B\'s list', async ({ page, browser }) => {
    const a = uniqueName('owna');
    const b = uniqueName('ownb');
    const ctxB = await browser.newContext();
    try {
      await signUp(await ctxB.newPage(), b);
    } finally {
      await ctxB.close();
    }
    await signUp(page, a);
    await addTodos(page, 'only for A');

    // As the browser sends them.
    await page.goto(tenantURL(b, '/'));
    await expect(page).toHaveURL(tenantURL(b, '/login'));
    await expect(page.locator('form#login')).toBeVisible();
    await expect(page.getByText('only for A')).toHaveCount(0);

    // Even when A's cookies are presented to B's host, the server must not
    // accept them there.
    const context = page.context();
    const cookiesA = await context.cookies(tenantURL(a, '/'));
    expect(cookiesA.length, 'signed-in tenant A has at least one cookie').toBeGreaterThan(0);
    await context.addCookies(cookiesA.map((c) => ({
      name: c.name,
      value: c.value,
      domain: `${b}.localhost`,
      path: c.path,
      expires: c.expires,
      httpOnly: c.httpOnly,
      secure: c.secure,
      sameSite: c.sameSite,
    })));
    await page.goto(tenantURL(b, '/'));
    await expect(page).toHaveURL(tenantURL(b, '/login'));
    await expect(page.locator('form#login')).toBeVisible();
    await expect(page.getByText('only for A')).toHaveCount(0);

    // A's own list is still there.
    await page.goto(tenantURL(a, '/'));
    await expect(todoTitles(page)).toHaveText(['only for A']);
  });
});
