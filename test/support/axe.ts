// axe-core's WCAG 2.1 A/AA rules on the page Chromium shows: one line per violation, with
// the page, the rule, its impact and the first elements it names.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation { id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }

export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, so the page's CSP (script-src 'self') does not apply to axe itself.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(() => (window as unknown as { axe: { run(o: unknown): Promise<{ violations: AxeViolation[] }> } })
    .axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then((r) => r.violations));
  return violations.map((v) => `${page.url()} ${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}
