import { test, expect, Page } from '@playwright/test';
import { signIn, DEPT, FINANCE, ADMIN, collectErrors } from './helpers';

// A 768-wide tablet (and so any laptop): no page scrolls sideways — a wide table scrolls inside
// its card — and every page is usable from the keyboard. Screenshots in test-results/.

test.use({ viewport: { width: 768, height: 1024 } });

async function fitsTheWidth(page: Page, name: string) {
  const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  expect(scroll, `${name}: page width ${scroll} on a ${width}-wide screen`).toBeLessThanOrEqual(width);
  await page.screenshot({ path: `test-results/tablet-${name}.png`, fullPage: true });
}

test('on a 768-wide tablet every page fits the width', async ({ browser }) => {
  const journeys: [typeof DEPT, string[]][] = [
    [FINANCE, ['/', '/overview', '/todo', '/projects/1']],
    [DEPT, ['/', '/projects/1', '/imports', '/projects/new', '/todo']],
    [ADMIN, ['/admin']],
  ];
  for (const [user, paths] of journeys) {
    const page = await (await browser.newContext({ viewport: { width: 768, height: 1024 } })).newPage();
    const errors = collectErrors(page);
    await signIn(page, user.username, user.password);
    for (const path of paths) {
      await page.goto(path);
      await expect(page.locator('#app')).toHaveAttribute('data-hydrated', 'true');
      await fitsTheWidth(page, `${user.username}${path.replaceAll('/', '-')}`);
    }
    expect(errors).toEqual([]);
  }
});

test('signing in and opening a project with the keyboard alone', async ({ page }) => {
  await page.goto('/login');
  await expect(page.locator('#app')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('用户名').focus();
  await page.keyboard.type(DEPT.username);
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('密码')).toBeFocused();
  await page.keyboard.type(DEPT.password);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('current-user')).toBeVisible();
  // Tab moves to the links and buttons with a visible focus ring; Enter follows a link.
  await page.keyboard.press('Tab');
  const ring = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return el && el !== document.body ? getComputedStyle(el).outlineStyle : 'nothing focused';
  });
  expect(ring).toBe('solid');
  await page.getByRole('link', { name: '政府网站维护费及业务经费' }).first().focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/projects\/1$/);
});
