// Signing in and out, with JavaScript on and off: the forms are plain HTML either way.
import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, signIn } from './session';

for (const javaScriptEnabled of [true, false]) {
  test.describe(javaScriptEnabled ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled });

    test('a page that needs a session sends the browser to sign in and back', async ({ page }) => {
      await page.goto('/?hide_empty=on');
      await expect(page).toHaveURL(/\/login\?next=/);
      await page.getByLabel('E-mail address').fill('operator@demo.example');
      await page.getByLabel('Password').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page).toHaveURL(/\/\?hide_empty=on$/);
      await expect(page.getByRole('link', { name: /Otto Operator/ })).toBeVisible();
    });

    test('a sign-in link whose next page tries to leave the site stays on it', async ({ page, baseURL }) => {
      // Browsers drop the tab and would follow `//evil.example/` to another host.
      await page.goto('/login?next=%2F%09%2Fevil.example%2F');
      await page.getByLabel('E-mail address').fill('operator@demo.example');
      await page.getByLabel('Password').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByRole('link', { name: /Otto Operator/ })).toBeVisible();
      expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
      expect(new URL(page.url()).pathname).toBe('/');
    });

    test('signing out ends the session', async ({ page }) => {
      await signIn(page, 'admin');
      await page.getByRole('button', { name: 'Sign out' }).click();
      await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
      await page.goto('/');
      await expect(page).toHaveURL(/\/login/);
    });
  });
}

test('an admin invites an operator who sets a password from the link', async ({ page, browser }) => {
  await signIn(page, 'admin');
  await page.getByRole('link', { name: 'Operators' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Nina Newcomer');
  await page.getByLabel('E-mail address').fill('nina@demo.example');
  await page.getByLabel('Role', { exact: true }).selectOption('operator');
  await page.getByRole('button', { name: 'Create setup link' }).click();
  const link = (await page.getByRole('status').filter({ hasText: 'one-time setup link' }).locator('p.font-mono').innerText()).trim();
  expect(link).toMatch(/\/setup\?token=/);
  await expect(page.getByRole('row', { name: /Nina Newcomer/ })).toContainText('Invited');

  const newcomer = await browser.newContext({ javaScriptEnabled: false });
  const tab = await newcomer.newPage();
  await tab.goto(link);
  await tab.getByLabel('Password (at least 10 characters)').fill('nina chose this');
  await tab.getByLabel('Password again').fill('nina chose this');
  await tab.getByRole('button', { name: 'Save password' }).click();
  await expect(tab.getByRole('status')).toContainText('Your password is saved');
  await tab.getByLabel('E-mail address').fill('nina@demo.example');
  await tab.getByLabel('Password').fill('nina chose this');
  await tab.getByRole('button', { name: 'Sign in' }).click();
  await expect(tab.getByRole('link', { name: /Nina Newcomer/ })).toBeVisible();
  await newcomer.close();

  await page.reload();
  await page.getByRole('button', { name: 'Deactivate Nina Newcomer' }).click();
  await expect(page.getByRole('row', { name: /Nina Newcomer/ })).toContainText('Deactivated');
});
