/** The OrderWorkflow's query and update, shared by the workflow, the starter and tests. */

import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CancelOrderRequest, OrderStatus } from '../domain/status';

export const getStatusQuery = defineQuery<OrderStatus>('getStatus');
export const cancelOrderUpdate = defineUpdate<OrderStatus, [CancelOrderRequest]>('cancelOrder');
