// Open pages keep themselves current (JavaScript on; without it they work by reload, which the
// other specs cover): a new order is offered in an open inbox, and a colleague's tick shows on an
// open order page, both within the 5-second poll, without a reload, and the focus stays put.
import { expect, test } from '@playwright/test';
import { orderInThePortal } from './portal';
import { signIn } from './session';

const WITHIN_TWO_POLLS = { timeout: 12_000 };

test('a new order and a colleague\'s tick appear without a reload', async ({ page, browser, request }) => {
  const { id, redirectUrl } = await orderInThePortal(request);
  // The customer's arrival brings the order to Orderdesk at once.
  expect((await request.get(redirectUrl, { maxRedirects: 0 })).status()).toBe(303);

  await signIn(page, 'operator', `/orders/${id}`);
  await page.goto(`/orders/${id}`);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const checklist = page.getByRole('region', { name: 'Setup checklist' });
  await expect(checklist).toContainText('0 of 4 done');
  // Someone typing a note keeps what they typed, and the focus, through the update.
  const note = page.getByLabel(/New note/);
  await note.fill('half a thought');
  await note.focus();
  await page.evaluate(() => ((window as unknown as { drawnBefore: boolean }).drawnBefore = true));

  const colleague = await browser.newContext();
  const other = await colleague.newPage();
  await signIn(other, 'admin', `/orders/${id}`);
  await other.goto(`/orders/${id}`);
  await expect(other.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(other.getByText(/Also viewing: /)).toBeVisible(WITHIN_TWO_POLLS);
  await other.getByRole('button', { name: 'Mark “Confirm the order with the customer” done' }).click();
  await expect(other.getByRole('region', { name: 'Setup checklist' })).toContainText('1 of 4 done');

  await expect(checklist).toContainText('1 of 4 done', WITHIN_TWO_POLLS);
  await expect(page.getByRole('region', { name: 'Timeline' })).toContainText('Confirm the order with the customer');
  await expect(page.getByText(/Also viewing: /)).toBeVisible();
  await expect(note).toHaveValue('half a thought');
  await expect(note).toBeFocused();
  expect(await page.evaluate(() => (window as unknown as { drawnBefore?: boolean }).drawnBefore)).toBe(true);

  // The inbox, open while another order arrives.
  await page.goto('/orders');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const next = await orderInThePortal(request);
  expect((await request.get(next.redirectUrl, { maxRedirects: 0 })).status()).toBe(303);
  // The other worker's specs place orders too, so the offer may count more than this one.
  const offer = page.getByRole('link', { name: /^(1 new order|\d+ new orders) — show$/ });
  await expect(offer).toBeVisible(WITHIN_TWO_POLLS);
  await offer.click();
  await expect(page.locator(`#order-${next.id}`)).toBeAttached();
  await colleague.close();
});
