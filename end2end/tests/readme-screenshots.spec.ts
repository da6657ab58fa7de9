// The README's pictures, taken from the demo as a vendor and a customer see it: the overview, the
// inbox, an order and the customer's status page, on a desktop and a phone. Not part of the
// suite: `scripts/screenshots` runs it (ORDERDESK_SCREENSHOTS=1) and writes docs/screenshots/.
import { expect, test } from '@playwright/test';
import * as path from 'node:path';
import { orderInThePortal, verificationLink } from './portal';
import { signIn } from './session';

const OUT = path.resolve(__dirname, '../../docs/screenshots');
const SCREENS = [
  { name: 'desktop', viewport: { width: 1366, height: 900 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
];

test.skip(!process.env.ORDERDESK_SCREENSHOTS, 'only when scripts/screenshots asks');

for (const screen of SCREENS) {
  test.describe(screen.name, () => {
    test.use({ viewport: screen.viewport, locale: 'en-GB', timezoneId: 'Europe/Berlin' });

    test('operator pages', async ({ page }) => {
      await signIn(page, 'admin');
      await page.waitForLoadState('networkidle');
      await page.screenshot({ path: `${OUT}/overview-${screen.name}.png` });
      await page.goto('/orders');
      await page.waitForLoadState('networkidle');
      await page.screenshot({ path: `${OUT}/inbox-${screen.name}.png` });
      const order = await page.locator('a.order-link').first().getAttribute('href');
      await page.goto(order!);
      await page.waitForLoadState('networkidle');
      await page.screenshot({ path: `${OUT}/order-${screen.name}.png` });
    });

    test('the customer status page', async ({ page, request, browser }) => {
      const { id, redirectUrl } = await orderInThePortal(request);
      const email = `shot-${id.slice(0, 8)}@customer.example`;
      await page.goto(redirectUrl);
      await page.getByLabel('E-mail address').fill(email);
      await page.getByLabel('Password (at least 10 characters)').fill('a customer password');
      await page.getByLabel('Password again').fill('a customer password');
      await page.getByRole('button', { name: 'Create account' }).click();
      await expect(page.getByRole('status')).toBeVisible();
      await page.goto(await verificationLink(browser, email));
      await page.getByLabel('Your password (the one you registered with)').fill('a customer password');
      await page.getByRole('button', { name: 'Confirm my address' }).click();
      await page.goto(`/my/subscriptions/${id}`);
      await page.waitForLoadState('networkidle');
      await page.screenshot({ path: `${OUT}/status-${screen.name}.png` });
    });
  });
}
