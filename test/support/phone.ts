// A phone's screen (390 × 844) in Chromium: does the page scroll sideways, and if so which
// element pushes it; and a screenshot of it, kept under a temp folder (never committed) to look at.
import { mkdtempSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';

export const PHONE = { width: 390, height: 844 };

/**
 * Null when the page fits the window's width; else what is wrong, with the element that reaches
 * furthest right (outside any box that scrolls or clips on its own), e.g.
 * `/admin/rules is 512 px wide at 390 px: widest table.list.rules (512 px, right edge 524 px) "Order Name Trigger…"`.
 */
export async function horizontalOverflow(page: Page): Promise<string | null> {
  // No named functions inside: tsx would wrap them in a helper (__name) the page does not have.
  const found = await page.evaluate(() => {
    const root = document.documentElement;
    if (root.scrollWidth <= window.innerWidth) return null;
    let widest: { el: Element; right: number; width: number } | null = null;
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      const box = el.getBoundingClientRect();
      if (box.right <= window.innerWidth + 0.5 || box.width === 0) continue;
      let clipped = false; // inside a box that scrolls or clips on its own: it does not widen the page
      for (let up = el.parentElement; up && up !== document.body && !clipped; up = up.parentElement) clipped = getComputedStyle(up).overflowX !== 'visible';
      if (clipped) continue;
      // The furthest right edge wins; between equal edges the innermost (it is the one that pushes).
      if (!widest || box.right > widest.right + 0.5 || (Math.abs(box.right - widest.right) <= 0.5 && widest.el.contains(el))) {
        widest = { el, right: box.right, width: box.width };
      }
    }
    if (!widest) return { width: root.scrollWidth, inner: window.innerWidth, widest: 'no single element' };
    const el = widest.el;
    const around = el.parentElement?.closest('table, form, section, nav, header, main > *');
    const name = [el, around].filter((e): e is Element => !!e)
      .map((e) => e.tagName.toLowerCase() + (e.id ? `#${e.id}` : '') + Array.from(e.classList).map((c) => `.${c}`).join('')).join(' in ');
    const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 60);
    return { width: root.scrollWidth, inner: window.innerWidth, widest: `${name} (${Math.round(widest.width)} px, right edge ${Math.round(widest.right)} px) "${text}"` };
  });
  if (!found) return null;
  return `${new URL(page.url()).pathname}${new URL(page.url()).search} is ${found.width} px wide at ${found.inner} px: widest ${found.widest}`;
}

let folder: string | undefined;
let taken = 0;

/** The folder the screenshots go to: $SPORTELLO_SCREENSHOTS, else a new temp folder (one per run). */
export function screenshotFolder(): string {
  if (!folder) {
    folder = process.env.SPORTELLO_SCREENSHOTS || mkdtempSync(path.join(os.tmpdir(), 'sportello-phone-'));
    mkdirSync(folder, { recursive: true });
  }
  return folder;
}

/** Saves the whole page as `<prefix>-<nnn>-<host and path with dashes>.png` in the screenshot folder (numbered in the order taken); returns the file. */
export async function screenshot(page: Page, prefix: string): Promise<string> {
  const url = new URL(page.url());
  const slug = `${url.hostname.split('.')[0]}${url.pathname}${url.search}`.replace(/[^a-z0-9]+/gi, '-').replace(/-+$/, '').slice(0, 120);
  const file = path.join(screenshotFolder(), `${prefix}-${String(++taken).padStart(3, '0')}-${slug}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
