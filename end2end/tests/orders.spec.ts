// An operator works an order from the inbox to approval; a viewer cannot. With JavaScript on and
// off: every form on these pages is plain HTML.
import { expect, test, type Page } from '@playwright/test';
import { clearFaults, failApprovals, orderInThePortal } from './portal';
import { signIn } from './session';

/** Filters the inbox to pending orders of `product` and opens the first one with a contact e-mail. */
async function openPendingOrder(page: Page, product: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Orders' }).click();
  await page.getByLabel('State').selectOption({ label: 'Pending approval' });
  await page.getByLabel('Product').selectOption({ label: product });
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/state=SUBSCRIPTION_PENDING/);
  const rows = page.getByRole('table', { name: 'Orders' }).getByRole('row').filter({ hasText: '@' });
  await expect(rows.first()).toBeVisible();
  for (const state of await page.getByRole('table', { name: 'Orders' }).locator('tbody tr').allInnerTexts()) {
    expect(state).toContain('Pending approval');
    expect(state).toContain(product);
  }
  await rows.first().getByRole('link', { name: /^Order / }).click();
  await expect(page.getByRole('heading', { level: 1, name: product })).toBeVisible();
}

for (const [javaScriptEnabled, product] of [
  [true, 'DataVault Managed Backup'],
  [false, 'MailGuard Secure Gateway'],
] as const) {
  test.describe(javaScriptEnabled ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled });

    test('an operator sets up an order and approves it', async ({ page }) => {
      await signIn(page, 'operator');
      await openPendingOrder(page, product);

      const contact = page.getByRole('region', { name: 'Customer contact' });
      await expect(contact).toContainText(/@.+\.example/);
      await expect(contact).toContainText('from STACKIT');

      const checklist = page.getByRole('region', { name: 'Setup checklist' });
      await expect(checklist).toContainText('0 of 4 done');
      await page.getByRole('button', { name: 'Mark “Confirm the order with the customer” done' }).click();
      await expect(checklist).toContainText('1 of 4 done');
      await page.getByRole('button', { name: 'Mark “Provision the customer\'s instance” done' }).click();
      await expect(checklist).toContainText('2 of 4 done');

      await page.getByLabel(/New note/).fill('Tenant created; <b>welcome mail</b> sent.');
      await page.getByRole('button', { name: 'Add note' }).click();
      await expect(page.getByRole('region', { name: 'Notes' })).toContainText('Tenant created; <b>welcome mail</b> sent.');

      await page.getByText('Approve…').click();
      await page.getByLabel('Instance URL for the customer (optional)').fill('https://acme.demo.example');
      // Two steps are open: the form says so and asks for a tick before it sends anything.
      await expect(page.getByText('2 of 4 steps still open.')).toBeVisible();
      await page.getByRole('button', { name: 'Confirm approval' }).click();
      const anyway = page.getByLabel(/Approve anyway/);
      expect(await anyway.evaluate((box) => (box as HTMLInputElement).validity.valueMissing)).toBe(true);
      await expect(page.getByRole('region', { name: 'Timeline' })).not.toContainText('Approval queued');
      await anyway.check();
      await page.getByRole('button', { name: 'Confirm approval' }).click();

      await expect(page.getByText('Active', { exact: true }).first()).toBeVisible();
      await expect(page.getByRole('status').filter({ hasText: 'Approved: STACKIT has the approval' })).toBeVisible();
      await expect(page.getByRole('region', { name: 'Decision' })).toHaveCount(0);
      await expect(page.getByRole('region', { name: 'Timeline' })).toContainText('Approved at STACKIT (instance https://acme.demo.example)');
      // It went through the outbox: queued with the claim, then sent.
      await expect(page.getByRole('region', { name: 'Timeline' })).toContainText('Approval queued for STACKIT');
      await expect(page.getByRole('link', { name: 'https://acme.demo.example' })).toBeVisible();
    });

    test('a viewer sees the order but no way to change it', async ({ page }) => {
      await signIn(page, 'viewer');
      await openPendingOrder(page, 'Insight Analytics (Preview)');
      await expect(page.getByRole('region', { name: 'Customer contact' })).toContainText('@');
      await expect(page.getByText('Approve…')).toHaveCount(0);
      await expect(page.getByRole('button', { name: /Mark .* done/ })).toHaveCount(0);
      await expect(page.getByRole('button', { name: 'Add note' })).toHaveCount(0);
    });
  });
}

test('a forged approval is refused', async ({ page, request }) => {
  await signIn(page, 'viewer');
  await openPendingOrder(page, 'Insight Analytics (Preview)');
  const id = page.url().split('/orders/')[1];
  // The viewer's own session, replaying the approve form: the server checks the role.
  const asViewer = await page.request.post('/api/approve_order', {
    form: { subscription_id: id },
    headers: { accept: 'application/json' },
  });
  expect(asViewer.status()).toBe(403);
  // Another site making the browser post: refused before the role is even looked at.
  const crossSite = await request.post('/api/approve_order', {
    form: { subscription_id: id },
    headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
  });
  expect(crossSite.status()).toBe(403);
  await page.reload();
  await expect(page.getByText('Pending approval', { exact: true }).first()).toBeVisible();
});

test('an approval STACKIT does not take yet is shown as retrying, then goes through', async ({ page, request }) => {
  const { id } = await orderInThePortal(request);
  await failApprovals(request, id, 503);
  try {
    await signIn(page, 'operator', '/orders');
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect(page.getByRole('status').filter({ hasText: /Synced:/ })).toBeVisible();
    await page.goto(`/orders/${id}`);
    await page.getByText('Approve…').click();
    await page.getByLabel(/Approve anyway/).check();
    await page.getByRole('button', { name: 'Confirm approval' }).click();
    const decision = page.getByRole('region', { name: 'Decision' });
    await expect(decision).toContainText('Approval queued, STACKIT did not take it yet: STACKIT answered 503');
    await expect(decision).toContainText('Orderdesk keeps trying, nothing needs doing.');
    await expect(page.getByText('Pending approval', { exact: true }).first()).toBeVisible();
  } finally {
    await clearFaults(request);
  }
  // STACKIT is back: a later attempt (every 2 s or more in these tests) gets it through.
  await expect(async () => {
    await page.reload();
    await expect(page.getByText('Active', { exact: true }).first()).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 25_000 });
  await expect(page.getByRole('region', { name: 'Timeline' })).toContainText('Approved at STACKIT');
});

for (const javaScriptEnabled of [true, false]) {
  test(`sync now reports what it found (${javaScriptEnabled ? 'in place' : 'after a page load'})`, async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    await signIn(page, 'operator', '/orders');
    if (javaScriptEnabled) {
      await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
      await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
    }
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect(page.getByRole('status').filter({ hasText: /Synced: \d+ new, \d+ changed, \d+ unchanged/ })).toBeVisible();
    if (javaScriptEnabled) {
      expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
    } else {
      await expect(page).toHaveURL(/synced=\d+-\d+-\d+/);
    }
    await context.close();
  });
}

test('the overview shows deadlines, time to approval and approvals per week', async ({ page }) => {
  await signIn(page, 'viewer');
  await expect(page.getByText('Due within 3 days')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Time from order to approval' })).toContainText('Last 90 days');
  await expect(page.getByRole('img', { name: /Orders approved per week over the last 12 weeks/ })).toBeVisible();
});
