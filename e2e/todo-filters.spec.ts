import { expect, type Page, test } from '@playwright/test';
import { addTodos, newTodoInput, signUp, tenantURL, todoCount, todoItem, todoItems, todoTitles, uniqueName } from './helpers';

function filterLink(page: Page, name: 'All' | 'Active' | 'Completed') {
  return page.locator('footer.footer ul.filters').getByRole('link', { name, exact: true });
}

async function expectSelected(page: Page, selected: 'All' | 'Active' | 'Completed') {
  for (const name of ['All', 'Active', 'Completed'] as const) {
    await expect(filterLink(page, name)).toHaveClass(name === selected ? 'selected' : '');
  }
}

test.describe('filters', () => {
  let name: string;

  test.beforeEach(async ({ page }) => {
    name = uniqueName('filter');
    await signUp(page, name);
    await addTodos(page, 'one', 'two', 'three');
    await todoItem(page, 'two').locator('input.toggle').click();
    await expect(todoItem(page, 'two')).toHaveClass('completed');
  });

  test('the filter links point at /, /active and /completed', async ({ page }) => {
    await expect(filterLink(page, 'All')).toHaveAttribute('href', '/');
    await expect(filterLink(page, 'Active')).toHaveAttribute('href', '/active');
    await expect(filterLink(page, 'Completed')).toHaveAttribute('href', '/completed');
    await expectSelected(page, 'All');
  });

  test('clicking a filter changes the URL, the selection and the items shown', async ({ page }) => {
    await filterLink(page, 'Active').click();
    await expect(page).toHaveURL(tenantURL(name, '/active'));
    await expectSelected(page, 'Active');
    await expect(todoItems(page)).toHaveCount(2);
    await expect(todoTitles(page)).toHaveText(['one', 'three']);
    await expect(todoCount(page)).toHaveText('2 items left');

    await filterLink(page, 'Completed').click();
    await expect(page).toHaveURL(tenantURL(name, '/completed'));
    await expectSelected(page, 'Completed');
    await expect(todoItems(page)).toHaveCount(1);
    await expect(todoTitles(page)).toHaveText(['two']);
    await expect(todoItem(page, 'two')).toHaveClass('completed');

    await filterLink(page, 'All').click();
    await expect(page).toHaveURL(tenantURL(name, '/'));
    await expectSelected(page, 'All');
    await expect(todoItems(page)).toHaveCount(3);
    await expect(todoTitles(page)).toHaveText(['one', 'two', 'three']);
  });

  test('an item that stops matching leaves the filtered view at once', async ({ page }) => {
    await filterLink(page, 'Active').click();
    await expect(todoTitles(page)).toHaveText(['one', 'three']);
    await todoItem(page, 'one').locator('input.toggle').click();
    await expect(todoItems(page)).toHaveCount(1);
    await expect(todoTitles(page)).toHaveText(['three']);
    await expect(todoCount(page)).toHaveText('1 item left');

    await filterLink(page, 'Completed').click();
    await expect(todoTitles(page)).toHaveText(['one', 'two']);
    await todoItem(page, 'two').locator('input.toggle').click();
    await expect(todoItems(page)).toHaveCount(1);
    await expect(todoTitles(page)).toHaveText(['one']);
    await expect(todoCount(page)).toHaveText('2 items left');
  });

  test('a todo added on /completed is not listed there but is counted', async ({ page }) => {
    await filterLink(page, 'Completed').click();
    await expect(todoTitles(page)).toHaveText(['two']);
    const input = newTodoInput(page);
    await input.fill('four');
    await input.press('Enter');
    await expect(todoCount(page)).toHaveText('3 items left');
    await expect(todoTitles(page)).toHaveText(['two']);
    await expect(page).toHaveURL(tenantURL(name, '/completed'));

    await filterLink(page, 'All').click();
    await expect(todoTitles(page)).toHaveText(['one', 'two', 'three', 'four']);
  });

  test('Back returns to the previous filter view with the current items', async ({ page }) => {
    await filterLink(page, 'Active').click();
    await expect(page).toHaveURL(tenantURL(name, '/active'));
    await expect(todoTitles(page)).toHaveText(['one', 'three']);

    // Change state on /active: "one" leaves it.
    await todoItem(page, 'one').locator('input.toggle').click();
    await expect(todoTitles(page)).toHaveText(['three']);

    await filterLink(page, 'Completed').click();
    await expect(page).toHaveURL(tenantURL(name, '/completed'));
    await expect(todoTitles(page)).toHaveText(['one', 'two']);

    await page.goBack();
    await expect(page).toHaveURL(tenantURL(name, '/active'));
    await expectSelected(page, 'Active');
    await expect(todoTitles(page)).toHaveText(['three']);

    // "/" was left before "one" was completed: it must not come back stale.
    await page.goBack();
    await expect(page).toHaveURL(tenantURL(name, '/'));
    await expectSelected(page, 'All');
    await expect(todoTitles(page)).toHaveText(['one', 'two', 'three']);
    await expect(todoItem(page, 'one')).toHaveClass('completed');
    await expect(todoItem(page, 'three')).toHaveClass('');
    await expect(todoCount(page)).toHaveText('1 item left');

    await page.goForward();
    await expect(page).toHaveURL(tenantURL(name, '/active'));
    await expect(todoTitles(page)).toHaveText(['three']);
  });

  test('reloading keeps the filter view, and a filter URL can be opened directly', async ({ page }) => {
    await filterLink(page, 'Completed').click();
    await expect(page).toHaveURL(tenantURL(name, '/completed'));
    await page.reload();
    await expect(page).toHaveURL(tenantURL(name, '/completed'));
    await expectSelected(page, 'Completed');
    await expect(todoTitles(page)).toHaveText(['two']);

    await page.goto(tenantURL(name, '/active'));
    await expectSelected(page, 'Active');
    await expect(todoTitles(page)).toHaveText(['one', 'three']);
  });

  test('Clear completed on /completed empties the view', async ({ page }) => {
    await filterLink(page, 'Completed').click();
    await expect(todoTitles(page)).toHaveText(['two']);
    await page.locator('footer.footer button.clear-completed').click();
    await expect(todoItems(page)).toHaveCount(0);
    await expect(page.locator('button.clear-completed')).toHaveCount(0);
    await expect(page).toHaveURL(tenantURL(name, '/completed'));

    await filterLink(page, 'All').click();
    await expect(todoTitles(page)).toHaveText(['one', 'three']);
  });
});
