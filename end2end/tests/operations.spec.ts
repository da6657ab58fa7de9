// An admin's operations pages: checklist steps carried over on plan changes (settings) and the
// outbox with its webhook section. With JavaScript on and off: these are plain HTML forms.
import { expect, test } from '@playwright/test';
import { signIn } from './session';

const STEP = "Provision the customer's instance";

// Both toggle the same settings: one after the other.
test.describe.configure({ mode: 'serial' });

for (const javaScriptEnabled of [true, false]) {
  test.describe(javaScriptEnabled ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled });

    test('an admin marks a checklist step to carry over on plan changes, and back', async ({ page }) => {
      await signIn(page, 'admin', '/settings');
      await page.goto('/settings');
      const carry = page.getByRole('button', { name: `Carry “${STEP}” over to the new order of a plan change` });
      const stop = page.getByRole('button', { name: `Stop carrying “${STEP}” over on plan changes` });
      const before = await stop.count();
      await carry.first().click();
      await expect(stop).toHaveCount(before + 1);
      await expect(page.getByText('carried over on plan changes').first()).toBeVisible();
      await stop.first().click();
      await expect(stop).toHaveCount(before);
    });

    test('the outbox says where order events go', async ({ page }) => {
      await signIn(page, 'admin', '/outbox');
      await page.goto('/outbox');
      await expect(page.getByRole('heading', { name: 'Webhook deliveries' })).toBeVisible();
      await expect(page.getByText('No webhook is configured (ORDERDESK_WEBHOOK_URL).')).toBeVisible();
    });
  });
}
