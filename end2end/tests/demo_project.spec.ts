import { test, expect } from '@playwright/test';
import { signIn, FINANCE, collectErrors } from './helpers';

test('signing in: a wrong password is refused in Chinese, the right one opens the project list', async ({ page }) => {
  const errors = collectErrors(page);
  // An anonymous visitor is sent to the login page and, once signed in, back to the page asked for.
  await page.goto('/projects/1');
  await expect(page).toHaveURL(/\/login\?next=%2Fprojects%2F1$/);
  await expect(page.locator('#app')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('用户名').fill('akqi');
  await page.getByLabel('密码').fill('jixiao-akqi-2021');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/projects\/1$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('政府网站维护费及业务经费');
  await page.getByRole('button', { name: '退出' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto('/login');
  await expect(page.locator('#app')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('用户名').fill('akqi');
  await page.getByLabel('密码').fill('not-the-password');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByTestId('login-error')).toHaveText('用户名或密码错误');
  await signIn(page);
  await expect(page.getByTestId('current-user')).toContainText('电子政务办填报员');
  await page.getByRole('button', { name: '退出' }).click();
  await expect(page).toHaveURL(/\/login$/);
  expect(errors).toEqual([]);
});

test('the project list links to the demo project, which hydrates', async ({ page }) => {
  const errors = collectErrors(page);
  await signIn(page);
  await page.goto('/');
  await expect(page.locator('#app')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.getByRole('heading', { name: '项目支出绩效目标' })).toBeVisible();
  await page.getByTestId('project-list').getByRole('link', { name: '政府网站维护费及业务经费' }).click();
  await expect(page).toHaveURL(/\/projects\/1$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('政府网站维护费及业务经费');
  await expect(page.locator('table.indicators').getByRole('cell', { name: '维护网站数量' })).toBeVisible();
  expect(errors).toEqual([]);
});

test('collapsing a 一级 group and reloading indicators through a server function', async ({ page }) => {
  const errors = collectErrors(page);
  await signIn(page);
  await page.goto('/projects/1');
  // Only the WASM sets these; without hydration the test stops here.
  await expect(page.locator('#app')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.locator('table.indicators')).toHaveAttribute('data-hydrated', 'true');

  const row = page.locator('table.indicators').getByRole('cell', { name: '维护网站数量' });
  await expect(row).toBeVisible();
  await expect(page.locator('table.indicators').getByRole('cell', { name: '≤40000 元/年' })).toBeVisible();

  const output = page.getByRole('button', { name: /产出指标/ });
  await expect(output).toHaveAttribute('aria-expanded', 'true');
  await output.click();
  await expect(output).toHaveAttribute('aria-expanded', 'false');
  await expect(row).toBeHidden();
  // Other groups stay open.
  await expect(page.locator('table.indicators').getByRole('cell', { name: '受益群众满意度' })).toBeVisible();
  await output.click();
  await expect(row).toBeVisible();

  const answered = page.waitForResponse((r) => r.url().includes('/api/get_cycle') && r.status() === 200);
  await page.getByRole('button', { name: '从服务器刷新' }).click();
  await answered;
  await expect(page.getByTestId('reload-status')).toHaveText('已从服务器重新加载 17 项指标');
  await expect(page.locator('tr.indicator-row')).toHaveCount(17);
  expect(errors).toEqual([]);
});

// Saving a target in the declaration editor updates the indicator table above it without a reload;
// a wrong 分值 is refused next to its field and changes nothing.
test('a saved target shows in the indicator table at once; a wrong 分值 is named at its field', async ({ page }) => {
  const errors = collectErrors(page);
  await signIn(page);
  await page.goto('/projects/1');
  await expect(page.locator('#declaration')).toHaveAttribute('data-hydrated', 'true');
  const table = page.locator('table.indicators');
  const row = page.getByTestId('declaration-editor').locator('tr[data-indicator="维护网站数量"]');
  const save = async (status: string) => {
    await row.getByRole('button', { name: '保存', exact: true }).click();
    await expect(row.locator('.save-status')).toHaveText(status);
  };

  await row.getByLabel('指标值').fill('2个');
  await save('已保存');
  // The table's own row of this indicator (维护网络平台数量 also reads 1个).
  const tableRow = table.locator('tr', { hasText: '维护网站数量' });
  await expect(tableRow.getByRole('cell', { name: '2个', exact: true })).toBeVisible();

  const weight = row.getByLabel('分值');
  const before = await weight.inputValue();
  await weight.fill('三分');
  await row.getByRole('button', { name: '保存', exact: true }).click();
  await expect(row.locator('.field-error')).toContainText('分值');
  await weight.fill(before);

  await row.getByLabel('指标值').fill('1个');
  await save('已保存');
  await expect(tableRow.getByRole('cell', { name: '1个', exact: true })).toBeVisible();
  await expect(table.getByRole('cell', { name: '2个', exact: true })).toHaveCount(0);
  // The audit trail shows the change with Chinese field names.
  await expect(page.locator('#audit')).toContainText('指标值');
  expect(errors).toEqual([]);
});

test('the indicator table is in the server-rendered HTML (no JavaScript)', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  // Without JavaScript the login form posts to the server function, which sets the cookie.
  await page.goto('/login');
  await page.getByLabel('用户名').fill('caizheng');
  await page.getByLabel('密码').fill('jixiao-finance-2021');
  await page.getByRole('button', { name: '登录' }).click();
  await page.goto('/projects/1');
  await expect(page.locator('#app')).toHaveAttribute('data-hydrated', 'false');
  await expect(page.locator('table.indicators').getByRole('cell', { name: '维护网站数量' })).toBeVisible();
  await expect(page.getByTestId('funds-total')).toHaveText('10.00');
  await context.close();
});

test('an unknown project shows a Chinese not-found page', async ({ page }) => {
  await signIn(page, FINANCE.username, FINANCE.password);
  const response = await page.goto('/projects/424242');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: '未找到该页面' })).toBeVisible();
});
