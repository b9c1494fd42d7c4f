/**
 * The demo's acts, in order: the stage (stage-act.ts), orders on the local worker and its death, with the Lambda
 * finishing the work (failover-act.ts), scale to zero and the summary (scale-to-zero-act.ts), and, with
 * `--redeploy`, shipping the next build live (redeploy-act.ts). Exit code 0 when nothing went wrong (verdict.ts).
 */

import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { Stage } from '../machinery/devstack/stage';
import type { DemoArgs } from './demo-args';
import { LAMBDA_FUNCTION_NAME } from '../config/settings';
import { failoverActs } from './failover-act';
import { Narrator } from './narrator';
import { redeployAct } from './redeploy-act';
import { scaleToZeroAct } from './scale-to-zero-act';
import { stageAct } from './stage-act';

export async function runDemo(
  args: DemoArgs,
  stage: Stage,
  narrator = new Narrator(args.interactive),
): Promise<number> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const scene = await stageAct(args, stage, narrator);
  const failover = await failoverActs(scene);
  const problems = await scaleToZeroAct(scene, failover);
  if (args.redeploy) {
    const { stack } = scene;
    problems.push(
      ...(await redeployAct({
        client: scene.client,
        stage,
        narrator,
        demoDir: scene.demoDir,
        functionName: LAMBDA_FUNCTION_NAME,
        lambdaEndpoint: stack.lambda.endpoint,
        serverAddress: stack.server.address,
        redeploys: scene.presenter.redeploys,
        uiUrl: stack.server.uiUrl!,
        version: stack.version,
        orders: args.orders,
        busyEnvironments: () => stack.busyEnvironments(),
      })),
    );
  }
  for (const problem of problems) console.log(`DEMO PROBLEM: ${problem}`);
  return problems.length === 0 ? 0 : 1;
}
