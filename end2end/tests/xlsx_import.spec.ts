import { test, expect, Page } from '@playwright/test';
import * as path from 'node:path';
import { signIn, DEPT, FINANCE, collectErrors } from './helpers';

// Runs after workflow.spec.ts (which approves the demo targets) and before year_cycle.spec.ts,
// which fills the same project through the forms: this journey undoes its import at the end.

const fixture = (name: string) => path.resolve(__dirname, '../fixtures', name);

async function openImports(page: Page) {
  await page.goto('/imports');
  await expect(page.locator('.imports')).toHaveAttribute('data-hydrated', 'true');
}

async function ensureTargetsApproved(dept: Page, finance: Page) {
  const status = async (page: Page) => {
    await page.goto('/projects/1');
    await expect(page.getByTestId('phase-declaration')).toHaveAttribute('data-hydrated', 'true');
    return (await page.getByTestId('phase-declaration').getByTestId('status').textContent()) ?? '';
  };
  if ((await status(dept)) === '已批复') return;
  const act = async (page: Page, button: string, expected: string) => {
    const card = page.getByTestId('phase-declaration');
    await card.getByRole('button', { name: button, exact: true }).click();
    await expect(card.getByTestId('status')).toHaveText(expected);
  };
  await act(dept, '提交', '已提交');
  await status(finance);
  await act(finance, '批复', '已批复');
}

// The department downloads its template, uploads a sheet with mistakes (every problem named at
// its cell, nothing can be committed), then a good sheet: the preview shows old → new and the
// new score, the commit writes it, the project page shows the values, and 撤销 restores them.
test('spreadsheet import: template, preview with problems, commit, revert', async ({ browser }) => {
  test.setTimeout(120_000);
  const dept = await (await browser.newContext({ acceptDownloads: true })).newPage();
  const errors = collectErrors(dept);
  await signIn(dept, DEPT.username, DEPT.password);
  const finance = await (await browser.newContext()).newPage();
  await signIn(finance, FINANCE.username, FINANCE.password);
  await ensureTargetsApproved(dept, finance);

  await dept.getByRole('banner').getByRole('link', { name: '批量导入' }).click();
  await expect(dept.locator('.imports')).toHaveAttribute('data-hydrated', 'true');
  const link = dept.getByTestId('template-link');
  await expect(link).toContainText('阿合奇县电子政务办公室 · 2021年度绩效自评表（1 个项目）');
  const [download] = await Promise.all([dept.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
  const template = await download.path();

  // The template as downloaded: every indicator read, nothing to write.
  await dept.getByTestId('upload-file').setInputFiles(template!);
  await dept.locator('#upload').getByRole('button', { name: '上传并预览' }).click();
  await expect(dept.getByTestId('preview-summary')).toContainText('读取 17 行，将写入 0 项；错误 0 个');
  await expect(dept.getByRole('button', { name: '确认导入' })).toBeDisabled();

  // Mistakes: named at their cells, and the commit stays disabled.
  await dept.getByTestId('upload-file').setInputFiles(fixture('demo-actuals-bad.xlsx'));
  await dept.locator('#upload').getByRole('button', { name: '上传并预览' }).click();
  const problems = dept.getByTestId('problems');
  await expect(problems).toContainText('自评数据!D3：无法识别的数值“约九成”');
  await expect(problems).toContainText('自评数据!第4行：项目“政府网站维护费及业务经费”中没有指标“不存在的指标”');
  await expect(dept.getByTestId('preview-summary')).toContainText('错误 2 个');
  await expect(dept.getByRole('button', { name: '确认导入' })).toBeDisabled();
  await expect(dept.locator('.preview-rows tr.row-error')).toHaveCount(1);

  // A good sheet from another system, matched by names.
  await dept.getByTestId('upload-file').setInputFiles(fixture('demo-actuals.xlsx'));
  await dept.locator('#upload').getByRole('button', { name: '上传并预览' }).click();
  await expect(dept.getByTestId('preview-summary')).toContainText('读取 3 行，将写入 3 项；错误 0 个');
  await expect(dept.locator('.preview-rows')).toContainText('设备老化，明年更换');
  await dept.getByRole('button', { name: '确认导入' }).click();
  await expect(dept.getByTestId('import-done')).toContainText('已导入年终实际完成值：写入 3 项');
  const history = dept.getByTestId('import-history');
  await expect(history.locator('tbody tr').first()).toContainText('demo-actuals.xlsx');
  await expect(history.locator('tbody tr').first()).toContainText('已导入');

  // The values are the project's now.
  const row = async () => {
    await dept.goto('/projects/1');
    await expect(dept.locator('#evaluation')).toHaveAttribute('data-hydrated', 'true');
    return dept.getByTestId('evaluation').locator('tr[data-indicator="LED 屏幕正常运行率"]');
  };
  let led = await row();
  await expect(led.getByLabel('实际完成值')).toHaveValue('96%');
  await expect(led.getByLabel('偏差原因分析及改进措施')).toHaveValue('设备老化，明年更换');

  // 撤销 restores what was there before.
  await openImports(dept);
  await history.getByRole('button', { name: '撤销' }).first().click();
  await expect(dept.getByText('已撤销该次导入')).toBeVisible();
  await expect(history.locator('tbody tr').first()).toContainText('由 akqi 撤销');
  led = await row();
  await expect(led.getByLabel('实际完成值')).toHaveValue('');
  await expect(led.getByLabel('偏差原因分析及改进措施')).toHaveValue('');
  expect(errors).toEqual([]);
});

// 运行监控 from a sheet of another system: the preview shows each field old → new and the
// 1–7月 funds, the commit fills the 运行监控 form, and 撤销 empties it again (year_cycle.spec.ts
// fills the same rows through the form afterwards).
test('spreadsheet import of 运行监控: preview, commit, revert', async ({ browser }) => {
  test.setTimeout(120_000);
  const dept = await (await browser.newContext({ acceptDownloads: true })).newPage();
  const errors = collectErrors(dept);
  await signIn(dept, DEPT.username, DEPT.password);
  const finance = await (await browser.newContext()).newPage();
  await signIn(finance, FINANCE.username, FINANCE.password);
  await ensureTargetsApproved(dept, finance);

  await openImports(dept);
  const [download] = await Promise.all([
    dept.waitForEvent('download'),
    dept.getByTestId('monitoring-template-link').first().click(),
  ]);
  expect(download.suggestedFilename()).toContain('运行监控表');

  await dept.getByTestId('upload-file').setInputFiles(fixture('demo-monitoring.xlsx'));
  await dept.locator('#upload').getByRole('button', { name: '上传并预览' }).click();
  await expect(dept.getByTestId('preview-summary')).toContainText('（运行监控情况）：读取 2 行，将写入 3 项；错误 0 个，提示 0 个');
  await expect(dept.getByTestId('monitoring-funds')).toContainText('1-7月执行数 — → 3.2 万元');
  const rows = dept.getByTestId('monitoring-rows');
  await expect(rows.locator('tbody tr')).toHaveCount(2);
  await expect(rows.locator('tbody tr').nth(1)).toContainText('— → 有可能');
  await expect(rows.locator('tbody tr').nth(1)).toContainText('申请更换老旧屏幕');
  await dept.getByRole('button', { name: '确认导入' }).click();
  await expect(dept.getByTestId('import-done')).toContainText('已导入运行监控情况：写入 3 项');
  const history = dept.getByTestId('import-history');
  await expect(history.locator('tbody tr').first()).toContainText('运行监控情况');

  const row = async () => {
    await dept.goto('/projects/1');
    await expect(dept.locator('#monitoring')).toHaveAttribute('data-hydrated', 'true');
    return dept.getByTestId('monitoring').locator('tr[data-indicator="LED 屏幕正常运行率"]');
  };
  let led = await row();
  await expect(led.getByLabel('1–7月执行情况')).toHaveValue('上半年运行率95%');
  await expect(led.getByLabel('纠偏措施')).toHaveValue('申请更换老旧屏幕');

  await openImports(dept);
  await history.getByRole('button', { name: '撤销' }).first().click();
  await expect(dept.getByText('已撤销该次导入')).toBeVisible();
  led = await row();
  await expect(led.getByLabel('1–7月执行情况')).toHaveValue('');
  await expect(led.getByLabel('纠偏措施')).toHaveValue('');
  expect(errors).toEqual([]);
});

// The project page offers its own templates.
test('the project page links its 自评表 and 运行监控表 templates', async ({ page }) => {
  await signIn(page, DEPT.username, DEPT.password);
  await page.goto('/projects/1');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('project-template').click()]);
  expect(download.suggestedFilename()).toContain('政府网站维护费及业务经费');
  const [monitoring] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('project-monitoring-template').click(),
  ]);
  expect(monitoring.suggestedFilename()).toContain('运行监控表');
});
