// Settings → "Check the set-up": an admin reads every line of the set-up check, with and without
// JavaScript, in English and German, and it passes axe.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { signIn } from './session';

for (const javaScriptEnabled of [true, false]) {
  test.describe(javaScriptEnabled ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled });

    test('the check lists every link of the chain', async ({ page }) => {
      await signIn(page, 'admin', '/settings');
      await page.getByRole('link', { name: 'Check the set-up' }).click();
      await expect(page.getByRole('heading', { name: 'Check the set-up', level: 1 })).toBeVisible();
      const lines = page.getByRole('listitem');
      for (const what of ['Public address', 'Access token from STACKIT', 'Subscriptions of the vendor project',
        'Keys of STACKIT\'s sign-up tokens', 'Mail', 'Webhook', 'Database']) {
        await expect(lines.filter({ hasText: what }).first()).toBeVisible();
      }
      // The demo's own STACKIT (the simulator) answers: its token line passes.
      await expect(lines.filter({ hasText: 'Access token from STACKIT' })).toContainText('passed');
      if (javaScriptEnabled) {
        const results = await new AxeBuilder({ page }).analyze();
        expect(results.violations).toEqual([]);
      }
    });
  });
}

test.describe('in German', () => {
  test.use({ locale: 'de-DE' });

  test('the check reads in German', async ({ page }) => {
    await signIn(page, 'admin', '/settings/check', 'de');
    await page.goto('/settings/check');
    await expect(page.getByRole('heading', { name: 'Einrichtung prüfen', level: 1 })).toBeVisible();
    await expect(page.getByRole('listitem').filter({ hasText: 'Zugriffstoken von STACKIT' })).toContainText('bestanden');
  });
});
