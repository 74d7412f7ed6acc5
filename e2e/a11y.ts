import { expect, type Page } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';

// Accessibility checks for the browser tests: axe-core (npm axe-core, read
// from node_modules, never fetched) and a check that a page fits its
// viewport's width.

/** The WCAG rule sets axe runs: 2.0, 2.1 and 2.2, levels A and AA. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

let axeSource: string | undefined;

/** axe.min.js from node_modules, read once per worker. */
function axeScript(): string {
  axeSource ??= fs.readFileSync(path.join(require.resolve('axe-core'), '..', 'axe.min.js'), 'utf8');
  return axeSource;
}

/** One axe violation, reduced to what a person fixing it needs. */
interface Violation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core on the page as it is now, with the WCAG 2.x A and AA rules,
 * and fails with a readable list (rule id, impact, help, target selectors)
 * when anything is found. `what` names the page and state in the message.
 */
export async function expectNoAxeViolations(page: Page, what: string): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in window))) {
    // Evaluated, not added as a <script>: the app's Content-Security-Policy
    // (script-src 'self') rightly refuses inline scripts, and the test
    // should not turn that off.
    await page.evaluate(axeScript());
  }
  const violations: Violation[] = await page.evaluate(async (tags) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const axe = (window as any).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return result.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      targets: v.nodes.map((n: any) => n.target.join(' ')),
    }));
  }, WCAG_TAGS);
  const report = violations
    .map((v) => `- ${v.id} (${v.impact}): ${v.help}\n    ${v.targets.join('\n    ')}`)
    .join('\n');
  expect.soft(violations, `axe-core violations on ${what} at ${page.viewportSize()?.width} px:\n${report}`).toEqual([]);
}

/**
 * Fails when the page is wider than its viewport, i.e. when a person would
 * have to scroll sideways (a wide table scrolls inside its own box instead).
 */
export async function noSideScroll(page: Page, what = page.url()): Promise<void> {
  const { scrollWidth, innerWidth, culprits } = await page.evaluate(() => {
    const width = window.innerWidth;
    // The elements that reach past the right edge, for the message.
    const wide = Array.from(document.querySelectorAll('body *'))
      .filter((el) => el.getBoundingClientRect().right > width + 0.5)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''}`);
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: width, culprits: wide };
  });
  expect.soft(scrollWidth, `${what} scrolls sideways (${scrollWidth} > ${innerWidth} px); wide: ${culprits.join(', ')}`).toBeLessThanOrEqual(innerWidth);
}

/**
 * Fails when a table does not fit its box, so that a person on a wide screen
 * would have to scroll it to see its last columns.
 */
export async function expectTablesFit(page: Page, what = page.url()): Promise<void> {
  const cut = await page.evaluate(() =>
    Array.from(document.querySelectorAll('.table-wrap'))
      .filter((el) => el.scrollWidth > el.clientWidth)
      .map((el) => `${el.querySelector('table')?.id || 'a table'} (${el.scrollWidth} > ${el.clientWidth} px)`),
  );
  expect.soft(cut, `${what} at ${page.viewportSize()?.width} px cuts off tables: ${cut.join(', ')}`).toEqual([]);
}

/**
 * Fails when the element (the page's card, say) touches the left or right
 * edge of the screen: it keeps at least min px on both sides.
 */
export async function expectSideMargins(page: Page, selector: string, what = page.url(), min = 8): Promise<void> {
  const box = await page.locator(selector).first().boundingBox();
  const width = page.viewportSize()!.width;
  expect.soft(box, `${what}: ${selector} is not shown`).not.toBeNull();
  if (!box) return;
  expect.soft(box.x, `${what}: ${selector} touches the left edge`).toBeGreaterThanOrEqual(min);
  expect.soft(width - (box.x + box.width), `${what}: ${selector} touches the right edge`).toBeGreaterThanOrEqual(min);
}

/** Both checks: no axe violations, and no sideways scroll. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  await noSideScroll(page, what);
  await expectNoAxeViolations(page, what);
}
