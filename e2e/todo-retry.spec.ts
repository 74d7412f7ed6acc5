import { expect, test } from '@playwright/test';
import { newTodoInput, signUp, todoTitles, uniqueName } from './helpers';

// Issue 7, finding 12: a todo saved while the browser saw an error must not
// be stored twice when the user sends it again. The new-todo form carries
// an idempotency key; an answer brings the next key, an error keeps it.
test.describe('adding again after an error', () => {
  test.beforeEach(async ({ page }) => {
    await signUp(page, uniqueName('retry'));
  });

  test('each saved todo brings a new key for the form', async ({ page }) => {
    const key = page.locator('#new-todo-key');
    const first = await key.inputValue();
    expect(first).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    await newTodoInput(page).fill('one');
    await newTodoInput(page).press('Enter');
    await expect(todoTitles(page)).toHaveText(['one']);
    await expect(key).not.toHaveValue(first);
    const second = await key.inputValue();
    await newTodoInput(page).fill('two');
    await newTodoInput(page).press('Enter');
    await expect(todoTitles(page)).toHaveText(['one', 'two']);
    await expect(key).not.toHaveValue(second);
  });

  test('a todo saved whose answer was lost is not stored twice when sent again', async ({ page }) => {
    // The request reaches the server and is saved; its answer never
    // reaches the page, which puts the title back.
    await page.route('**/todos', async (route) => {
      await route.fetch();
      await route.abort('connectionreset');
    });
    const input = newTodoInput(page);
    await input.fill('only once');
    await input.press('Enter');
    await expect(input).toHaveValue('only once');
    await page.unroute('**/todos');

    await input.press('Enter'); // the user sends it again
    await expect(todoTitles(page)).toHaveText(['only once']);
    await expect(input).toHaveValue('');
    await page.reload();
    await expect(todoTitles(page)).toHaveText(['only once']);
  });
});
