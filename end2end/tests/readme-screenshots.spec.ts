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

// English under the plain names, German with `-de`.
const LANGUAGES = [
  {
    code: 'en' as const,
    suffix: '',
    locale: 'en-GB',
    labels: {
      email: 'E-mail address',
      password: 'Password (at least 10 characters)',
      again: 'Password again',
      create: 'Create account',
      yours: 'Your password (the one you registered with)',
      confirm: 'Confirm my address',
    },
  },
  {
    code: 'de' as const,
    suffix: '-de',
    locale: 'de-DE',
    labels: {
      email: 'E-Mail-Adresse',
      password: 'Passwort (mindestens 10 Zeichen)',
      again: 'Passwort wiederholen',
      create: 'Konto anlegen',
      yours: 'Ihr Passwort (das bei der Registrierung gewählte)',
      confirm: 'Meine Adresse bestätigen',
    },
  },
];

for (const language of LANGUAGES) {
  for (const screen of SCREENS) {
    test.describe(`${screen.name} ${language.code}`, () => {
      test.use({ viewport: screen.viewport, locale: language.locale, timezoneId: 'Europe/Berlin' });
      const shot = (page: string) => `${OUT}/${page}-${screen.name}${language.suffix}.png`;

      test('operator pages', async ({ page }) => {
        await signIn(page, 'admin', '/', language.code);
        await page.waitForLoadState('networkidle');
        await page.screenshot({ path: shot('overview') });
        await page.goto('/orders');
        await page.waitForLoadState('networkidle');
        await page.screenshot({ path: shot('inbox') });
        const order = await page.locator('a.order-link').first().getAttribute('href');
        await page.goto(order!);
        await page.waitForLoadState('networkidle');
        await page.screenshot({ path: shot('order') });
      });

      test('the customer status page', async ({ page, request, browser }) => {
        const { id, redirectUrl } = await orderInThePortal(request);
        const email = `shot-${language.code}-${id.slice(0, 8)}@customer.example`;
        const labels = language.labels;
        await page.goto(redirectUrl);
        await page.getByLabel(labels.email).fill(email);
        await page.getByLabel(labels.password).fill('a customer password');
        await page.getByLabel(labels.again).fill('a customer password');
        await page.getByRole('button', { name: labels.create }).click();
        await expect(page.getByRole('status')).toBeVisible();
        await page.goto(await verificationLink(browser, email));
        await page.getByLabel(labels.yours).fill('a customer password');
        await page.getByRole('button', { name: labels.confirm }).click();
        await page.goto(`/my/subscriptions/${id}`);
        await page.waitForLoadState('networkidle');
        await page.screenshot({ path: shot('status') });
      });
    });
  }
}
