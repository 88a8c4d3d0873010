import { test, expect, Page } from '@playwright/test';
import { signIn, DEPT, FINANCE } from './helpers';

async function openDemo(page: Page) {
  await page.goto('/projects/1');
  await expect(page.locator('#app')).toHaveAttribute('data-hydrated', 'true');
  // The phase cards sit inside a Suspense boundary and hydrate after the page shell.
  for (const phase of ['declaration', 'monitoring', 'self_evaluation']) {
    await expect(page.getByTestId(`phase-${phase}`)).toHaveAttribute('data-hydrated', 'true');
  }
}

// The declaration journey: the department submits, the finance bureau returns it with a reason,
// the department sees the reason, resubmits, and finance approves; the audit trail records it.
test('submit, return with a reason, resubmit and approve', async ({ browser }) => {
  const dept = await (await browser.newContext()).newPage();
  await signIn(dept, DEPT.username, DEPT.password);
  await openDemo(dept);
  const declaration = dept.getByTestId('phase-declaration');
  await expect(declaration.getByTestId('status')).toHaveText('草稿');
  await expect(dept.getByTestId('phase-monitoring')).toContainText('目标申报批复后开放');
  await declaration.getByRole('button', { name: '提交' }).click();
  await expect(declaration.getByTestId('status')).toHaveText('已提交');

  const finance = await (await browser.newContext()).newPage();
  await signIn(finance, FINANCE.username, FINANCE.password);
  await openDemo(finance);
  const fDecl = finance.getByTestId('phase-declaration');
  await expect(fDecl.getByTestId('status')).toHaveText('已提交');
  // A return without a reason is refused in Chinese.
  await fDecl.getByRole('button', { name: '退回' }).click();
  await expect(finance.getByTestId('workflow-error')).toContainText('原因');
  await fDecl.locator('textarea').fill('成本指标缺少测算依据');
  await fDecl.getByRole('button', { name: '退回' }).click();
  await expect(fDecl.getByTestId('status')).toHaveText('退回');

  // The 总览 finds the returned project with filters that live in the URL.
  await finance.goto('/');
  const filters = finance.getByTestId('list-filters');
  await filters.getByLabel('阶段').selectOption({ label: '目标申报' });
  await filters.getByLabel('状态').selectOption({ label: '退回' });
  await filters.getByRole('button', { name: '筛选' }).click();
  await expect(finance).toHaveURL(/phase=declaration&status=returned/);
  const list = finance.getByTestId('project-list');
  await expect(list.locator('tbody tr')).toHaveCount(1);
  await expect(list).toContainText('政府网站维护费及业务经费');
  await expect(finance.getByTestId('list-count')).toHaveText('合计 1 个项目');
  await finance.screenshot({ path: 'test-results/list-returned.png', fullPage: true });
  await filters.getByLabel('状态').selectOption({ label: '已批复' });
  await filters.getByRole('button', { name: '筛选' }).click();
  await expect(finance.getByTestId('list-empty')).toBeVisible();
  await finance.goBack();
  await expect(finance).toHaveURL(/status=returned/);
  await expect(finance.getByTestId('project-list')).toContainText('政府网站维护费及业务经费');
  // Sorting by a column keeps the filter.
  await finance.getByTestId('project-list').getByRole('link', { name: '自评得分' }).click();
  await expect(finance).toHaveURL(/status=returned.*sort=score&desc=1/);
  await expect(finance.getByTestId('project-list')).toContainText('政府网站维护费及业务经费');

  await openDemo(dept);
  await expect(declaration.getByTestId('status')).toHaveText('退回');
  await expect(declaration).toContainText('成本指标缺少测算依据');
  await declaration.getByRole('button', { name: '提交' }).click();
  await expect(declaration.getByTestId('status')).toHaveText('已提交');

  await openDemo(finance);
  await fDecl.getByRole('button', { name: '批复' }).click();
  await expect(fDecl.getByTestId('status')).toHaveText('已批复');
  await expect(finance.getByTestId('phase-monitoring')).not.toContainText('目标申报批复后开放');
  const audit = finance.getByTestId('audit');
  await expect(audit).toContainText('caizheng');
  await expect(audit).toContainText('成本指标缺少测算依据');
  // Its five workflow entries (submit, return with its reason, resubmit, approve); other tests
  // on the same server may have added content edits.
  await expect(audit.locator('tbody tr', { hasText: '流程' })).toHaveCount(5);
  await finance.screenshot({ path: 'test-results/workflow-finance.png', fullPage: true });
});
