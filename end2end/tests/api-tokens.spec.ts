// An admin makes a token for the automation API in the console, with and without JavaScript:
// the secret is shown once, works against the API at once, and stops working when revoked.
import { expect, test } from '@playwright/test';
import { signIn } from './session';

for (const javaScriptEnabled of [true, false]) {
  test.describe(javaScriptEnabled ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled });

    test('a token is created, shown once, used and revoked', async ({ page, request }) => {
      const name = `script-${javaScriptEnabled ? 'js' : 'html'}-${Date.now()}`;
      await signIn(page, 'admin', '/settings');
      await page.getByRole('link', { name: 'API tokens' }).click();
      await expect(page.getByRole('heading', { name: 'API tokens', level: 1 })).toBeVisible();
      await page.getByLabel('Name').fill(name);
      await page.getByLabel('Role').selectOption('viewer');
      await page.getByRole('button', { name: 'Create token' }).click();

      const notice = page.getByRole('status').filter({ hasText: 'Token created' });
      await expect(notice).toBeVisible();
      const secret = (await page.locator('#new-token').textContent())!.trim();
      expect(secret).toMatch(/^odk_[0-9a-f]{12}_/);
      expect(page.url()).not.toContain(secret);
      const used = await request.get('/api/v1/orders', { headers: { authorization: `Bearer ${secret}` } });
      expect(used.status()).toBe(200);

      await page.reload();
      await expect(page.locator('#new-token')).toHaveCount(0);
      const row = page.getByRole('row').filter({ hasText: name });
      await expect(row).toContainText('Viewer');
      await row.getByRole('button', { name: `Revoke “${name}”` }).click();
      await expect(page.getByRole('row').filter({ hasText: name })).toContainText('revoked');
      const refused = await request.get('/api/v1/orders', { headers: { authorization: `Bearer ${secret}` } });
      expect(refused.status()).toBe(401);
    });
  });
}
