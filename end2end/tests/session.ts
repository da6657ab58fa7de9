// Signing in as one of the demo accounts, through the real sign-in form.
import { expect, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'e2e-demo-password';

export type DemoRole = 'admin' | 'operator' | 'viewer';

const LABELS = {
  en: { email: 'E-mail address', password: 'Password', signIn: 'Sign in', signOut: 'Sign out' },
  de: { email: 'E-Mail-Adresse', password: 'Passwort', signIn: 'Anmelden', signOut: 'Abmelden' },
};

/** Signs in as the demo account of `role` (on a page in `language`) and waits for the next page. */
export async function signIn(page: Page, role: DemoRole, next = '/', language: 'en' | 'de' = 'en'): Promise<void> {
  const labels = LABELS[language];
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel(labels.email).fill(`${role}@demo.example`);
  await page.getByLabel(labels.password, { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: labels.signIn }).click();
  // Attached rather than visible: on a phone it is folded behind "Menu".
  await expect(page.getByRole('button', { name: labels.signOut, includeHidden: true })).toBeAttached();
}
