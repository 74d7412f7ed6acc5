import { expect, test } from '@playwright/test';
import { addTodos, newTodoInput, signUp, todoCount, todoItem, todoItems, todoTitles, uniqueName } from './helpers';

test.describe('adding, toggling, deleting', () => {
  test.beforeEach(async ({ page }) => {
    await signUp(page, uniqueName('basic'));
  });

  test('with no todos, main and footer are not in the page', async ({ page }) => {
    await expect(todoItems(page)).toHaveCount(0);
    await expect(page.locator('section.main')).toHaveCount(0);
    await expect(page.locator('footer.footer')).toHaveCount(0);
  });

  test('Enter adds a trimmed todo, clears the input and keeps focus', async ({ page }) => {
    const input = newTodoInput(page);
    await input.fill('  buy some cheese  ');
    await input.press('Enter');
    await expect(todoTitles(page)).toHaveText(['buy some cheese']);
    await expect(input).toHaveValue('');
    await expect(input).toBeFocused();
    await expect(page.locator('section.main')).toBeVisible();
    await expect(page.locator('footer.footer')).toBeVisible();

    await page.keyboard.type('feed the cat');
    await page.keyboard.press('Enter');
    await expect(todoTitles(page)).toHaveText(['buy some cheese', 'feed the cat']);
    await expect(input).toHaveValue('');
    await expect(input).toBeFocused();
  });

  test('empty and whitespace-only titles are ignored', async ({ page }) => {
    const input = newTodoInput(page);
    await input.fill('');
    await input.press('Enter');
    await input.fill('    ');
    await input.press('Enter');
    await input.fill('\t \t');
    await input.press('Enter');
    await input.fill('real one');
    await input.press('Enter');
    await expect(todoTitles(page)).toHaveText(['real one']);
    await page.reload();
    await expect(todoTitles(page)).toHaveText(['real one']);
  });

  test('three titles typed back to back appear once each, in order, and survive a reload', async ({ page }) => {
    const input = newTodoInput(page);
    await input.fill('first');
    await input.press('Enter');
    await input.fill('second');
    await input.press('Enter');
    await input.fill('third');
    await input.press('Enter');
    await expect(todoTitles(page)).toHaveText(['first', 'second', 'third']);
    await page.reload();
    await expect(todoTitles(page)).toHaveText(['first', 'second', 'third']);
  });

  test('the counter says 1 item left / 2 items left / 0 items left', async ({ page }) => {
    await addTodos(page, 'one');
    await expect(todoCount(page)).toHaveText('1 item left');
    await expect(todoCount(page).locator('strong')).toHaveText('1');
    await addTodos(page, 'two');
    await expect(todoCount(page)).toHaveText('2 items left');
    await expect(todoCount(page).locator('strong')).toHaveText('2');
    await todoItem(page, 'one').locator('input.toggle').click();
    await expect(todoCount(page)).toHaveText('1 item left');
    await todoItem(page, 'two').locator('input.toggle').click();
    await expect(todoCount(page)).toHaveText('0 items left');
    await expect(todoCount(page).locator('strong')).toHaveText('0');
  });

  test('toggling an item marks it completed and back', async ({ page }) => {
    await addTodos(page, 'one', 'two');
    const one = todoItem(page, 'one');
    await one.locator('input.toggle').click();
    await expect(one).toHaveClass('completed');
    await expect(one.locator('input.toggle')).toBeChecked();
    await expect(todoItem(page, 'two')).toHaveClass('');
    await expect(todoCount(page)).toHaveText('1 item left');

    await page.reload();
    await expect(todoItem(page, 'one')).toHaveClass('completed');
    await expect(todoItem(page, 'one').locator('input.toggle')).toBeChecked();

    await todoItem(page, 'one').locator('input.toggle').click();
    await expect(todoItem(page, 'one')).toHaveClass('');
    await expect(todoItem(page, 'one').locator('input.toggle')).not.toBeChecked();
    await expect(todoCount(page)).toHaveText('2 items left');
  });

  test('toggle-all completes everything and follows the items\' state', async ({ page }) => {
    await addTodos(page, 'one', 'two', 'three');
    const toggleAll = page.locator('section.main input#toggle-all.toggle-all');
    const toggleAllLabel = page.locator('section.main label[for="toggle-all"]');
    await expect(toggleAllLabel).toHaveText('Mark all as complete');
    await expect(toggleAll).not.toBeChecked();

    await toggleAllLabel.click();
    for (const title of ['one', 'two', 'three']) {
      await expect(todoItem(page, title)).toHaveClass('completed');
    }
    await expect(page.locator('section.main input#toggle-all')).toBeChecked();
    await expect(todoCount(page)).toHaveText('0 items left');

    await todoItem(page, 'two').locator('input.toggle').click();
    await expect(todoItem(page, 'two')).toHaveClass('');
    await expect(page.locator('section.main input#toggle-all')).not.toBeChecked();
    await expect(todoCount(page)).toHaveText('1 item left');

    // Completing the last active one by hand checks toggle-all again.
    await todoItem(page, 'two').locator('input.toggle').click();
    await expect(page.locator('section.main input#toggle-all')).toBeChecked();

    // With everything completed, toggle-all clears all of them.
    await page.locator('section.main label[for="toggle-all"]').click();
    await expect(todoItems(page).and(page.locator('.completed'))).toHaveCount(0);
    await expect(page.locator('section.main input#toggle-all')).not.toBeChecked();
    await expect(todoCount(page)).toHaveText('3 items left');
  });

  test('an item is deleted by hovering it and clicking its destroy button', async ({ page }) => {
    await addTodos(page, 'keep', 'remove me');
    const item = todoItem(page, 'remove me');
    await item.hover();
    const destroy = item.getByRole('button', { name: 'Delete' });
    await expect(destroy).toHaveClass('destroy');
    await destroy.click();
    await expect(todoTitles(page)).toHaveText(['keep']);
    await expect(todoCount(page)).toHaveText('1 item left');

    await todoItem(page, 'keep').hover();
    await todoItem(page, 'keep').getByRole('button', { name: 'Delete' }).click();
    await expect(todoItems(page)).toHaveCount(0);
    await expect(page.locator('section.main')).toHaveCount(0);
    await expect(page.locator('footer.footer')).toHaveCount(0);

    await page.reload();
    await expect(todoItems(page)).toHaveCount(0);
  });

  test('Clear completed removes completed items and then hides itself', async ({ page }) => {
    await addTodos(page, 'a', 'b', 'c');
    const clear = page.locator('footer.footer button.clear-completed');
    await expect(clear).toHaveCount(0);

    await todoItem(page, 'a').locator('input.toggle').click();
    await todoItem(page, 'c').locator('input.toggle').click();
    await expect(todoItem(page, 'c')).toHaveClass('completed');
    await expect(clear).toHaveText('Clear completed');

    await clear.click();
    await expect(todoTitles(page)).toHaveText(['b']);
    await expect(clear).toHaveCount(0);
    await expect(todoCount(page)).toHaveText('1 item left');

    await page.reload();
    await expect(todoTitles(page)).toHaveText(['b']);
    await expect(page.locator('footer.footer button.clear-completed')).toHaveCount(0);
  });

  test('titles with Unicode, HTML and surrounding spaces are shown exactly (trimmed)', async ({ page }) => {
    const titles = [
      'Ünïcödé ✓ 日本語 🚀',
      '<b>bold</b> & "quotes"',
      '   spaces around   ',
      "<script>window.__xss = 1</script>it's <i>x</i>",
    ];
    const expected = titles.map((t) => t.trim());
    await addTodos(page, ...titles);

    const check = async () => {
      await expect(todoTitles(page)).toHaveText(expected);
      for (const [i, title] of expected.entries()) {
        // innerText is what is rendered: no extra lines or spaces around it.
        await expect(todoTitles(page).nth(i)).toHaveJSProperty('innerText', title);
      }
      await expect(todoTitles(page).locator('b, i, script')).toHaveCount(0);
      expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    };
    await check();
    await page.reload();
    await check();
  });

  test('a too-long title shows an error and leaves the list unchanged', async ({ page }) => {
    await addTodos(page, 'keep me');
    const input = newTodoInput(page);
    await input.fill('x'.repeat(600));
    await input.press('Enter');
    await expect(page.locator('[role="alert"]')).toBeVisible();
    await expect(page.locator('[role="alert"]')).not.toHaveText('');
    await expect(todoTitles(page)).toHaveText(['keep me']);

    await page.reload();
    await expect(todoTitles(page)).toHaveText(['keep me']);
  });
});
