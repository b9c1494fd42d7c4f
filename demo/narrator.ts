/** How the demo talks: act headers, narration, and (with --interactive) a pause before each act. */

import readline from 'node:readline/promises';

export class Narrator {
  private act = 0;
  constructor(
    private readonly interactive: boolean,
    private readonly out: (line: string) => void = console.log,
  ) {}

  async beginAct(title: string, explanation: string): Promise<void> {
    this.act++;
    this.out(`\n━━ Act ${this.act}: ${title} ━━`);
    this.out(explanation);
    if (this.interactive) {
      const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
      await rl.question('   (press Enter to continue) ');
      rl.close();
    }
  }

  say(line: string): void {
    this.out(`   ${line}`);
  }

  step(line: string): void {
    this.out(`   → ${line}`);
  }
}
