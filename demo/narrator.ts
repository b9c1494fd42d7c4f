/**
 * How the demo talks: act headers, narration, and (with --interactive) a pause before each act, which Enter in the
 * terminal or any other caller of `nextAct()` (the presenter console's "Next act" button) ends.
 */

import readline from 'node:readline';

/** The act under way, as the presenter console shows it. */
export interface ActState {
  number: number;
  title: string;
  description: string;
  /** True while the story waits for Enter or "Next act". */
  waitingForNext: boolean;
}

export class Narrator {
  private act = 0;
  private current?: ActState;
  private resume?: () => void;
  private listener?: (act: ActState) => void;

  constructor(
    private readonly interactive: boolean,
    private readonly out: (line: string) => void = console.log,
    private readonly input: NodeJS.ReadableStream = process.stdin,
  ) {}

  async beginAct(title: string, explanation: string): Promise<void> {
    this.act++;
    this.out(`\n━━ Act ${this.act}: ${title} ━━`);
    this.out(explanation);
    this.show({ number: this.act, title, description: explanation, waitingForNext: this.interactive });
    if (!this.interactive) return;
    await this.pause();
    this.show({ ...this.current!, waitingForNext: false });
  }

  /** Tells `listener` the act under way now and at every change (the presenter console's story line). */
  follow(listener: (act: ActState) => void): void {
    this.listener = listener;
    if (this.current) listener(this.current);
  }

  /** Ends the pause before the current act, if there is one; returns whether there was. */
  nextAct(): boolean {
    const resume = this.resume;
    resume?.();
    return Boolean(resume);
  }

  say(line: string): void {
    this.out(`   ${line}`);
  }

  step(line: string): void {
    this.out(`   → ${line}`);
  }

  private show(act: ActState): void {
    this.current = act;
    this.listener?.(act);
  }

  private async pause(): Promise<void> {
    this.out('   (press Enter to continue)');
    const lines = readline.createInterface({ input: this.input, terminal: false });
    await new Promise<void>((resolve) => {
      this.resume = resolve;
      lines.once('line', () => resolve());
      lines.once('close', () => resolve()); // stdin closed (piped input ran out): carry on rather than hang
    });
    lines.close();
    this.resume = undefined;
  }
}
