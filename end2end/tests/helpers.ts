import { expect, Page } from '@playwright/test';

// Demo accounts created by `jixiao demo` (README).
export const DEPT = { username: 'akqi', password: 'jixiao-akqi-2021' };
export const FINANCE = { username: 'caizheng', password: 'jixiao-finance-2021' };
export const ADMIN = { username: 'admin', password: 'jixiao-admin-2021' };

// Collects every uncaught error in the page (a WASM panic shows up here); tests expect none.
export function collectErrors(page: Page): Error[] {
  const errors: Error[] = [];
  page.on('pageerror', (e) => errors.push(e));
  return errors;
}

// Signs in through the login form, after the page has hydrated.
export async function signIn(page: Page, username = DEPT.username, password = DEPT.password) {
  await page.goto('/login');
  await expect(page.locator('#app')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByTestId('current-user')).toBeVisible();
}
