/**
 * The console as a projector shows it: one page per screen size in the presenter view, and the audit of what each
 * shows (test/support/projector-audit.browser.js, run inside the page).
 */

import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';

export const PROJECTOR_SIZES = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
] as const;

export interface ProjectorAudit {
  viewport: { width: number; height: number };
  panels: {
    name: string;
    shown: boolean;
    inViewport: boolean;
    overflowsSideways: boolean;
    /** Its content is taller than its box (it scrolls inside). */
    scrollsInside: boolean;
    /** The first (newest) row or log line wholly inside the panel; undefined when it has none. */
    firstItemInside?: boolean;
  }[];
  overflows: { text: string; where: string; clip: string }[];
  minFont: { px: number; text?: string; where?: string };
  lowContrast: { ratio: number; text: string; where: string }[];
  pageScrolls: boolean;
}

const AUDIT = fs.readFileSync(path.join(__dirname, 'projector-audit.browser.js'), 'utf8');

export interface Projector {
  size: (typeof PROJECTOR_SIZES)[number];
  page: Page;
  label: string;
}

export async function openProjectors(browser: Browser, url: string): Promise<Projector[]> {
  return Promise.all(
    PROJECTOR_SIZES.map(async (size) => {
      const page = await browser.newPage({ viewport: size });
      await page.goto(url);
      await page.locator('body[data-live="yes"][data-view="presenter"]').waitFor();
      return { size, page, label: `${size.width}x${size.height}` };
    }),
  );
}

export async function auditProjector(page: Page, panels: string[]): Promise<ProjectorAudit> {
  return (await page.evaluate(
    `(() => { ${AUDIT}; return projectorAudit(${JSON.stringify(panels)}); })()`,
  )) as ProjectorAudit;
}

/** Waits until the page has laid out the act's panels (the act arrives by the live feed). */
export async function waitForAct(page: Page, act: number): Promise<void> {
  await page.locator(`body[data-act="${act}"]`).waitFor();
  await page.waitForTimeout(300); // a frame for the board's redraw and the chart's resize
}
