import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './a11y';
import { adminSignIn, adminURL, emailFor, PASSWORD, signIn, signUp, tenantURL, uniqueName } from './helpers';

// Forgot password without SMTP: the sign-in page sends the user to ask the
// operator, and the admin app issues a single-use reset link.

for (const width of [1280, 390]) {
  test.describe(`password reset at ${width} px`, () => {
    test.use({ viewport: { width, height: 900 } });
    test.describe.configure({ timeout: 90_000 });

    test('the operator issues a reset link that works once', async ({ page, browser }) => {
      const name = uniqueName(`reset${width}`);
      await signUp(page, name);

      // A visitor who forgot: the sign-in page says to ask the operator.
      const visitor = await (await browser.newContext()).newPage();
      await visitor.goto(tenantURL(name, '/login'));
      await visitor.getByRole('link', { name: 'Forgot your password?' }).click();
      await expect(visitor.locator('#ask-operator')).toContainText('Ask the operator');
      await expectAccessible(visitor, 'the forgot page');

      // The admin issues a link from the tenant's page.
      const admin = await (await browser.newContext()).newPage();
      await adminSignIn(admin);
      await admin.goto(adminURL(`/tenants/${name}`));
      const users = admin.locator('table#tenant-users');
      await expect(users).toContainText(emailFor(name));
      await expectAccessible(admin, 'the tenant page with its users');
      await users.getByRole('button', { name: `Issue reset link for ${emailFor(name)}` }).click();
      const link = (await admin.locator('#reset-link').textContent())!.trim();
      expect(link).toMatch(new RegExp(`^${tenantURL(name, '/reset/')}[A-Za-z0-9_-]{43}$`));
      await expectAccessible(admin, 'the reset link page');

      // The user sets a new password; every session ends.
      await visitor.goto(link);
      await expectAccessible(visitor, 'the reset page');
      await visitor.getByLabel('New password').fill('a-brand-new-password-7');
      await visitor.getByRole('button', { name: 'Set the new password' }).click();
      await expect(visitor).toHaveURL(tenantURL(name, '/login'));
      await expect(visitor.getByRole('status')).toContainText('Your password was changed');
      await page.goto(tenantURL(name, '/'));
      await expect(page).toHaveURL(tenantURL(name, '/login'));
      await signIn(visitor, name, emailFor(name), 'a-brand-new-password-7');
      await expect(visitor).toHaveURL(tenantURL(name, '/'));

      // Used once: the link now says so and has no form.
      await visitor.goto(link);
      await expect(visitor.getByRole('alert')).toContainText('This password reset link is not valid');
      await expect(visitor.getByLabel('New password')).toHaveCount(0);
      await signIn(page, name, emailFor(name), PASSWORD);
      await expect(page).toHaveURL(tenantURL(name, '/login'));
    });
  });
}
