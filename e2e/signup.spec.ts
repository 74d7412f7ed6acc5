import { expect, test } from '@playwright/test';
import { expectAccessible } from './a11y';
import { emailFor, PASSWORD, signUp, siteURL, tenantURL, uniqueName } from './helpers';

test.describe('landing site', () => {
  test('shows the sign-up and find forms', async ({ page }) => {
    const resp = await page.goto(siteURL('/'));
    expect(resp?.status()).toBe(200);

    const signup = page.locator('form#signup');
    await expect(signup.locator('input[name="name"]')).toBeVisible();
    await expect(signup.locator('input[name="email"]')).toBeVisible();
    await expect(signup.locator('input[name="password"]')).toHaveAttribute('type', 'password');
    await expect(signup.locator('select[name="region"] option[value="local"]')).toHaveCount(1);
    await expect(signup.getByRole('button', { name: 'Create my list' })).toBeVisible();

    const find = page.locator('form#find');
    await expect(find.locator('input[name="name"]')).toBeVisible();
    await expect(find.getByRole('button', { name: 'Go to my list' })).toBeVisible();
  });

  test('sign-up lands on the new tenant host, signed in, with an empty list', async ({ page }) => {
    const name = uniqueName('signup');
    await signUp(page, name);

    await expect(page).toHaveURL(tenantURL(name, '/'));
    await expect(page.locator('section.todoapp header.header h1')).toHaveText('todos');
    const input = page.locator('section.todoapp header.header input.new-todo');
    await expect(input).toHaveAttribute('placeholder', 'What needs to be done?');
    await expect(input).toHaveAttribute('autofocus');
    await expect(input).toBeFocused();
    await expect(page.locator('form#logout').getByRole('button', { name: 'Sign out' })).toBeVisible();
    await expect(page.locator('section.main')).toHaveCount(0);
    await expect(page.locator('footer.footer')).toHaveCount(0);
  });

  test('sign-up with a taken name re-renders the form with an error and keeps the typed values', async ({ page, browser }) => {
    const name = uniqueName('taken');
    const first = await browser.newContext();
    try {
      await signUp(await first.newPage(), name);
    } finally {
      await first.close();
    }

    const email = `second@${name}.example.org`;
    await page.goto(siteURL('/'));
    const form = page.locator('form#signup');
    await form.locator('input[name="name"]').fill(name);
    await form.locator('input[name="email"]').fill(email);
    await form.locator('input[name="password"]').fill(PASSWORD);
    await form.locator('select[name="region"]').selectOption('local');
    const response = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().startsWith(siteURL('/')));
    await form.getByRole('button', { name: 'Create my list' }).click();
    const status = (await response).status();
    expect(status, `sign-up with a taken name answered ${status}`).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);

    await expect(page.locator('[role="alert"]')).toBeVisible();
    await expect(page.locator('[role="alert"]')).not.toHaveText('');
    expect(new URL(page.url()).host).toBe(`localhost:${new URL(siteURL()).port}`);
    await expect(page.locator('form#signup input[name="name"]')).toHaveValue(name);
    await expect(page.locator('form#signup input[name="email"]')).toHaveValue(email);
  });

  test('"Go to my list" without a session leads to that tenant\'s login page', async ({ page, browser }) => {
    const name = uniqueName('find');
    const owner = await browser.newContext();
    try {
      await signUp(await owner.newPage(), name);
    } finally {
      await owner.close();
    }

    await page.goto(siteURL('/'));
    await page.locator('form#find input[name="name"]').fill(name);
    await page.locator('form#find').getByRole('button', { name: 'Go to my list' }).click();
    await expect(page).toHaveURL(tenantURL(name, '/login'));
    await expect(page.locator('form#login')).toBeVisible();
  });

  test('"Go to my list" with an unknown name says so beside its form', async ({ page }) => {
    await page.goto(siteURL('/'));
    const find = page.locator('form#find');
    await find.locator('input[name="name"]').fill('no-such-list');
    await find.getByRole('button', { name: 'Go to my list' }).click();
    await expect(find.locator('#find-name-error')).toHaveText('There is no list called "no-such-list".');
    await expect(find.locator('input[name="name"]')).toBeFocused();
    await expect(find.locator('input[name="name"]')).toHaveAttribute('aria-describedby', 'find-name-error');
    await expect(page.locator('form#signup').locator('..').locator('.alert')).toHaveCount(0);
    await expectAccessible(page, 'the find form with an error');
  });

  test('"Go to my list" with a session opens the list', async ({ page }) => {
    const name = uniqueName('findin');
    await signUp(page, name, emailFor(name));

    await page.goto(siteURL('/'));
    await page.locator('form#find input[name="name"]').fill(name);
    await page.locator('form#find').getByRole('button', { name: 'Go to my list' }).click();
    await expect(page).toHaveURL(tenantURL(name, '/'));
    await expect(page.locator('section.todoapp input.new-todo')).toBeVisible();
  });
});
