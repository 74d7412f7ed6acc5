import { expect, type Locator, type Page, test } from '@playwright/test';
import { addTodos, signUp, todoItem, todoItems, todoTitles, uniqueName } from './helpers';

async function startEditing(page: Page, title: string): Promise<{ item: Locator; edit: Locator }> {
  const item = todoItem(page, title);
  await item.locator('label[data-testid="todo-title"]').dblclick();
  // While editing the label may be hidden, so find the item by its class.
  const editing = todoItems(page).and(page.locator('.editing'));
  await expect(editing).toHaveCount(1);
  await expect(editing).toHaveClass('editing');
  const edit = editing.locator('input.edit');
  await expect(edit).toHaveAttribute('aria-label', 'Edit');
  await expect(edit).toBeFocused();
  await expect(edit).toHaveValue(title);
  return { item: editing, edit };
}

test.describe('editing', () => {
  test.beforeEach(async ({ page }) => {
    await signUp(page, uniqueName('edit'));
    await addTodos(page, 'first', 'second', 'third');
  });

  test('double-clicking a title opens the editor with the title, focused', async ({ page }) => {
    const { edit } = await startEditing(page, 'second');
    await expect(page.getByRole('textbox', { name: 'Edit' })).toHaveCount(1);
    await expect(edit).toHaveValue('second');
    // Only the edited item is in editing mode.
    await expect(todoItem(page, 'first')).toHaveClass('');
    await expect(todoItem(page, 'third')).toHaveClass('');
  });

  test('Enter saves the trimmed title', async ({ page }) => {
    const { edit } = await startEditing(page, 'second');
    await edit.fill('  second, edited  ');
    await edit.press('Enter');
    await expect(todoTitles(page)).toHaveText(['first', 'second, edited', 'third']);
    await expect(todoItems(page).and(page.locator('.editing'))).toHaveCount(0);
    await expect(todoItem(page, 'second, edited')).toHaveClass('');

    await page.reload();
    await expect(todoTitles(page)).toHaveText(['first', 'second, edited', 'third']);
  });

  test('leaving the field (blur) saves', async ({ page }) => {
    const { edit } = await startEditing(page, 'first');
    await edit.fill('first, blurred ');
    await page.locator('section.todoapp header.header h1').click();
    await expect(todoTitles(page)).toHaveText(['first, blurred', 'second', 'third']);
    await expect(todoItems(page).and(page.locator('.editing'))).toHaveCount(0);

    await page.reload();
    await expect(todoTitles(page)).toHaveText(['first, blurred', 'second', 'third']);
  });

  test('Escape cancels and keeps the original title', async ({ page }) => {
    const { edit } = await startEditing(page, 'third');
    await edit.fill('should not be saved');
    await edit.press('Escape');
    await expect(todoItems(page).and(page.locator('.editing'))).toHaveCount(0);
    await expect(todoTitles(page)).toHaveText(['first', 'second', 'third']);

    // Another change after the Escape, so that anything the Escape (or the
    // blur that may follow it) sent has been handled before the reload.
    await addTodos(page, 'fourth');
    await page.reload();
    await expect(todoTitles(page)).toHaveText(['first', 'second', 'third', 'fourth']);
  });

  test('saving an empty title deletes the item', async ({ page }) => {
    const { edit } = await startEditing(page, 'second');
    await edit.fill('   ');
    await edit.press('Enter');
    await expect(todoTitles(page)).toHaveText(['first', 'third']);

    await page.reload();
    await expect(todoTitles(page)).toHaveText(['first', 'third']);
  });

  test('editing keeps the completed state and Unicode titles', async ({ page }) => {
    await todoItem(page, 'first').locator('input.toggle').click();
    await expect(todoItem(page, 'first')).toHaveClass('completed');
    const { edit } = await startEditingCompleted(page, 'first');
    await edit.fill('Ünïcödé ✓ 日本語 🚀');
    await edit.press('Enter');
    await expect(todoTitles(page)).toHaveText(['Ünïcödé ✓ 日本語 🚀', 'second', 'third']);
    await expect(todoItem(page, 'Ünïcödé ✓ 日本語 🚀')).toHaveClass('completed');

    await page.reload();
    await expect(todoItem(page, 'Ünïcödé ✓ 日本語 🚀')).toHaveClass('completed');
  });
});

async function startEditingCompleted(page: Page, title: string): Promise<{ edit: Locator }> {
  await todoItem(page, title).locator('label[data-testid="todo-title"]').dblclick();
  const editing = todoItems(page).and(page.locator('.editing'));
  await expect(editing).toHaveCount(1);
  await expect(editing).toHaveClass(/(^|\s)editing(\s|$)/);
  const edit = editing.locator('input.edit');
  await expect(edit).toBeFocused();
  await expect(edit).toHaveValue(title);
  return { edit };
}
