/**
 * The presenter console for the demo: the same page as `npm run console`, pointed at the demo's own dev server and
 * local Lambda service, following the story (the act under way, "Next act" while it waits) and managing the demo's
 * local worker, so the page shows it and its kill and start buttons work on it.
 */

import { CONSOLE_DEFAULT_PORT } from '../config/console';
import { loadConnectionConfig } from '../config/connection';
import { startConsole, type RunningConsole } from '../console/start-console';
import { localTemporalEnvironment } from '../machinery/devstack/local-worker-process';
import { preferredPort } from '../machinery/devstack/serverless-stack';
import type { Narrator } from './narrator';
import type { Stage } from '../machinery/devstack/stage';

export interface DemoConsoleSettings {
  address: string;
  lambdaEndpoint: string;
  functionName: string;
  webUi?: string;
  /** The local worker's environment besides Temporal's address: the journal or ledger it shares with the Lambda. */
  workerEnv: NodeJS.ProcessEnv;
  onWorkerLine: (line: string) => void;
}

export async function startDemoConsole(
  stage: Stage,
  narrator: Narrator,
  settings: DemoConsoleSettings,
): Promise<RunningConsole> {
  const temporal = loadConnectionConfig({ ...process.env, ...localTemporalEnvironment(settings.address) });
  const running = await startConsole({
    mode: 'local',
    port: await preferredPort(CONSOLE_DEFAULT_PORT),
    temporal,
    awsEndpoint: settings.lambdaEndpoint,
    functionName: settings.functionName,
    webUi: settings.webUi,
    workerEnv: settings.workerEnv,
    onWorkerLine: settings.onWorkerLine,
    onNextAct: () => narrator.nextAct(),
  });
  stage.own('presenter console', () => running.close());
  narrator.follow((act) => running.setAct(act));
  return running;
}
