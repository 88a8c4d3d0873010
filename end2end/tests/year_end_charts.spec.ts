import { test, expect, Page } from '@playwright/test';
import { signIn, FINANCE, collectErrors } from './helpers';

// Runs last (after year_cycle.spec.ts has filled the demo project's actuals): the charts drawn
// against the targets on the project page and on the department and county overviews, their data
// tables, the document downloads, and a forged county download refused. Screenshots are saved
// under test-results/.

async function download(page: Page, testId: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return file.suggestedFilename();
}

test('charts against targets, overviews and document downloads', async ({ browser }) => {
  const dept = await (await browser.newContext({ acceptDownloads: true })).newPage();
  const errors = collectErrors(dept);
  await signIn(dept);

  await dept.goto('/projects/1');
  const indicators = dept.getByTestId('chart-indicators');
  await expect(indicators.locator('svg title')).toHaveText(/实际完成值与年度指标值/);
  await expect(indicators.locator('svg text', { hasText: '受益群众满意度' })).toBeVisible();
  const scores = dept.getByTestId('chart-scores');
  await expect(scores.locator('svg text', { hasText: '预算执行率' }).first()).toBeVisible();
  await indicators.scrollIntoViewIfNeeded();
  await dept.screenshot({ path: 'test-results/charts-project.png', fullPage: true });
  // The table alternative holds the same indicators.
  await indicators.locator('summary').click();
  await expect(indicators.locator('table tbody tr', { hasText: '受益群众满意度' })).toBeVisible();

  expect(await download(dept, 'download-report')).toMatch(/政府网站维护费及业务经费-2021年度绩效自评报告\.docx$/);
  expect(await download(dept, 'download-report-pdf')).toMatch(/政府网站维护费及业务经费-2021年度绩效自评报告\.pdf$/);
  expect(await download(dept, 'download-selfeval')).toMatch(/项目支出绩效自评表\.xlsx$/);
  expect(await download(dept, 'download-targets')).toMatch(/项目支出绩效目标表\.xlsx$/);

  // The department's own overview; the county is refused whatever URL is forged.
  await dept.goto('/overview?year=2021');
  await expect(dept.getByTestId('overview-title')).toContainText('阿合奇县电子政务办公室 2021 年度绩效概览');
  await expect(dept.getByTestId('chart-department').locator('svg')).toBeVisible();
  const demoRow = dept.getByTestId('overview-table').locator('tbody tr', { hasText: '政府网站维护费及业务经费' });
  await expect(demoRow).toBeVisible();
  // The department page shows each project's three phase statuses beside its score.
  await expect(demoRow.locator('.badge[class*="status-"]')).toHaveCount(3);
  await expect(demoRow.locator('.badge.status-approved').first()).toBeVisible();
  await dept.screenshot({ path: 'test-results/charts-department.png', fullPage: true });
  expect((await dept.request.get('/export/summary.xlsx?year=2021')).status()).toBe(403);
  expect((await dept.request.get('/export/report.docx?project=1')).status()).toBe(200);

  // The finance bureau's county overview: grades and both rankings, then into the department.
  const finance = await (await browser.newContext()).newPage();
  const financeErrors = collectErrors(finance);
  await signIn(finance, FINANCE.username, FINANCE.password);
  await finance.goto('/overview?year=2021');
  await expect(finance.getByTestId('overview-title')).toContainText('全县 2021 年度绩效概览');
  for (const key of ['grades', 'by-score', 'by-rate']) {
    await expect(finance.getByTestId(`chart-${key}`).locator('svg')).toBeVisible();
  }
  await finance.screenshot({ path: 'test-results/charts-county.png', fullPage: true });
  await finance.getByTestId('overview-table').getByRole('link', { name: '阿合奇县电子政务办公室' }).click();
  await expect(finance).toHaveURL(/department=/);
  await expect(finance.getByTestId('chart-department').locator('svg')).toBeVisible();
  expect((await finance.request.get('/export/summary.xlsx?year=2021')).status()).toBe(200);

  expect(errors).toEqual([]);
  expect(financeErrors).toEqual([]);
});
