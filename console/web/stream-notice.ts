/**
 * What the page says when its live feed is missing: no first event a few seconds after loading (the console
 * stopped, or something between blocks the stream), and again when a live feed drops for as long.
 */

import { CONSOLE_FIRST_EVENT_TIMEOUT_MS } from '../../config/console';
import { byId } from './dom';

export class StreamNotice {
  private timer?: number;

  /** Starts the countdown: called when the page opens the stream, and again when it drops. */
  waiting(): void {
    if (this.timer !== undefined) return;
    this.timer = window.setTimeout(() => this.show(), CONSOLE_FIRST_EVENT_TIMEOUT_MS);
  }

  /** An event arrived: the feed works. */
  received(): void {
    window.clearTimeout(this.timer);
    this.timer = undefined;
    byId('stream-notice').hidden = true;
  }

  private show(): void {
    const seconds = Math.round(CONSOLE_FIRST_EVENT_TIMEOUT_MS / 1000);
    const notice = byId('stream-notice');
    notice.textContent =
      `No live data from the console for ${seconds} s. This page needs the console process that served it ` +
      `(npm run demo or npm run console) running at ${location.host}: look at its terminal, start it again if it ` +
      'stopped, and reload. The page keeps trying by itself meanwhile.';
    notice.hidden = false;
  }
}
