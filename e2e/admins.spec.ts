import { expect, test, type Page } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './admin-account';
import { expectAccessible } from './a11y';
import { adminSignIn, adminURL, uniqueName } from './helpers';

test('an admin invites another, who sets a password, signs in and is removed', async ({ browser }) => {
  const admin = await (await browser.newContext()).newPage();
  await adminSignIn(admin);
  await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admins' }).click();
  await expect(admin.locator('table#admins')).toContainText(ADMIN_EMAIL);
  await expectAccessible(admin, 'the admins page');

  const email = `${uniqueName('inv')}@example.com`;
  await admin.locator('#invite-email').fill(email);
  await admin.getByRole('button', { name: 'Create invitation link' }).click();
  const link = (await admin.locator('#invite-link').textContent()) ?? '';
  expect(link).toMatch(/^http:\/\/admin\.localhost:\d+\/invite\/[\w-]+$/);
  await expectAccessible(admin, 'the invitation link page');

  // The guest opens the link in another browser and chooses a password.
  const guest = await (await browser.newContext()).newPage();
  await guest.goto(link);
  await expect(guest.locator('main')).toContainText(email);
  await expectAccessible(guest, 'the invitation page');
  await guest.locator('#invite-password').fill('guest admin password');
  await guest.getByRole('button', { name: 'Create my admin account' }).click();
  await expect(guest.locator('table#tenants')).toBeVisible();
  await expect(guest.locator('.who .email')).toHaveText(email);

  // The link works once.
  const stranger = await (await browser.newContext()).newPage();
  await stranger.goto(link);
  await expect(stranger.locator('main')).toContainText('not valid');
  await expect(stranger.locator('#invite-password')).toHaveCount(0);
  await expectAccessible(stranger, 'a used invitation');

  // The first admin removes the guest: the guest's next page is the login.
  await admin.goto(adminURL('/admins'));
  const row = admin.locator(`tr[data-email="${email}"]`);
  await row.locator('input[name="confirm"]').fill(email);
  await row.getByRole('button', { name: 'Remove' }).click();
  await expect(admin.locator('.flashes')).toContainText(`Removed admin ${email}`);
  await expect(admin.locator(`tr[data-email="${email}"]`)).toHaveCount(0);
  await guest.goto(adminURL('/'));
  await expect(guest).toHaveURL(adminURL('/login'));
});
