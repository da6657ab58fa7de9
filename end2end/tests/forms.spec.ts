// Forms that refuse something say what, beside the field, and keep what was typed; a password
// typed twice differently is caught before the form is sent. With and without JavaScript.
import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, signIn } from './session';

for (const javaScriptEnabled of [true, false]) {
  test.describe(javaScriptEnabled ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled });

    test('a refused sign-in keeps the address and puts the focus on the password', async ({ page }) => {
      await page.goto('/login');
      await page.getByLabel('E-mail address').fill('viewer@demo.example');
      await page.getByLabel('Password').fill('not the password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByRole('alert')).toContainText('do not match an active account');
      await expect(page.getByLabel('E-mail address')).toHaveValue('viewer@demo.example');
      const password = page.getByLabel('Password');
      await expect(password).toBeFocused();
      await expect(password).toHaveAttribute('aria-invalid', 'true');
      await expect(password).toHaveAccessibleDescription(/do not match an active account/);
      await password.fill(DEMO_PASSWORD);
      await page.keyboard.press('Enter');
      await expect(page.getByRole('button', { name: 'Sign out', includeHidden: true })).toBeAttached();
    });

    test('a wrong current password is named beside its field, and only that', async ({ page }) => {
      await signIn(page, 'viewer', '/account');
      await page.getByLabel('Current password').fill('not the password');
      await page.getByLabel('New password (at least 10 characters)').fill('a new password 1');
      await page.getByLabel('New password again').fill('a new password 1');
      await page.getByRole('button', { name: 'Change password' }).click();
      const current = page.getByLabel('Current password');
      await expect(current).toBeFocused();
      await expect(current).toHaveAttribute('aria-invalid', 'true');
      await expect(current).toHaveAccessibleDescription('This is not your current password.');
      await expect(page.getByRole('alert')).toHaveCount(0);
    });
  });
}

test('two different new passwords are caught before the form is sent', async ({ page }) => {
  await signIn(page, 'viewer', '/account');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('Current password').fill(DEMO_PASSWORD);
  await page.getByLabel('New password (at least 10 characters)').fill('a new password 1');
  const repeat = page.getByLabel('New password again');
  await repeat.fill('a new password 2');
  await expect(repeat).toHaveAttribute('aria-invalid', 'true');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page).toHaveURL(/\/account$/);
  expect(await repeat.evaluate((e: HTMLInputElement) => e.validationMessage)).toContain('The two passwords differ');
  await expect(repeat).toBeFocused();
});
