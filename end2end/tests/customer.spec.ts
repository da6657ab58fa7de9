// The customer's whole journey, with JavaScript on and off: an order in the (simulated) STACKIT
// portal, the sign-up redirect, registration, the verification mail, the setup-status page while
// an operator works the order, and the instance link once it is approved.
import { expect, test, type Browser } from '@playwright/test';
import { arriveFromStackit, orderInThePortal, verificationLink } from './portal';
import { signIn } from './session';

/** An operator ticks the first customer-visible step, then approves with an instance URL. */
async function operatorWorks(browser: Browser, id: string, approve: boolean): Promise<void> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, 'operator');
  await page.goto(`/orders/${id}`);
  if (approve) {
    await page.getByText('Approve…').click();
    await page.getByLabel('Instance URL for the customer (optional)').fill(`https://${id.slice(0, 8)}.datavault.example`);
    await page.getByLabel(/Approve anyway/).check();
    await page.getByRole('button', { name: 'Confirm approval' }).click();
    await expect(page.getByText('Active', { exact: true }).first()).toBeVisible();
  } else {
    await page.getByRole('button', { name: 'Mark “Confirm the order with the customer” done' }).click();
    await expect(page.getByRole('region', { name: 'Setup checklist' })).toContainText('1 of 4 done');
  }
  await context.close();
}

for (const javaScriptEnabled of [true, false]) {
  test.describe(javaScriptEnabled ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled });

    test('a customer signs up from STACKIT and follows the setup to the instance', async ({ page, request, browser }) => {
      const { id, redirectUrl } = await orderInThePortal(request);
      const email = `buyer-${id.slice(0, 8)}@customer.example`;

      await arriveFromStackit(page, redirectUrl);
      await expect(page.getByRole('heading', { name: 'Welcome' })).toBeVisible();
      await page.getByLabel('E-mail address').fill(email);
      await page.getByLabel('Password (at least 10 characters)').fill('a customer password');
      await page.getByLabel('Password again').fill('a customer password');
      await page.getByRole('button', { name: 'Create account' }).click();
      await expect(page.getByRole('status')).toContainText('Check your inbox');

      // Opening the mailed link confirms nothing by itself (mail scanners open links too).
      await page.goto(await verificationLink(browser, email));
      await page.getByLabel('Your password (the one you registered with)').fill('a customer password');
      await page.getByRole('button', { name: 'Confirm my address' }).click();
      await expect(page.getByRole('heading', { name: 'My subscriptions' })).toBeVisible();
      await expect(page.getByRole('status')).toContainText('your e-mail address is confirmed');

      await page.goto(`/my/subscriptions/${id}`);
      await expect(page.getByText('Being set up')).toBeVisible();
      await expect(page.getByRole('status')).toContainText('0 of 3 steps done');
      await expect(page.getByText('Record the customer in billing')).toHaveCount(0);

      await operatorWorks(browser, id, false);
      await page.reload();
      await expect(page.getByRole('status')).toContainText('1 of 3 steps done');
      // Steps in the words written to customers, in their language; never the operators' own.
      await expect(page.getByText('We confirm your order')).toBeVisible();
      await expect(page.getByText('Confirm the order with the customer')).toHaveCount(0);
      await page.getByRole('button', { name: 'Deutsch' }).click();
      await expect(page.getByText('Wir bestätigen Ihre Bestellung')).toBeVisible();
      await expect(page.getByText('Wir richten Ihre Instanz ein')).toBeVisible();
      await expect(page.getByText('Confirm the order with the customer')).toHaveCount(0);
      await page.getByRole('button', { name: 'English' }).click();
      await expect(page.getByText('We confirm your order')).toBeVisible();

      await operatorWorks(browser, id, true);
      await page.reload();
      await expect(page.getByText('Active', { exact: true })).toBeVisible();
      await expect(page.getByRole('link', { name: 'Open your instance' })).toHaveAttribute(
        'href',
        `https://${id.slice(0, 8)}.datavault.example`,
      );
    });
  });
}

test('a used sign-up link in another browser gets a clear page', async ({ page, request, browser }) => {
  const { redirectUrl } = await orderInThePortal(request);
  await arriveFromStackit(page, redirectUrl);
  const other = await browser.newContext({ locale: 'de-DE' });
  const tab = await other.newPage();
  const response = await tab.goto(redirectUrl);
  expect(response?.status()).toBe(410);
  await expect(tab.getByRole('alert')).toContainText('schon benutzt');
  await expect(tab.getByRole('alert')).toContainText('Referenz');
  await other.close();
});
