// Signing in as one of the demo accounts, through the real sign-in form.
import { expect, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'e2e-demo-password';

export type DemoRole = 'admin' | 'operator' | 'viewer';

/** Signs in as the demo account of `role` and waits for the overview. */
export async function signIn(page: Page, role: DemoRole, next = '/'): Promise<void> {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('E-mail address').fill(`${role}@demo.example`);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}
