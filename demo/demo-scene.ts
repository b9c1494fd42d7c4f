/** What the demo's acts share once act 1 has set the stage: the services, the local worker, the client, the ledger. */

import type { Client } from '@temporalio/client';
import type { RunningConsole } from '../console/start-console';
import type { RunLedger } from '../machinery/devstack/run-ledger';
import type { ServerlessStack } from '../machinery/devstack/serverless-stack';
import type { Stage } from '../machinery/devstack/stage';
import type { DemoArgs } from './demo-args';
import type { DemoWorker } from './demo-worker';
import type { Narrator } from './narrator';
import type { Wave } from './order-wave';

export interface DemoScene {
  args: DemoArgs;
  stage: Stage;
  narrator: Narrator;
  /** When the demo started (ms): the metrics window opens here. */
  startedAt: number;
  /** data/demo, emptied at the start of every demo. */
  demoDir: string;
  ledger: RunLedger;
  stack: ServerlessStack;
  presenter: RunningConsole;
  worker: DemoWorker;
  client: Client;
  /** Submits one wave of the demo's orders, each followed and narrated. */
  wave(label: string): Promise<Wave>;
}
