import { test, expect } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { signIn, ADMIN, collectErrors } from './helpers';

// 导入绩效目标表: the administrator adds a department, then uploads a published 绩效目标表 (the
// demo's source text, its project renamed) for it on 批量导入: the preview lists the project and
// its 17 indicator rows with how each 指标值 reads; the commit creates the draft, whose page shows
// the indicators ready to edit. A file that holds no table is refused with the reason.
test('a published target table becomes a new draft project', async ({ browser }) => {
  const n = Date.now() % 100000;
  const page = await (await browser.newContext()).newPage();
  const errors = collectErrors(page);
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.goto('/admin');
  await expect(page.locator('.admin')).toHaveAttribute('data-hydrated', 'true');
  const department = `县档案馆${n}`;
  await page.getByLabel('部门名称').fill(department);
  await page.getByRole('button', { name: '新增部门' }).click();
  await expect(page.locator('#departments')).toContainText(department);

  await page.goto('/imports');
  await expect(page.locator('.imports')).toHaveAttribute('data-hydrated', 'true');
  const form = page.getByTestId('targets-form');
  await form.getByLabel('导入到年度').selectOption('2021');
  await form.getByLabel('导入到部门').selectOption({ label: department });

  // Not a table: refused, and said why.
  await form.getByTestId('targets-file').setInputFiles({
    name: '说明.txt', mimeType: 'text/plain', buffer: Buffer.from('这只是一段说明文字。'),
  });
  await form.getByRole('button', { name: '上传并预览' }).click();
  await expect(page.getByTestId('targets-error')).toContainText('没有找到绩效目标表');

  const name = `档案数字化经费${n}`;
  const source = fs.readFileSync(path.resolve(__dirname, '../../fixtures/000_a24f108f427dffbb.txt'), 'utf8');
  await form.getByTestId('targets-file').setInputFiles({
    name: '绩效目标表.txt', mimeType: 'text/plain', buffer: Buffer.from(source.split('政府网站维护费及业务经费').join(name)),
  });
  await form.getByRole('button', { name: '上传并预览' }).click();
  const preview = page.getByTestId('targets-preview');
  await expect(preview.getByTestId('targets-summary')).toContainText('1 个项目、17 项指标');
  await expect(preview.getByTestId('targets-summary')).toContainText(`2021 年度“${department}”`);
  await expect(preview.getByTestId('targets-summary')).toContainText('错误 0 个');
  await expect(preview.getByTestId('targets-project')).toHaveText(name);
  await expect(preview.locator('tr', { hasText: '维护、测评网站成本' })).toContainText('数值：≤');
  // The table names another 主管部门: said, not guessed.
  await expect(preview.getByTestId('targets-problems')).toContainText(`将导入到“${department}”`);
  await page.screenshot({ path: 'test-results/targets-import-preview.png', fullPage: true });

  await preview.getByRole('button', { name: '确认导入' }).click();
  const done = page.getByTestId('targets-done');
  await expect(done).toContainText('已创建 1 个项目');
  await done.getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await expect(page.locator('#app')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.locator('#declaration tr[data-indicator="维护网站数量"]')).toBeVisible();
  expect(errors).toEqual([]);
});
