import { test, expect } from '@playwright/test';
import { signIn, DEPT, collectErrors, ADMIN } from './helpers';

// A new year without retyping: the administrator opens 2022; the department copies last year's
// project into it and lands on the new draft, with the same indicators and targets to edit.
test('copying last year’s project into the next year as a draft', async ({ browser }) => {
  const admin = await (await browser.newContext()).newPage();
  const adminErrors = collectErrors(admin);
  await signIn(admin, ADMIN.username, ADMIN.password);
  await admin.goto('/admin');
  await expect(admin.locator('.admin')).toHaveAttribute('data-hydrated', 'true');
  await admin.getByLabel('新增年度').fill('2022');
  await admin.getByRole('button', { name: '新增年度' }).click();
  await expect(admin.locator('tr[data-year="2022"]')).toBeVisible();

  const dept = await (await browser.newContext()).newPage();
  const errors = collectErrors(dept);
  await signIn(dept, DEPT.username, DEPT.password);
  await dept.goto('/projects/1');
  await expect(dept.locator('#app')).toHaveAttribute('data-hydrated', 'true');
  await dept.getByRole('button', { name: '复制到2022年度' }).click();
  await expect(dept).not.toHaveURL(/\/projects\/1$/);
  await expect(dept).toHaveURL(/\/projects\/\d+$/);
  await expect(dept.locator('.subtitle')).toContainText('2022 年度');
  await expect(dept.getByRole('heading', { level: 1 })).toHaveText('政府网站维护费及业务经费');
  await expect(dept.locator('table.indicators').getByRole('cell', { name: '维护网站数量' })).toBeVisible();
  await expect(dept.locator('#workflow')).toContainText('草稿');
  // Already copied: the button is gone from the new project (no 2023) and from last year's.
  await expect(dept.getByRole('button', { name: /复制到/ })).toHaveCount(0);
  await dept.screenshot({ path: 'test-results/copied-project.png', fullPage: true });
  await dept.goto('/projects/1');
  await expect(dept.locator('#app')).toHaveAttribute('data-hydrated', 'true');
  await expect(dept.getByRole('button', { name: /复制到/ })).toHaveCount(0);
  expect(adminErrors).toEqual([]);
  expect(errors).toEqual([]);
});
