import { expect, type Page, test } from '@playwright/test';
import { expectAccessible } from './a11y';
import { addTodos, newTodoInput, signUp, todoCount, todoItem, todoTitles, uniqueName } from './helpers';

// Undo instead of sudden loss (issue 9): deleting an item, clearing the
// completed ones and saving an empty title offer "Undo" in the alert area
// for app.UndoWindow (30 s); undoing puts the items back in their places.

function undoNotice(page: Page) {
  return page.locator('#alerts .notice.undo');
}

for (const width of [1280, 390]) {
  test.describe(`undo at ${width} px`, () => {
    test.use({ viewport: { width, height: 900 } });
    test.describe.configure({ timeout: 90_000 });

    test('delete, clear completed and an emptied title can be undone', async ({ page }) => {
      await page.clock.install();
      await signUp(page, uniqueName(`undo${width}`));
      await addTodos(page, 'one', 'two', 'three');

      // Delete the middle item: it goes, and the offer names it.
      await todoItem(page, 'two').hover();
      await todoItem(page, 'two').locator('button.destroy').click();
      await expect(todoTitles(page)).toHaveText(['one', 'three']);
      await expect(undoNotice(page)).toContainText('Deleted “two”.');
      await expect(todoCount(page)).toHaveText('2 items left');
      await expectAccessible(page, 'the undo offer');

      // Another write keeps the offer (it is not an error to clear).
      await todoItem(page, 'one').locator('input.toggle').check();
      await expect(todoCount(page)).toHaveText('1 item left');
      await expect(undoNotice(page)).toBeVisible();

      // Undo by keyboard: the item is back in its place.
      await undoNotice(page).getByRole('button', { name: 'Undo' }).focus();
      await page.keyboard.press('Enter');
      await expect(todoTitles(page)).toHaveText(['one', 'two', 'three']);
      await expect(todoCount(page)).toHaveText('2 items left');
      await expect(page.locator('#alerts')).toContainText('Restored 1 item.');
      await expect(todoItem(page, 'two').locator('input.toggle')).toBeFocused();
      await expect(undoNotice(page)).toHaveCount(0);

      // Clear completed, then undo.
      await todoItem(page, 'three').locator('input.toggle').check();
      await page.getByRole('button', { name: 'Clear completed' }).click();
      await expect(todoTitles(page)).toHaveText(['two']);
      await expect(undoNotice(page)).toContainText('Deleted 2 items.');
      await undoNotice(page).getByRole('button', { name: 'Undo' }).click();
      await expect(todoTitles(page)).toHaveText(['one', 'two', 'three']);
      await expect(todoItem(page, 'one')).toHaveClass(/completed/);

      // Save an empty title: the item goes; undo brings it back.
      await todoItem(page, 'two').locator('label').dblclick();
      const edit = todoItem(page, 'two').locator('input.edit');
      await edit.fill('');
      await edit.press('Enter');
      await expect(todoTitles(page)).toHaveText(['one', 'three']);
      await expect(undoNotice(page)).toContainText('Deleted “two”.');
      await undoNotice(page).getByRole('button', { name: 'Undo' }).click();
      await expect(todoTitles(page)).toHaveText(['one', 'two', 'three']);

      // Deleting every item empties the list; undo brings back main and
      // footer with the item.
      for (const title of ['one', 'two', 'three']) {
        await todoItem(page, title).hover();
        await todoItem(page, title).locator('button.destroy').click();
        await expect(todoItem(page, title)).toHaveCount(0);
      }
      await expect(page.locator('section.main')).toHaveCount(0);
      await undoNotice(page).getByRole('button', { name: 'Undo' }).click();
      await expect(todoTitles(page)).toHaveText(['three']);
      await expect(todoCount(page)).toHaveText('0 items left');

      // The offer goes when the window ends, and focus with it goes to the
      // new-todo input.
      await todoItem(page, 'three').hover();
      await todoItem(page, 'three').locator('button.destroy').click();
      await undoNotice(page).getByRole('button', { name: 'Undo' }).focus();
      await page.clock.fastForward(31_000);
      await expect(undoNotice(page)).toHaveCount(0);
      await expect(newTodoInput(page)).toBeFocused();
    });
  });
}
