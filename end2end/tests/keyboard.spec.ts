// The console's keyboard shortcuts, as an operator uses them: j / k through the inbox, a to take
// an order, Enter to open it, x to tick its next open step, ? for the list; never while typing.
import { expect, test } from '@playwright/test';
import { arriveFromStackit, orderInThePortal } from './portal';
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
  // In place: no reload, the message says what happened, the focus is on the next open step.
  await expect(page.getByRole('status').filter({ hasText: 'Done: “Confirm the order with the customer”.' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Mark “Provision the customer\'s instance” done' })).toBeFocused();
  await expect(page.locator(':focus-visible')).toHaveCount(1);
  // Undo from the message, then the rest of the steps by Enter on the focused step.
  await page.getByRole('button', { name: 'Take back the tick on “Confirm the order with the customer”' }).press('Enter');
  await expect(checklist).toContainText('0 of 4 done');
  for (const done of [1, 2, 3, 4]) {
    await page.keyboard.press('x');
    await expect(checklist).toContainText(`${done} of 4 done`);
  }
  await expect(page.getByRole('button', { name: /^Take back the tick on/ })).toBeFocused();

  // Approve from the keyboard: all steps are done, so nothing asks to confirm.
  await page.getByText('Approve…').focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Instance URL for the customer (optional)')).toBeFocused();
  await page.keyboard.type(`https://${id.slice(0, 8)}.keyboard.example`);
  await page.keyboard.press('Enter');
  await expect(page.getByText('Active', { exact: true }).first()).toBeVisible();
});

test('a customer registers from the keyboard alone', async ({ page, request }) => {
  const { id, redirectUrl } = await orderInThePortal(request);
  await arriveFromStackit(page, redirectUrl);
  const email = page.getByLabel('E-mail address');
  for (let i = 0; i < 30 && !(await email.evaluate((e) => e === document.activeElement)); i++) {
    await page.keyboard.press('Tab');
    await expect(page.locator(':focus-visible')).toHaveCount(1);
  }
  await expect(email).toBeFocused();
  await page.keyboard.type(`keys-${id.slice(0, 8)}@customer.example`);
  await page.keyboard.press('Tab');
  await page.keyboard.type('a customer password');
  await page.keyboard.press('Tab');
  await page.keyboard.type('a customer password');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status')).toContainText('Check your inbox');
});

test('an order page leads through its inbox view by link and by j / k, and copies its IDs', async ({ browser }) => {
  const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  // Newest first: orders other tests place arrive above the rows used here.
  await signIn(page, 'viewer', '/orders?sort=newest');
  const links = page.locator('a.order-link');
  const [first, second, third] = await Promise.all([0, 1, 2].map((i) => links.nth(i).getAttribute('href')));
  await links.nth(1).click();
  await expect(page).toHaveURL(second!);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.getByRole('link', { name: '← Orders' })).toHaveAttribute('href', '/orders?sort=newest');
  await page.keyboard.press('j');
  await expect(page).toHaveURL(third!);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.keyboard.press('k');
  await expect(page).toHaveURL(second!);
  await page.getByRole('link', { name: 'Previous order in the inbox view' }).click();
  await expect(page).toHaveURL(first!);

  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const copy = page.getByRole('button', { name: 'Copy Subscription ID' });
  await copy.click();
  await expect(copy).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(first!.split('/').pop());
  await context.close();
});
