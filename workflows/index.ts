/** The workflow bundle's entry point: every workflow a ShopFlow worker runs is exported here. */
export { OrderWorkflow } from './order-workflow';
