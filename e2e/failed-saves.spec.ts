import { expect, type Page, test } from '@playwright/test';
import { expectAccessible } from './a11y';
import { addTodos, emailFor, newTodoInput, PASSWORD, signUp, todoCount, todoItem, todoItems, uniqueName } from './helpers';

// Issue 9, "a failed save is never silent": a write the server never
// answered (the request aborted, as offline) or answered 5xx/507 leaves the
// list as it really is and says what failed in #alerts, with a Retry that
// sends the same request again; an ended session offers to sign in again
// and keeps what was typed.

/** The message about a failed save, in #alerts. */
function failure(page: Page) {
  return page.locator('#alerts [role="alert"]');
}

/** A 507 as the server sends it to htmx: its alert fragment. */
const storageFull = {
  status: 507,
  contentType: 'text/html; charset=utf-8',
  headers: { 'HX-Retarget': '#alerts', 'HX-Reswap': 'innerHTML' },
  body: '<p class="alert" role="alert">Storage is full: nothing more can be saved right now.</p>',
};

for (const [width, height] of [[1280, 800], [390, 844]]) {
  test.describe(`at ${width} px`, () => {
    test.use({ viewport: { width, height } });

    let name = '';
    test.beforeEach(async ({ page }) => {
      name = uniqueName('failed');
      await signUp(page, name);
      await addTodos(page, 'Buy milk');
    });

    test('a toggle that was never sent is undone, said, and retried', async ({ page }) => {
      await page.route('**/todos/*/toggle', (route) => route.abort());
      const item = todoItem(page, 'Buy milk');
      await item.locator('input.toggle').click();
      await expect(failure(page)).toHaveText("Could not save 'Buy milk': you appear to be offline. Retry");
      await expect(item.locator('input.toggle')).not.toBeChecked();
      await expect(item).not.toHaveClass('completed');
      await expect(todoCount(page)).toHaveText('1 item left');
      await expectAccessible(page, 'the list after a failed toggle');

      // A notice marked data-keep (an undo offer) outlives the failure
      // message and the successful retry that clears it.
      await page.locator('#alerts').evaluate((el) => el.insertAdjacentHTML('afterbegin', '<p class="notice" role="status" data-keep>Kept</p>'));
      await page.unroute('**/todos/*/toggle');
      await failure(page).getByRole('button', { name: 'Retry' }).click();
      await expect(page.locator('#alerts [data-keep]')).toHaveText('Kept');
      await expect(item).toHaveClass('completed');
      await expect(item.locator('input.toggle')).toBeChecked();
      await expect(todoCount(page)).toHaveText('0 items left');
      await expect(failure(page)).toHaveCount(0);
      await page.reload();
      await expect(todoItem(page, 'Buy milk')).toHaveClass('completed');
    });

    test('a toggle answered 500 or 507 is undone and says why', async ({ page }) => {
      const item = todoItem(page, 'Buy milk');
      await page.route('**/todos/*/toggle', (route) => route.fulfill({ status: 500, body: 'internal' }));
      await item.locator('input.toggle').click();
      await expect(failure(page)).toHaveText("Could not save 'Buy milk': the server had a problem (500). Retry");
      await expect(item.locator('input.toggle')).not.toBeChecked();
      await expect(todoItems(page)).toHaveCount(1);
      await expect(todoCount(page)).toHaveText('1 item left');

      await page.unroute('**/todos/*/toggle');
      await page.route('**/todos/*/toggle', (route) => route.fulfill(storageFull));
      await item.locator('input.toggle').click();
      await expect(failure(page)).toHaveText(
        "Could not save 'Buy milk': Storage is full: nothing more can be saved right now. Retry");
      await expect(item.locator('input.toggle')).not.toBeChecked();
      await expect(todoCount(page)).toHaveText('1 item left');
      await expectAccessible(page, 'the list after a toggle answered 507');
    });

    test('an add that fails puts the text back, and Retry saves it once', async ({ page }) => {
      await page.route('**/todos', (route) => route.abort());
      const input = newTodoInput(page);
      await input.fill('Call mom');
      await input.press('Enter');
      await expect(failure(page)).toHaveText("Could not save 'Call mom': you appear to be offline. Retry");
      await expect(input).toHaveValue('Call mom');
      await expect(todoItems(page)).toHaveCount(1);
      await expectAccessible(page, 'the list after a failed add');

      await page.unroute('**/todos');
      await failure(page).getByRole('button', { name: 'Retry' }).click();
      await expect(todoItem(page, 'Call mom')).toHaveCount(1);
      await expect(input).toHaveValue('');
      await expect(failure(page)).toHaveCount(0);
      await page.reload();
      await expect(todoItems(page)).toHaveCount(2);
    });

    test('an edit that fails keeps the editor and its text', async ({ page }) => {
      await page.route('**/todos/*/edit', (route) => route.fulfill({ status: 500, body: 'internal' }));
      await todoItem(page, 'Buy milk').locator('label').dblclick();
      const editor = page.locator('.todo-list li.editing input.edit');
      await editor.fill('Buy oat milk');
      await editor.press('Enter');
      await expect(failure(page)).toHaveText("Could not save 'Buy oat milk': the server had a problem (500). Retry");
      await expect(editor).toBeVisible();
      await expect(editor).toHaveValue('Buy oat milk');
      await expectAccessible(page, 'the list after a failed edit');
    });

    test('a delete that fails leaves the item', async ({ page }) => {
      await page.route('**/todos/*/delete', (route) => route.fulfill(storageFull));
      const item = todoItem(page, 'Buy milk');
      await item.hover();
      await item.locator('button.destroy').click();
      await expect(failure(page)).toHaveText(
        "Could not delete 'Buy milk': Storage is full: nothing more can be saved right now. Retry");
      await expect(item).toBeVisible();
      await expect(todoCount(page)).toHaveText('1 item left');

      await page.unroute('**/todos/*/delete');
      await failure(page).getByRole('button', { name: 'Retry' }).click();
      await expect(todoItems(page)).toHaveCount(0);
      await expect(failure(page)).toHaveCount(0);
    });

    test('marking all and clearing completed that fail change nothing and say so', async ({ page }) => {
      await page.route('**/todos/toggle-all', (route) => route.abort());
      const all = page.locator('#toggle-all');
      await page.locator('label[for="toggle-all"]').click();
      await expect(failure(page)).toHaveText("Could not mark every todo as complete: you appear to be offline. Retry");
      await expect(all).not.toBeChecked();
      await expect(todoItem(page, 'Buy milk')).not.toHaveClass('completed');
      await page.unroute('**/todos/toggle-all');
      await failure(page).getByRole('button', { name: 'Retry' }).click();
      await expect(todoItem(page, 'Buy milk')).toHaveClass('completed');
      await expect(all).toBeChecked();
      await expect(failure(page)).toHaveCount(0);

      await page.route('**/todos/clear-completed', (route) => route.fulfill(storageFull));
      await page.getByRole('button', { name: 'Clear completed' }).click();
      await expect(failure(page)).toHaveText(
        'Could not clear the completed todos: Storage is full: nothing more can be saved right now. Retry');
      await expect(todoItems(page)).toHaveCount(1);
      await page.unroute('**/todos/clear-completed');
      await failure(page).getByRole('button', { name: 'Retry' }).click();
      await expect(todoItems(page)).toHaveCount(0);
      await expect(failure(page)).toHaveCount(0);
    });

    test('an open edit is kept through signing in again', async ({ page, context }) => {
      await todoItem(page, 'Buy milk').locator('label').dblclick();
      const editor = page.locator('.todo-list li.editing input.edit');
      await editor.fill('Buy oat milk');
      await context.clearCookies();
      await editor.press('Enter');
      await expect(failure(page).getByRole('link', { name: 'Sign in again' })).toBeVisible();
      await expect(editor).toHaveValue('Buy oat milk');
      await failure(page).getByRole('link', { name: 'Sign in again' }).click();
      const form = page.locator('form#login');
      await form.locator('input[name="email"]').fill(emailFor(name));
      await form.locator('input[name="password"]').fill(PASSWORD);
      await form.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.locator('.todo-list li.editing input.edit')).toHaveValue('Buy oat milk');
      await expect(todoItem(page, 'Buy milk')).toHaveCount(1); // shown in the editor, not saved
    });

    for (const [what, keep] of [['all cookies', ''], ['the session cookie', 'todos_csrf']]) {
      test(`with ${what} gone, an add asks to sign in again and keeps the text`, async ({ page, context }) => {
        const kept = (await context.cookies()).filter((c) => c.name === keep);
        await context.clearCookies();
        await context.addCookies(kept);
        const input = newTodoInput(page);
        await input.fill('Walk the dog');
        await input.press('Enter');
        await expect(failure(page)).toHaveText(
          "Could not save 'Walk the dog': your session has ended. What you typed is kept. Sign in again");
        await expect(input).toHaveValue('Walk the dog');
        await expectAccessible(page, 'the list after the session ended');

        await failure(page).getByRole('link', { name: 'Sign in again' }).click();
        const form = page.locator('form#login');
        await form.locator('input[name="email"]').fill(emailFor(name));
        await form.locator('input[name="password"]').fill(PASSWORD);
        await form.getByRole('button', { name: 'Sign in' }).click();
        await expect(newTodoInput(page)).toHaveValue('Walk the dog');
        await expect(todoItems(page)).toHaveCount(1); // restored, not sent
        await page.reload();
        await expect(newTodoInput(page)).toHaveValue(''); // and only once
      });
    }
  });
}
