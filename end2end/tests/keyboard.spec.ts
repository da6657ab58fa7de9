// The console's keyboard shortcuts, as an operator uses them: j / k through the inbox, a to take
// an order, Enter to open it, x to tick its next open step, ? for the list; never while typing.
import { expect, test } from '@playwright/test';
import { orderInThePortal } from './portal';
import { signIn } from './session';

test('an operator works the inbox and an order from the keyboard', async ({ page, request }) => {
  // An order of its own for the changes (other tests work the demo's orders at the same time).
  const { id } = await orderInThePortal(request);
  await signIn(page, 'operator', '/orders');
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByRole('status').filter({ hasText: /Synced:/ })).toBeVisible();
  await page.goto('/orders?state=SUBSCRIPTION_PENDING');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const links = page.locator('a.order-link');
  await page.keyboard.press('j');
  await expect(links.nth(0)).toBeFocused();
  await page.keyboard.press('j');
  await expect(links.nth(1)).toBeFocused();
  await page.keyboard.press('k');
  await expect(links.nth(0)).toBeFocused();

  // In a field, a key is a letter typed.
  const search = page.getByLabel('Search');
  await search.focus();
  await page.keyboard.press('j');
  await expect(search).toHaveValue('j');
  await expect(search).toBeFocused();
  await search.fill('');

  await links.nth(0).focus();
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);

  // a: the focused order is mine, and the page comes back to its row.
  await page.goto(`/orders?q=${id}`);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const rowId = `order-${id}`;
  await page.keyboard.press('j');
  await expect(page.locator(`#${rowId} a.order-link`)).toBeFocused();
  await page.keyboard.press('a');
  await expect(page).toHaveURL(new RegExp(`#${rowId}$`));
  await expect(page.locator(`#${rowId}`)).not.toContainText('Assign to me');

  // Enter opens it; x ticks its next open step.
  await page.locator(`#${rowId} a.order-link`).focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/orders/${rowId.slice('order-'.length)}$`));
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const checklist = page.getByRole('region', { name: 'Setup checklist' });
  await expect(checklist).toContainText('0 of 4 done');
  await page.keyboard.press('x');
  await expect(checklist).toContainText('1 of 4 done');
  await expect(page.getByRole('button', { name: 'Undo “Confirm the order with the customer”' })).toBeVisible();
});
