// Every page as its users meet it, on a desktop (1366 px) and a phone (390 px), in English and
// German: axe-core finds no violation of WCAG 2.1 A and AA, and no page is wider than the screen
// (reflow, WCAG 1.4.10), at 390 px and at 320 px. Operator pages are seen as an admin, who sees
// them all; customer pages along a customer's sign-up.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { arriveFromStackit, orderInThePortal, verificationLink } from './portal';
import { signIn } from './session';

const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** The page's violations, each with its rule, what it means and where. */
async function violations(page: Page): Promise<string[]> {
  await page.waitForLoadState('networkidle');
  const results = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
  return results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`,
  );
}

/** How much wider than the viewport the page is, in pixels (0 when it fits). */
async function overflow(page: Page): Promise<number> {
  return page.evaluate(() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth));
}

/** Checks the page as it is now, and again at 320 px on a phone. */
async function check(page: Page, name: string, phone: boolean): Promise<void> {
  expect.soft(await violations(page), `axe on ${name}`).toEqual([]);
  expect.soft(await overflow(page), `${name} wider than the screen`).toBe(0);
  if (phone) {
    const size = page.viewportSize()!;
    await page.setViewportSize({ width: 320, height: size.height });
    expect.soft(await overflow(page), `${name} wider than a 320 px screen`).toBe(0);
    await page.setViewportSize(size);
  }
}

const SCREENS = [
  { name: 'desktop', viewport: { width: 1366, height: 900 }, phone: false },
  { name: 'phone', viewport: { width: 390, height: 844 }, phone: true },
];
const LANGUAGES = [
  { locale: 'en-GB', password: 'Password', signIn: 'Sign in', register: 'Create account' },
  { locale: 'de-DE', password: 'Passwort', signIn: 'Anmelden', register: 'Konto anlegen' },
];

for (const screen of SCREENS) {
  for (const language of LANGUAGES) {
    test.describe(`${screen.name}, ${language.locale}`, () => {
      test.use({ viewport: screen.viewport, locale: language.locale, timezoneId: 'Europe/Berlin' });

      test('every operator page passes axe and fits the screen', async ({ page }) => {
        // Eleven pages, each checked by axe and at two widths: 24-27 s on CI's machine, too
        // close to the 30 s a test gets (two timed out in a busy run).
        test.slow();
        await page.goto('/login');
        await check(page, '/login', screen.phone);
        await signIn(page, 'admin', '/', language.locale === 'de-DE' ? 'de' : 'en');
        await page.goto('/orders');
        const order = await page.locator('a.order-link').first().getAttribute('href');
        for (const path of ['/', '/orders', '/orders?state=SUBSCRIPTION_ACTIVE', order!, '/audit', '/settings', '/outbox', '/operators', '/api-tokens', '/settings/check', '/account']) {
          await page.goto(path);
          await check(page, path, screen.phone);
        }
      });

      test('every customer page passes axe and fits the screen', async ({ page, request, browser }) => {
        test.slow();
        const { id, redirectUrl } = await orderInThePortal(request);
        const email = `a11y-${id.slice(0, 8)}@customer.example`;
        await arriveFromStackit(page, redirectUrl);
        await check(page, '/welcome', screen.phone);
        await page.locator('input[type=email]').fill(email);
        await page.locator('input[type=password]').nth(0).fill('a customer password');
        await page.locator('input[type=password]').nth(1).fill('a customer password');
        await page.getByRole('button', { name: language.register }).click();
        await expect(page.getByRole('status')).toBeVisible();
        await check(page, '/welcome (registered)', screen.phone);
        await page.goto(await verificationLink(browser, email));
        await check(page, '/verify', screen.phone);
        await page.locator('input[type=password]').fill('a customer password');
        await page.locator('form:has(input[type=password]) button[type=submit]').click();
        await expect(page).toHaveURL(/\/my(\?|$)/);
        for (const path of ['/my', `/my/subscriptions/${id}`, '/my/login', '/my/forgot']) {
          await page.goto(path);
          await check(page, path, screen.phone);
        }
      });
    });
  }
}
