import { test, expect, Page } from '@playwright/test';
import { signIn, DEPT, FINANCE, collectErrors, ADMIN } from './helpers';

async function setDeclarationDeadline(admin: Page, date: string) {
  await admin.goto('/admin');
  await expect(admin.locator('.admin')).toHaveAttribute('data-hydrated', 'true');
  const row = admin.locator('tr[data-year="2021"]');
  await row.getByLabel('2021年申报截止').fill(date);
  await row.getByRole('button', { name: '保存' }).click();
}

// 待办: the administrator sets the 2021 申报截止 to a day that has passed; the finance bureau's
// 待办 shows the demo project as overdue under its department, and the department user sees the
// same on their home page. Clearing the deadline takes the overdue mark away again.
test('the 待办 view shows an overdue project after its deadline passes', async ({ browser }) => {
  const admin = await (await browser.newContext()).newPage();
  const adminErrors = collectErrors(admin);
  await signIn(admin, ADMIN.username, ADMIN.password);
  await setDeclarationDeadline(admin, '2021-03-31');
  await expect(admin.locator('#system-audit')).toContainText('申报截止');
  await expect(admin.locator('tr[data-year="2021"]').getByLabel('2021年申报截止')).toHaveValue('2021-03-31');

  const finance = await (await browser.newContext()).newPage();
  const financeErrors = collectErrors(finance);
  await signIn(finance, FINANCE.username, FINANCE.password);
  await finance.getByRole('banner').getByRole('link', { name: '待办' }).click();
  await expect(finance).toHaveURL(/\/todo$/);
  const todo = finance.getByTestId('todo');
  await expect(todo.getByTestId('todo-deadlines')).toContainText('申报截止：2021-03-31');
  const group = todo.locator('.todo-group[data-department="阿合奇县电子政务办公室"]');
  const row = group.locator('tr', { hasText: '政府网站维护费及业务经费' });
  await expect(row.locator('.owed[data-kind="overdue"]')).toContainText('目标申报 · 草稿');
  await expect(row).toContainText('截止 2021-03-31');
  await expect(todo.getByTestId('todo-total').locator('[data-kind="overdue"]')).not.toHaveText('已逾期 0');
  await finance.screenshot({ path: 'test-results/todo-finance.png', fullPage: true });
  await row.getByRole('link', { name: '政府网站维护费及业务经费' }).click();
  await expect(finance).toHaveURL(/\/projects\/1$/);

  const dept = await (await browser.newContext()).newPage();
  const deptErrors = collectErrors(dept);
  await signIn(dept, DEPT.username, DEPT.password);
  await dept.goto('/');
  const home = dept.getByTestId('todo');
  await expect(home.locator('.todo-group')).toHaveCount(1);
  await expect(home.locator('.owed[data-kind="overdue"]').first()).toBeVisible();
  await dept.screenshot({ path: 'test-results/todo-department-home.png', fullPage: true });

  await setDeclarationDeadline(admin, '');
  await expect(admin.locator('tr[data-year="2021"]').getByLabel('2021年申报截止')).toHaveValue('');
  await finance.goto('/todo');
  await expect(finance.getByTestId('todo-deadlines')).toContainText('申报截止：未设');
  await expect(finance.getByTestId('todo-total').locator('[data-kind="overdue"]')).toHaveText('已逾期 0');
  expect(adminErrors).toEqual([]);
  expect(financeErrors).toEqual([]);
  expect(deptErrors).toEqual([]);
});
