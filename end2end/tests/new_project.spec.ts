import { test, expect, Page } from '@playwright/test';
import { signIn, ADMIN, collectErrors } from './helpers';

// A new department starts its first project from scratch: the administrator adds the department
// and its account; its user creates the project (header and funds on /projects/new), builds the
// indicator tree from the 指标库 (and one typed in full), each 指标值 read as it is typed, the
// 分值 checked live against the year's profile; reorders, prunes, and submits it.
test('creating a project from the indicator library, declaring it and submitting', async ({ browser }) => {
  const n = Date.now() % 100000;
  const admin = await (await browser.newContext()).newPage();
  const adminErrors = collectErrors(admin);
  await signIn(admin, ADMIN.username, ADMIN.password);
  await admin.goto('/admin');
  await expect(admin.locator('.admin')).toHaveAttribute('data-hydrated', 'true');
  const department = `县网信办${n}`;
  await admin.getByLabel('部门名称').fill(department);
  await admin.getByRole('button', { name: '新增部门' }).click();
  await expect(admin.locator('#departments')).toContainText(department);
  const username = `wangxin${n}`;
  await admin.getByLabel('用户名').fill(username);
  await admin.getByLabel('姓名').fill('网信办填报员');
  await admin.getByLabel('初始密码').fill('wangxin-pass-2021');
  await admin.getByLabel('角色').selectOption({ label: '部门填报人员' });
  await admin.getByLabel('所属部门').selectOption({ label: department });
  await admin.getByRole('button', { name: '新增账号' }).click();
  await expect(admin.locator('#accounts')).toContainText(username);
  // The 指标库 is on the same page, seeded from the real tables.
  await expect(admin.getByTestId('library-table')).toContainText('维护网站数量');
  expect(adminErrors).toEqual([]);

  const page = await (await browser.newContext()).newPage();
  const errors = collectErrors(page);
  await signIn(page, username, 'wangxin-pass-2021');
  // No project yet: the empty list offers 新建项目.
  await page.getByRole('link', { name: '新建项目' }).click();
  await expect(page).toHaveURL(/\/projects\/new$/);
  const form = page.getByTestId('new-project');
  await expect(form).toHaveAttribute('data-hydrated', 'true');
  const name = `门户网站安全测评${Date.now() % 100000}`;
  // A wrong number is named at its field and nothing is created.
  await form.getByLabel('财政拨款').fill('五万');
  await expect(page.getByTestId('header-funds-total')).toContainText('财政拨款');
  await form.getByLabel('项目名称').fill(name);
  await form.getByRole('button', { name: '创建项目并填报指标' }).click();
  await expect(form.locator('.field-error')).toContainText('财政拨款');
  await expect(page).toHaveURL(/\/projects\/new$/);
  await form.getByLabel('财政拨款').fill('5');
  await form.getByLabel('其他资金').fill('1.5');
  await expect(page.getByTestId('header-funds-total')).toHaveText('6.50');
  await form.getByLabel('项目总体目标').fill('保障门户网站安全稳定运行');
  await form.getByLabel('年度目标').fill('目标1：完成网站安全测评\n目标2：及时公开政务信息');
  // The 指标库's first load fails (the network drops it): the editor says so and offers 重试.
  await page.route('**/api/indicator_library*', (route) => route.abort('failed'), { times: 1 });
  await form.getByRole('button', { name: '创建项目并填报指标' }).click();
  await expect(page).toHaveURL(/\/projects\/\d+/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await expect(page.getByTestId('funds-total')).toHaveText('6.50');
  await expect(page.locator('#app')).toHaveAttribute('data-hydrated', 'true');
  const editor = page.locator('#declaration');
  await expect(editor.getByTestId('no-indicators')).toBeVisible();

  const add = editor.getByTestId('add-indicator');
  const picks = add.getByTestId('library-picks');
  await expect(picks.getByTestId('library-error')).toContainText('指标库加载失败');
  await expect(picks).not.toContainText('暂无匹配');
  await picks.getByRole('button', { name: '重试' }).click();
  await expect(picks.getByRole('button', { name: '维护网站数量', exact: true })).toBeVisible();
  async function fromLibrary(level1: string, level2: string, entry: string, weight: string) {
    await add.getByLabel('一级指标').selectOption(level1);
    await add.getByLabel('二级指标').selectOption(level2);
    await picks.getByRole('button', { name: entry, exact: true }).click();
    await expect(add.getByLabel('三级指标')).toHaveValue(entry);
    await add.getByLabel('新指标的分值').fill(weight);
    await add.getByRole('button', { name: '添加指标' }).click();
    await expect(editor.locator(`tr[data-indicator="${entry}"]`)).toBeVisible();
  }
  await fromLibrary('产出指标', '数量指标', '维护网站数量', '25');
  await expect(editor.locator('tr[data-indicator="维护网站数量"] input[aria-label="指标值"]')).toHaveValue('1个');
  await fromLibrary('产出指标', '数量指标', '维护网络平台数量', '25');
  await fromLibrary('满意度指标', '服务对象满意度指标', '受益群众满意度', '10');
  // Not yet right: 效益指标 has no points yet. The check says so as the page stands.
  await expect(editor.getByTestId('weight-check')).toContainText('不等于 100');

  // One typed in full, its 指标值 read as typed: a placeholder is refused, a rate is read.
  await add.getByLabel('一级指标').selectOption('效益指标');
  await add.getByLabel('二级指标').selectOption('社会效益指标');
  await add.getByLabel('三级指标').fill('政务信息公开及时率');
  await add.getByLabel('新指标的指标值').fill('≥**%');
  await expect(add.getByTestId('reading')).toContainText('占位符');
  await add.getByLabel('新指标的指标值').fill('≥98%');
  await expect(add.getByTestId('reading')).toHaveText('数值：≥ 98%');
  await add.getByLabel('新指标的分值').fill('30');
  await add.getByRole('button', { name: '添加指标' }).click();
  await expect(editor.locator('tr[data-indicator="政务信息公开及时率"]')).toBeVisible();
  await expect(editor.getByTestId('weight-check')).toContainText('分值设置符合评分方案');

  // A duplicate is refused at its field; a stray one is removed again.
  await fromLibrary('产出指标', '质量指标', '网站正常运行率', '0');
  await add.getByLabel('一级指标').selectOption('产出指标');
  await add.getByLabel('二级指标').selectOption('数量指标');
  await add.getByLabel('三级指标').fill('维护网站数量');
  await add.getByLabel('新指标的指标值').fill('1个');
  await add.getByRole('button', { name: '添加指标' }).click();
  await expect(add.locator('.field-error')).toContainText('已存在');
  // Filed under another 二级, it joins that group.
  const level = editor.getByLabel('“网站正常运行率”所属的二级指标');
  await level.selectOption('效益指标/社会效益指标');
  await expect(editor.locator('tr[data-indicator="政务信息公开及时率"] + tr')).toHaveAttribute(
    'data-indicator',
    '网站正常运行率',
  );
  await expect(level).toHaveValue('效益指标/社会效益指标');
  await editor.getByRole('button', { name: '删除“网站正常运行率”' }).click();
  await expect(editor.locator('tr[data-indicator="网站正常运行率"]')).toHaveCount(0);

  // Reordering within 数量指标.
  const rows = editor.locator('tbody tr');
  await expect(rows.first()).toHaveAttribute('data-indicator', '维护网站数量');
  await editor.getByRole('button', { name: '上移“维护网络平台数量”' }).click();
  await expect(rows.first()).toHaveAttribute('data-indicator', '维护网络平台数量');
  await expect(page.locator('table.indicators')).toContainText('政务信息公开及时率');
  await page.screenshot({ path: 'test-results/new-project-declared.png', fullPage: true });

  await submitDeclaration(page);
  await expect(page.locator('#declaration')).toHaveCount(0);
  expect(errors).toEqual([]);
});

async function submitDeclaration(page: Page) {
  const declaration = page.getByTestId('phase-declaration');
  await expect(declaration.getByTestId('status')).toHaveText('草稿');
  await declaration.getByRole('button', { name: '提交' }).click();
  await expect(declaration.getByTestId('status')).toHaveText('已提交');
}
