/**
 * The throughput baseline: four activities that do nothing, in sequence, with no saga, no status tracking and no
 * journal. Whatever ShopFlow's OrderWorkflow costs beyond this is the price of its features.
 */

import { proxyActivities } from '@temporalio/workflow';
/** What ./activities implements; declared here because workflow code imports no activity module, not even for types. */
export interface BaselineActivities {
  step1(orderId: string): Promise<string>;
  step2(orderId: string): Promise<string>;
  step3(orderId: string): Promise<string>;
  step4(orderId: string): Promise<string>;
}

const { step1, step2, step3, step4 } = proxyActivities<BaselineActivities>({ startToCloseTimeout: '15s' });

export async function BaselineWorkflow(orderId: string): Promise<string> {
  await step1(orderId);
  await step2(orderId);
  await step3(orderId);
  await step4(orderId);
  return orderId;
}
