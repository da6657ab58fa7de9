// The overview page, with the browser's JavaScript on (hydrated) and off (server-rendered only).
import { expect, test, type Page } from '@playwright/test';

/** Collects console errors and uncaught exceptions (a CSP violation shows up here too). */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

test.describe('with JavaScript', () => {
  test('the overview hydrates and lists the lifecycle states', async ({ page }) => {
    const errors = watchErrors(page);
    const response = await page.goto('/');
    expect(response?.status()).toBe(200);
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await expect(page).toHaveTitle('Overview · Orderdesk');
    await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }))
      .toHaveAttribute('aria-current', 'page');
    const table = page.getByRole('table');
    await expect(table.getByRole('rowheader', { name: 'Pending approval' })).toBeVisible();
    await expect(table.getByRole('row')).toHaveCount(8);
    expect(errors).toEqual([]);
  });

  test('the filter runs in the browser without reloading the page', async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto('/');
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    // A full page load would wipe this; only client-side routing (the wasm) keeps it.
    await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));

    await page.getByLabel('Hide states without orders').check();
    await page.getByRole('button', { name: 'Apply' }).click();

    await expect(page).toHaveURL(/[?&]hide_empty=on(&|$)/);
    await expect(page.getByText('No orders yet.')).toBeVisible();
    await expect(page.getByRole('table')).toHaveCount(0);
    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
    expect(errors).toEqual([]);
  });

  test('an unknown address shows the 404 page with a way back', async ({ page }) => {
    const response = await page.goto('/orders/does-not-exist');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
    await page.getByRole('link', { name: 'Back to the overview' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the overview is complete as served', async ({ page }) => {
    const response = await page.goto('/');
    expect(response?.status()).toBe(200);
    await expect(page.locator('body')).not.toHaveAttribute('data-hydrated', 'true');
    await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
    await expect(page.getByRole('table').getByRole('rowheader', { name: 'Approval timed out' })).toBeVisible();
    await expect(page.getByText('Orders in total')).toBeVisible();
  });

  test('the filter works as a plain form', async ({ page }) => {
    await page.goto('/');
    await page.getByLabel('Hide states without orders').check();
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(page).toHaveURL(/[?&]hide_empty=on(&|$)/);
    await expect(page.getByText('No orders yet.')).toBeVisible();
    await expect(page.getByLabel('Hide states without orders')).toBeChecked();
  });

  test('an unknown address is a 404 page', async ({ page }) => {
    const response = await page.goto('/nothing-here');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  });
});
