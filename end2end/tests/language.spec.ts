// English and German: the browser's language decides first, the switch in the footer overrides
// it, and times follow the browser's time zone once JavaScript has reported it.
import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD } from './session';

for (const javaScriptEnabled of [true, false]) {
  test.describe(javaScriptEnabled ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled, locale: 'de-DE', timezoneId: 'Europe/Berlin' });

    test('a German browser gets German pages and can switch to English and back', async ({ page }) => {
      await page.goto('/login');
      await expect(page.locator('html')).toHaveAttribute('lang', 'de');
      await page.getByLabel('E-Mail-Adresse').fill('viewer@demo.example');
      await page.getByLabel('Passwort').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Anmelden' }).click();
      await expect(page.getByRole('button', { name: 'Abmelden' })).toBeVisible();
      await expect(page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Aufträge' })).toBeVisible();

      await page.getByRole('button', { name: 'English' }).click();
      await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
      await expect(page.getByRole('button', { name: 'English' })).toHaveAttribute('aria-pressed', 'true');
      await page.goto('/orders');
      await expect(page.locator('html')).toHaveAttribute('lang', 'en');

      await page.getByRole('button', { name: 'Deutsch' }).click();
      await expect(page).toHaveURL(/\/orders$/);
      await expect(page.locator('html')).toHaveAttribute('lang', 'de');
    });
  });
}

test.describe('with JavaScript', () => {
  test.use({ locale: 'en-GB', timezoneId: 'Asia/Tokyo' });

  test('times follow the time zone the browser reports', async ({ page }) => {
    await page.goto('/login');
    await expect(page.getByText('Times in Europe/Berlin')).toBeVisible();
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await page.reload();
    await expect(page.getByText('Times in Asia/Tokyo')).toBeVisible();
  });
});
