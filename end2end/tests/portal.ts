// The STACKIT side of the end-to-end tests: the demo's embedded simulator, where a test orders as
// a customer would in the portal and makes the Vendor API misbehave.
import { expect, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { signIn } from './session';

const port = Number(process.env.ORDERDESK_E2E_PORT ?? 3100);
export const SIMULATOR = `http://127.0.0.1:${port + 1}`;
/** The demo's vendor project (server/src/demo.rs). */
const VENDOR_PROJECT = '6b1e4c2a-7d3f-4e8a-9b5c-0a1d2e3f4a5b';
const PRODUCT = { productId: 'datavault-1a2b3c4d', sku: 'dv-starter-5e6f7a8b' };

/** Orders DataVault for a new customer project in the simulator; returns its ID and redirect URL. */
export async function orderInThePortal(request: APIRequestContext): Promise<{ id: string; redirectUrl: string }> {
  const project = crypto.randomUUID();
  const token = await request.post(`${SIMULATOR}/simulator/consumer-tokens`, { data: { projectId: project } });
  const { accessToken } = await token.json();
  const headers = { authorization: `Bearer ${accessToken}` };
  const created = await request.post(`${SIMULATOR}/v1/consumers/projects/${project}/subscriptions`, {
    headers,
    data: PRODUCT,
  });
  expect(created.status()).toBe(201);
  const { subscriptionId } = await created.json();
  const redirect = await request.get(
    `${SIMULATOR}/v1/consumers/projects/${project}/subscriptions/${subscriptionId}/redirects`,
    { headers },
  );
  const { redirectUrl } = await redirect.json();
  return { id: subscriptionId, redirectUrl };
}

/**
 * Follows STACKIT's sign-up redirect as the customer's browser does, to `/welcome`. When Orderdesk
 * refuses the arrival instead, the failure names what its page said (the problem and the reference
 * to look up in the server's log), not only the address it stayed on.
 */
export async function arriveFromStackit(page: Page, redirectUrl: string): Promise<void> {
  const response = await page.goto(redirectUrl);
  if (!/\/welcome$/.test(page.url())) {
    const said = await page.locator('main').innerText().catch(() => '(no page)');
    throw new Error(`the sign-up redirect stayed on ${new URL(page.url()).pathname} (${response?.status()}): ${said}`);
  }
}

/** Makes every Vendor API approve call for subscription `id` fail with `status` until cleared. */
export async function failApprovals(request: APIRequestContext, id: string, status: number): Promise<void> {
  const pathPrefix = `/v1/vendors/projects/${VENDOR_PROJECT}/subscriptions/${id}/approve`;
  const injected = await request.post(`${SIMULATOR}/simulator/faults`, {
    data: { kind: 'status', status, fraction: 1, pathPrefix },
  });
  expect(injected.ok()).toBe(true);
}

/** Removes every injected fault. */
export async function clearFaults(request: APIRequestContext): Promise<void> {
  expect((await request.delete(`${SIMULATOR}/simulator/faults`)).ok()).toBe(true);
}

/** The verification link mailed to `email` (in whichever language), as an admin reads it in the outbox. */
export async function verificationLink(browser: Browser, email: string): Promise<string> {
  // In English whatever the calling test's language (the new context takes the test's options).
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  await signIn(page, 'admin');
  await page.goto('/outbox');
  const mail = page.getByRole('article').filter({ hasText: email }).filter({ hasText: '/verify?token=' });
  await expect(mail).toBeVisible();
  const link = (await mail.innerText()).match(/https?:\/\/\S+\/verify\?token=\S+/)?.[0];
  await context.close();
  expect(link).toBeTruthy();
  return link!;
}
