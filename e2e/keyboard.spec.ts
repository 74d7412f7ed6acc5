import { expect, type Page, test } from '@playwright/test';
import { emailFor, newTodoInput, signUp, siteURL, tenantURL, todoCount, todoItem, todoItems, todoTitles, uniqueName } from './helpers';

// The TODO list with the keyboard alone (issue 9, WCAG 2.2 AA): every step
// goes through page.keyboard and checks where focus is afterwards.

/** Describes the focused element: "new-todo", "toggle-all", "toggle:<title>",
 * "destroy:<title>", "edit:<title>", "filter:<name>", or its tag. */
async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return 'body';
    const li = el.closest('.todo-list li');
    const title = li?.querySelector('label')?.textContent?.trim() ?? '';
    if (el.matches('.new-todo')) return 'new-todo';
    if (el.id === 'toggle-all') return 'toggle-all';
    if (el.matches('.toggle')) return `toggle:${title}`;
    if (el.matches('.destroy')) return `destroy:${title}`;
    if (el.matches('input.edit')) return `edit:${title}`;
    if (el.closest('.filters')) return `filter:${el.textContent?.trim()}`;
    return el.tagName.toLowerCase();
  });
}

async function expectFocus(page: Page, want: string): Promise<void> {
  await expect.poll(() => focused(page)).toBe(want);
}

/** Presses Tab (or Shift+Tab) until want has focus, at most 12 times. */
async function tabTo(page: Page, want: string, key = 'Tab'): Promise<void> {
  for (let i = 0; i < 12; i++) {
    if ((await focused(page)) === want) return;
    await page.keyboard.press(key);
  }
  expect(await focused(page)).toBe(want);
}

async function opacityOf(page: Page, title: string): Promise<string> {
  return todoItem(page, title).locator('button.destroy').evaluate((el) => getComputedStyle(el).opacity);
}

test('the list works with the keyboard alone', async ({ page }) => {
  const name = uniqueName('keys');
  await signUp(page, name);
  await page.mouse.move(0, 0); // nothing is hovered: what shows, shows by focus
  await expectFocus(page, 'new-todo');

  // Add: type and press Enter; focus stays in the input.
  for (const [i, title] of ['one', 'two', 'three'].entries()) {
    await page.keyboard.type(title);
    await page.keyboard.press('Enter');
    await expect(todoItems(page)).toHaveCount(i + 1);
  }
  await expect(todoTitles(page)).toHaveText(['one', 'two', 'three']);
  await expectFocus(page, 'new-todo');
  const count = todoCount(page);
  await expect(count).toHaveText('3 items left');
  await expect(count).toHaveAttribute('aria-live', 'polite');

  // Tab reaches the first item's checkbox, then its delete button, which
  // shows while it has focus.
  await tabTo(page, 'toggle:one');
  expect(await opacityOf(page, 'two')).toBe('0');
  await page.keyboard.press('Tab');
  await expectFocus(page, 'destroy:one');
  expect(await opacityOf(page, 'one')).toBe('1');
  await page.keyboard.press('Shift+Tab');
  await expectFocus(page, 'toggle:one');

  // Toggle with Space: the item is swapped, focus stays on its checkbox, and
  // the count changes in the same live region (a replaced one is not read).
  await count.evaluate((el) => { (el as HTMLElement).dataset.kept = 'yes'; });
  await page.keyboard.press('Space');
  await expect(todoItem(page, 'one')).toHaveClass('completed');
  await expect(count).toHaveText('2 items left');
  await expect(count).toHaveAttribute('data-kept', 'yes');
  await expect(count).toHaveAttribute('aria-live', 'polite');
  await expectFocus(page, 'toggle:one');

  // Enter edits the focused item; Enter saves; focus returns to it.
  await page.keyboard.press('Enter');
  await expectFocus(page, 'edit:one');
  await page.keyboard.type(' edited');
  await page.keyboard.press('Enter');
  await expect(todoTitles(page)).toHaveText(['one edited', 'two', 'three']);
  await expect(page.locator('.todo-list li.editing')).toHaveCount(0);
  await expectFocus(page, 'toggle:one edited');

  // F2 edits too; Escape cancels and gives focus back.
  await page.keyboard.press('F2');
  await expectFocus(page, 'edit:one edited');
  await page.keyboard.type(' not kept');
  await page.keyboard.press('Escape');
  await expect(page.locator('.todo-list li.editing')).toHaveCount(0);
  await expect(todoTitles(page)).toHaveText(['one edited', 'two', 'three']);
  await expectFocus(page, 'toggle:one edited');

  // Delete a middle item with Enter on its button: focus goes to the next
  // item's checkbox; deleting the last item sends it to the previous one.
  await tabTo(page, 'destroy:two');
  await page.keyboard.press('Enter');
  await expect(todoTitles(page)).toHaveText(['one edited', 'three']);
  await expectFocus(page, 'toggle:three');
  await expect(count).toHaveText('1 item left');
  await page.keyboard.press('Tab');
  await expectFocus(page, 'destroy:three');
  await page.keyboard.press('Enter');
  await expect(todoTitles(page)).toHaveText(['one edited']);
  await expectFocus(page, 'toggle:one edited');
  await expect(count).toHaveText('0 items left');

  // Filters: Enter on a link; the selected one has aria-current="page".
  const filters = page.locator('footer.footer ul.filters');
  await expect(filters.getByRole('link', { name: 'All', exact: true })).toHaveAttribute('aria-current', 'page');
  await tabTo(page, 'filter:Completed');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(tenantURL(name, '/completed'));
  await expect(filters.getByRole('link', { name: 'Completed', exact: true })).toHaveAttribute('aria-current', 'page');
  await expect(filters.locator('[aria-current]')).toHaveCount(1);
  await expect(todoTitles(page)).toHaveText(['one edited']);

  // Deleting the only item leaves focus in the new-todo input.
  await tabTo(page, 'toggle:one edited');
  await page.keyboard.press('Tab');
  await expectFocus(page, 'destroy:one edited');
  await page.keyboard.press('Enter');
  await expect(todoItems(page)).toHaveCount(0);
  await expectFocus(page, 'new-todo');
  await expect(newTodoInput(page)).toBeFocused();
});

test('focus moves to the first field an error is about', async ({ page }) => {
  const name = uniqueName('keyerr');
  await signUp(page, name);

  // A title over the limit is refused: the input is marked and tied to it.
  await newTodoInput(page).focus();
  await page.keyboard.insertText('x'.repeat(2000));
  await page.keyboard.press('Enter');
  await expect(page.locator('#alerts .alert')).toBeVisible();
  await expect(newTodoInput(page)).toHaveAttribute('aria-invalid', 'true');
  await expect(newTodoInput(page)).toHaveAttribute('aria-describedby', 'alerts');

  // Sign-in with a wrong password: both fields are marked, email focused.
  await page.context().clearCookies();
  await page.goto(tenantURL(name, '/login'));
  await page.keyboard.type(emailFor(name));
  await page.keyboard.press('Tab');
  await page.keyboard.type('wrong password');
  await page.keyboard.press('Enter');
  await expect(page.locator('#alerts .alert')).toHaveText('Wrong email or password.');
  const email = page.locator('#login-email');
  await expect(email).toBeFocused();
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await expect(email).toHaveAttribute('aria-describedby', 'alerts');
  await expect(page.locator('#login-password')).toHaveAttribute('aria-invalid', 'true');

  // Sign-up with a name that is taken: the name field is focused.
  await page.goto(siteURL('/'));
  await page.locator('#signup-name').focus();
  await page.keyboard.type(name);
  await page.keyboard.press('Tab');
  await page.keyboard.type(`other@${name}.example.com`);
  await page.keyboard.press('Tab');
  await page.keyboard.type('correct-horse-battery-42');
  await page.keyboard.press('Enter');
  const field = page.locator('#signup-name');
  await expect(page.locator('#signup-name-error')).toBeVisible();
  await expect(field).toBeFocused();
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toHaveAttribute('aria-describedby', /signup-name-error/);
  await expect(page.locator('#signup-email')).not.toHaveAttribute('aria-invalid', 'true');
});
