// The overview page, with the browser's JavaScript on (islands hydrated) and off (server-rendered
// only), against demo mode: the embedded simulator's orders, synced at start.
import { expect, test, type Page } from '@playwright/test';
import { signIn } from './session';

/** Collects console errors and uncaught exceptions (a CSP violation shows up here too). */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/** The rows of the table by state whose count is 0. */
function emptyRows(page: Page) {
  return page.getByRole('table').getByRole('row').filter({ has: page.getByRole('cell', { name: '0', exact: true }) });
}

test.describe('with JavaScript', () => {
  test('the overview hydrates and shows the synced orders by state', async ({ page }) => {
    const errors = watchErrors(page);
    await signIn(page, 'viewer');
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await expect(page).toHaveTitle('Overview · Orderdesk');
    await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }))
      .toHaveAttribute('aria-current', 'page');
    // The demo starts with 40 orders; the customer tests running beside this one add theirs.
    const total = await page.getByText('Orders in total').locator('xpath=../..').getByRole('definition').innerText();
    expect(Number(total)).toBeGreaterThanOrEqual(40);
    const table = page.getByRole('table');
    await expect(table.getByRole('rowheader', { name: 'Pending approval' })).toBeVisible();
    await expect(table.getByRole('row')).toHaveCount(8);
    expect(errors).toEqual([]);
  });

  test('the filter runs in the browser without reloading the page', async ({ page }) => {
    const errors = watchErrors(page);
    await signIn(page, 'viewer');
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await expect(emptyRows(page)).not.toHaveCount(0);
    // A full page load would wipe this; only the island's own code (the wasm) keeps it.
    await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));

    await page.getByLabel('Hide states without orders').check();

    await expect(emptyRows(page)).toHaveCount(0);
    await expect(page.getByRole('table').getByRole('rowheader', { name: 'Active' })).toBeVisible();
    await expect(page).toHaveURL(/[?&]hide_empty=on(&|$)/);
    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);

    await page.getByLabel('Hide states without orders').uncheck();
    await expect(page.getByRole('table').getByRole('row')).toHaveCount(8);
    await expect(page).not.toHaveURL(/hide_empty/);
    expect(errors).toEqual([]);
  });

  test('an unknown address shows the 404 page with a way back', async ({ page }) => {
    await signIn(page, 'viewer');
    const response = await page.goto('/orders/does-not-exist/at-all');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
    await page.getByRole('link', { name: 'Back to the overview' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the overview is complete as served', async ({ page }) => {
    await signIn(page, 'viewer');
    await expect(page.locator('body')).not.toHaveAttribute('data-hydrated', 'true');
    await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
    await expect(page.getByRole('table').getByRole('rowheader', { name: 'Approval timed out' })).toBeVisible();
  });

  test('the filter works as a plain form', async ({ page }) => {
    await signIn(page, 'viewer');
    await expect(emptyRows(page)).not.toHaveCount(0);
    await page.getByLabel('Hide states without orders').check();
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(page).toHaveURL(/[?&]hide_empty=on(&|$)/);
    await expect(emptyRows(page)).toHaveCount(0);
    await expect(page.getByLabel('Hide states without orders')).toBeChecked();
  });

  test('an unknown address is a 404 page', async ({ page }) => {
    await signIn(page, 'viewer');
    const response = await page.goto('/nothing-here');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  });
});
