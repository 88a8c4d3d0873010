import { test, expect, Page, Locator } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { signIn, DEPT, FINANCE, collectErrors, ADMIN } from './helpers';

// The documented self-evaluation of the demo project (docs/examples): its actuals score 97.68.
type Entry = { name: string; actual?: string; grade?: string; score?: string; explanation?: string };
const example: { funds: { budget: string; executed: string }; indicators: Entry[] } = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '../../docs/examples/self-evaluation.json'), 'utf8'),
);

async function openDemo(page: Page) {
  await page.goto('/projects/1');
  await expect(page.locator('#app')).toHaveAttribute('data-hydrated', 'true');
  for (const phase of ['declaration', 'monitoring', 'self_evaluation']) {
    await expect(page.getByTestId(`phase-${phase}`)).toHaveAttribute('data-hydrated', 'true');
  }
  await expect(page.locator('#comments')).toHaveAttribute('data-hydrated', 'true');
}

async function phaseStatus(page: Page, phase: string): Promise<string> {
  return (await page.getByTestId(`phase-${phase}`).getByTestId('status').textContent()) ?? '';
}

async function act(page: Page, phase: string, button: string, expected: string) {
  const card = page.getByTestId(`phase-${phase}`);
  await card.getByRole('button', { name: button, exact: true }).click();
  await expect(card.getByTestId('status')).toHaveText(expected);
}

async function saveRow(row: Locator) {
  await row.getByRole('button', { name: '保存', exact: true }).click();
  await expect(row.locator('.save-status')).toHaveText('已保存');
}

// The whole year of the demo project in the browser: the administrator sets up a department;
// targets are approved and adjusted mid-year with a reason; the department reports monitoring,
// enters its year-end actuals and sees its score computed live; finance re-scores one indicator
// and rates the project; comments pass between them; the list shows the final score.
test('a year of the demo project: adjust, monitor, self-evaluate, re-score, rate', async ({ browser }) => {
  test.setTimeout(180_000);
  const admin = await (await browser.newContext()).newPage();
  const adminErrors = collectErrors(admin);
  await signIn(admin, ADMIN.username, ADMIN.password);
  await admin.getByRole('link', { name: '系统管理' }).click();
  await expect(admin.locator('.admin')).toHaveAttribute('data-hydrated', 'true');
  await expect(admin.locator('tr[data-year="2021"] select')).toHaveValue('national');
  const deptForm = admin.locator('#departments form');
  await deptForm.getByLabel('部门名称').fill('阿合奇县信息中心');
  await deptForm.getByRole('button', { name: '新增部门' }).click();
  await expect(admin.locator('#departments tbody')).toContainText('阿合奇县信息中心');
  // The system-wide audit trail records it, with who.
  await expect(admin.locator('#system-audit tbody tr').first()).toContainText('admin');
  await expect(admin.locator('#system-audit')).toContainText('阿合奇县信息中心');
  expect(adminErrors).toEqual([]);

  const dept = await (await browser.newContext()).newPage();
  const deptErrors = collectErrors(dept);
  await signIn(dept, DEPT.username, DEPT.password);
  const finance = await (await browser.newContext()).newPage();
  await signIn(finance, FINANCE.username, FINANCE.password);

  // Targets approved (the declaration journey may already have done it).
  await openDemo(dept);
  if ((await phaseStatus(dept, 'declaration')) !== '已批复') {
    await act(dept, 'declaration', '提交', '已提交');
    await openDemo(finance);
    await act(finance, 'declaration', '批复', '已批复');
    await openDemo(dept);
  }
  await expect(dept.getByTestId('versions')).toContainText('年初申报批复');

  // A mid-year 调整 with its reason, approved by finance, becomes the current version.
  const propose = dept.getByTestId('propose-adjustment');
  await propose.getByRole('combobox').selectOption({ label: '数量指标 / 维护机房数量' });
  await expect(propose.getByLabel('调整后的指标值')).toHaveValue('2座');
  await propose.getByLabel('调整后的指标值').fill('3座');
  await propose.getByLabel('调整原因').fill('新增备用机房一座，纳入统一维护');
  await propose.getByRole('button', { name: '提交调整申请' }).click();
  await expect(propose).toContainText('已提交，等待财政局审核');
  await openDemo(finance);
  const pending = finance.getByTestId('versions').locator('tr', { hasText: '待审核' });
  await expect(pending).toContainText('新增备用机房一座');
  await pending.getByRole('button', { name: '同意调整' }).click();
  await expect(finance.getByTestId('versions')).toContainText('现行');
  await expect(finance.getByTestId('versions')).toContainText('2座（3分） → 3座（3分）');

  // 运行监控: one indicator at risk, with its reason and corrective action.
  await openDemo(dept);
  await expect(dept.locator('#monitoring')).toHaveAttribute('data-hydrated', 'true');
  const mrow = dept.getByTestId('monitoring').locator('tr[data-indicator="LED 屏幕正常运行率"]');
  await mrow.getByLabel('1–7月执行情况').fill('1–7月运行率96%');
  await mrow.getByLabel('完成目标可能性').selectOption({ label: '有可能' });
  await expect(mrow.getByLabel('偏差原因', { exact: true })).toHaveAttribute('placeholder', '须填写偏差原因');
  await mrow.getByLabel('偏差原因', { exact: true }).fill('屏幕老化，故障增多');
  await mrow.getByLabel('纠偏措施').fill('更换老化模组');
  await saveRow(mrow);

  // 绩效自评: the score is computed in the browser as figures are typed, before saving.
  await expect(dept.locator('#evaluation')).toHaveAttribute('data-hydrated', 'true');
  const funds = dept.getByTestId('year-end-funds');
  await funds.getByLabel('全年预算数（万元）').fill(example.funds.budget);
  await funds.getByLabel('全年执行数（万元）').fill(example.funds.executed);
  await expect(funds.getByTestId('execution-rate')).toHaveText('95.00%');
  await funds.getByRole('button', { name: '保存资金' }).click();
  await expect(funds.locator('.save-status')).toHaveText('已保存');
  const table = dept.getByTestId('evaluation');
  for (const e of example.indicators) {
    const row = table.locator(`tr[data-indicator="${e.name}"]`);
    if (e.actual) await row.getByLabel('实际完成值').fill(e.actual);
    if (e.grade) {
      await row.getByLabel('评价等级').selectOption({ label: e.grade });
      await row.getByLabel('定性得分').fill(e.score ?? '');
    }
    if (e.explanation) await row.getByLabel('偏差原因分析及改进措施').fill(e.explanation);
    await saveRow(row);
  }
  await expect(dept.getByTestId('total-score')).toHaveText('97.68');
  await expect(dept.getByTestId('grade')).toHaveText('优');
  // Two shortfalls still lack their explanation: submitting is refused until they are filled.
  const missing = dept.getByTestId('missing-explanations');
  await expect(missing).toContainText('LED 屏幕正常运行率');
  await expect(missing).toContainText('受益群众满意度');
  await dept.getByTestId('phase-self_evaluation').getByRole('button', { name: '提交' }).click();
  await expect(dept.getByTestId('workflow-error')).toContainText('须填写偏差原因分析及改进措施');
  for (const name of ['LED 屏幕正常运行率', '受益群众满意度']) {
    const row = table.locator(`tr[data-indicator="${name}"]`);
    await row.getByLabel('偏差原因分析及改进措施').fill('部分设备老化；下年度纳入更新计划');
    await saveRow(row);
  }
  await expect(missing).toHaveCount(0);
  await openDemo(dept);
  await act(dept, 'self_evaluation', '提交', '已提交');

  // A comment for the finance bureau.
  const comments = dept.locator('#comments');
  await comments.getByRole('combobox').selectOption({ label: '维护网站数量' });
  await comments.getByLabel('意见').fill('网站维护合同及验收单已上传');
  await comments.getByRole('button', { name: '发表意见' }).click();
  await expect(comments.getByTestId('comments')).toContainText('网站维护合同及验收单已上传');

  // 财政复核: finance re-scores one indicator with a reason; the total follows; then 评定.
  const financeErrors = collectErrors(finance);
  await openDemo(finance);
  await expect(finance.getByTestId('comments')).toContainText('网站维护合同及验收单已上传');
  await act(finance, 'self_evaluation', '开始复核', '财政复核中');
  await expect(finance.locator('#evaluation')).toHaveAttribute('data-hydrated', 'true');
  const frow = finance.getByTestId('evaluation').locator('tr[data-indicator="维护网站数量"]');
  await frow.getByLabel('复核得分').fill('1.5');
  await frow.getByLabel('复核理由').fill('验收单缺少签章');
  await frow.getByRole('button', { name: '复核', exact: true }).click();
  // Its 分值 3 counts as 3.10 after the not-applicable indicator's points are shared out
  // (90 ÷ 87), so the self-evaluated 3.10 becomes 1.50: 97.68 − 1.60 = 96.08.
  await expect(finance.getByTestId('total-score')).toHaveText('96.08');
  await expect(frow).toContainText('自评 3.10，财政复核 1.50');
  await act(finance, 'self_evaluation', '评定', '已评定');
  await finance.screenshot({ path: 'test-results/year-cycle-finance.png', fullPage: true });

  await finance.goto('/');
  const listed = finance.getByTestId('project-list').locator('tr', { hasText: '政府网站维护费及业务经费' });
  await expect(listed.getByTestId('list-score')).toHaveText('96.08（优）');
  expect(deptErrors).toEqual([]);
  expect(financeErrors).toEqual([]);
});
