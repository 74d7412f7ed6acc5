import { expect, test } from '@playwright/test';
import { newTodoInput, signUp, todoCount, todoItem, todoTitles, uniqueName } from './helpers';

// Every action works without JavaScript: a form post followed by a redirect.
test.use({ javaScriptEnabled: false });

test('the whole TODO app works without JavaScript', async ({ page }) => {
  await signUp(page, uniqueName('nojs'));

  const input = newTodoInput(page);
  for (const title of ['  alpha  ', 'beta', 'gamma']) {
    await input.fill(title);
    await input.press('Enter');
    await page.waitForLoadState();
  }
  await expect(todoTitles(page)).toHaveText(['alpha', 'beta', 'gamma']);
  await expect(todoCount(page)).toHaveText('3 items left');

  // Toggle one.
  await todoItem(page, 'beta').getByRole('button', { name: 'Mark complete' }).click();
  await expect(todoItem(page, 'beta')).toHaveClass('completed');
  await expect(todoCount(page)).toHaveText('2 items left');

  // Edit one through its edit page.
  await todoItem(page, 'alpha').getByRole('link', { name: 'Edit' }).click();
  const edit = page.locator('li.editing input.edit');
  await expect(edit).toHaveValue('alpha');
  await edit.fill('  alpha edited ');
  await edit.press('Enter');
  await expect(todoTitles(page)).toHaveText(['alpha edited', 'beta', 'gamma']);

  // Filters are plain links.
  await page.getByRole('link', { name: 'Completed' }).click();
  await expect(page).toHaveURL(/\/completed$/);
  await expect(todoTitles(page)).toHaveText(['beta']);
  await page.getByRole('link', { name: 'All' }).click();

  // Delete one.
  const gamma = todoItem(page, 'gamma');
  await gamma.hover();
  await gamma.getByRole('button', { name: 'Delete' }).click();
  await expect(todoTitles(page)).toHaveText(['alpha edited', 'beta']);

  // Mark all complete, then clear completed.
  await page.getByRole('button', { name: 'Mark all as complete' }).click();
  await expect(todoCount(page)).toHaveText('0 items left');
  await page.getByRole('button', { name: 'Clear completed' }).click();
  await expect(todoTitles(page)).toHaveCount(0);
  await expect(page.locator('section.main')).toHaveCount(0);

  // A refused title comes back as a message, and nothing is lost.
  await input.fill('kept');
  await input.press('Enter');
  await input.fill('x'.repeat(600));
  await input.press('Enter');
  await expect(page.locator('[role="alert"]')).toContainText('limit is 500');
  await expect(todoTitles(page)).toHaveText(['kept']);
  // What was typed is still there to be shortened.
  await expect(input).toHaveValue('x'.repeat(600));
});
