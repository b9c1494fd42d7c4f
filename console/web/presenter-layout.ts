/**
 * Which panels the projector shows for each act of the demo, and where: the act banner's number (set by the demo's
 * narrator) picks the layout, the panel bar lets the presenter open or close any panel, and `?view=full` shows
 * every panel at once, as a scrolling page. The one place the per-act layout is defined.
 */

import { byId, el } from './dom';

export const PANELS = {
  orders: 'Orders',
  timeline: 'Timeline',
  workers: 'Workers',
  chart: 'Lambda chart',
  workload: 'Your workload',
  cost: 'This run',
  versions: 'Versions',
  log: 'Event log',
} as const;
export type PanelName = keyof typeof PANELS;

interface Layout {
  /** CSS grid-template-areas rows; each name is a panel. */
  areas: string[];
  rows: string;
  columns: string;
}

/** No act (npm run console on its own): the board, the workers and the chart. */
const OVERVIEW: Layout = { areas: ['orders orders', 'workers chart'], rows: '1fr 1fr', columns: '1fr 1fr' };

/** By the demo's act number (demo/run-demo.ts tells them in this order). */
export const ACT_LAYOUTS: Record<number, Layout> = {
  // 1. the stage: the local worker running, no Lambda environment yet; v2 registered; the log of the start.
  1: { areas: ['workers versions', 'log log'], rows: '1fr 1fr', columns: '1fr 1fr' },
  // 2. orders on the local worker: the board, every step tagged with its worker.
  2: { areas: ['orders'], rows: '1fr', columns: '1fr' },
  // 3. the local worker dies: the timeline (the kill, the step moving from the laptop's lane to a Lambda's, the
  //    invocation's cold start and idle tail) over the board.
  3: { areas: ['timeline', 'orders'], rows: '2fr 3fr', columns: '1fr' },
  // 4. scale to zero: the chart falling to zero beside the answer for the audience's own workload, large.
  4: { areas: ['chart workload'], rows: '1fr', columns: '2fr 3fr' },
  // 5. ship v3 live: the version table over the board (v3 orders' Notify cells carry the tracking link).
  5: { areas: ['versions', 'orders'], rows: 'auto 1fr', columns: '1fr' },
};

function layoutFor(act: number | undefined): Layout {
  return (act !== undefined && ACT_LAYOUTS[act]) || OVERVIEW;
}

function panelsOf(layout: Layout): Set<PanelName> {
  return new Set(layout.areas.flatMap((row) => row.split(/\s+/)) as PanelName[]);
}

function panel(name: PanelName): HTMLElement {
  const node = document.querySelector<HTMLElement>(`[data-panel="${name}"]`);
  if (!node) throw new Error(`the page has no panel ${name}`);
  return node;
}

export class PresenterLayout {
  readonly full = new URLSearchParams(location.search).get('view') === 'full';
  private act?: number;
  /** The presenter's own choice for this act, once a panel button was pressed; reset when the act changes. */
  private chosen?: Set<PanelName>;

  setUp(): void {
    document.body.dataset.view = this.full ? 'full' : 'presenter';
    const link = byId<HTMLAnchorElement>('view-switch');
    link.href = this.full ? location.pathname : '?view=full';
    link.textContent = this.full ? 'presenter view' : 'everything at once';
    byId<HTMLDetailsElement>('controls').open = this.full;
    byId('panel-bar').replaceChildren(
      ...(Object.keys(PANELS) as PanelName[]).map((name) => {
        const button = el('button', { type: 'button', 'data-toggle-panel': name }, PANELS[name]);
        button.addEventListener('click', () => this.toggle(name));
        return button;
      }),
    );
    this.apply();
  }

  setAct(act: number | undefined): void {
    if (act === this.act) return;
    this.act = act;
    this.chosen = undefined;
    this.apply();
  }

  private toggle(name: PanelName): void {
    const shown = new Set(this.chosen ?? panelsOf(layoutFor(this.act)));
    if (shown.has(name)) shown.delete(name);
    else shown.add(name);
    this.chosen = shown;
    this.apply();
  }

  private apply(): void {
    const main = byId('panels');
    document.body.dataset.act = this.act === undefined ? 'none' : String(this.act);
    if (this.full) return;
    const layout = layoutFor(this.act);
    const planned = panelsOf(layout);
    const shown = this.chosen ?? planned;
    const asPlanned = shown.size === planned.size && [...shown].every((name) => planned.has(name));
    // The act's own arrangement; any other choice shares the screen in equal tiles.
    main.style.gridTemplateAreas = asPlanned ? layout.areas.map((row) => `"${row}"`).join(' ') : '';
    main.style.gridTemplateRows = asPlanned ? layout.rows : '';
    main.style.gridTemplateColumns = asPlanned ? layout.columns : '';
    main.dataset.layout = asPlanned ? 'act' : 'tiles';
    for (const name of Object.keys(PANELS) as PanelName[]) {
      const node = panel(name);
      node.hidden = !shown.has(name);
      node.style.gridArea = asPlanned ? name : '';
      document.querySelector(`[data-toggle-panel="${name}"]`)?.setAttribute('aria-pressed', String(shown.has(name)));
    }
  }
}
