/**
 * How the demo talks: act headers, narration, and (with --interactive) a pause before each act, which Enter in the
 * terminal or any other caller of `nextAct()` (the presenter console's "Next act" button) ends.
 */

import readline from 'node:readline';

export class Narrator {
  private act = 0;
  private pausedAt?: number;
  private resume?: () => void;

  constructor(
    private readonly interactive: boolean,
    private readonly out: (line: string) => void = console.log,
    private readonly input: NodeJS.ReadableStream = process.stdin,
  ) {}

  async beginAct(title: string, explanation: string): Promise<void> {
    this.act++;
    this.out(`\n━━ Act ${this.act}: ${title} ━━`);
    this.out(explanation);
    if (this.interactive) await this.pause();
  }

  /** Ends the pause before the current act, if there is one; returns whether there was. */
  nextAct(): boolean {
    const resume = this.resume;
    resume?.();
    return Boolean(resume);
  }

  /** How long the presenter has paused at the current act so far, in ms (0 when not paused). */
  pausedForMs(): number {
    return this.pausedAt === undefined ? 0 : Date.now() - this.pausedAt;
  }

  say(line: string): void {
    this.out(`   ${line}`);
  }

  step(line: string): void {
    this.out(`   → ${line}`);
  }

  private async pause(): Promise<void> {
    this.out('   (press Enter to continue)');
    this.pausedAt = Date.now();
    const lines = readline.createInterface({ input: this.input, terminal: false });
    await new Promise<void>((resolve) => {
      this.resume = resolve;
      lines.once('line', () => resolve());
      lines.once('close', () => resolve()); // stdin closed (piped input ran out): carry on rather than hang
    });
    lines.close();
    this.resume = undefined;
    this.pausedAt = undefined;
  }
}
