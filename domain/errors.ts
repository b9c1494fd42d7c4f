/** Failure types that cross the activity/workflow boundary as `ApplicationFailure.type`. */

export const InvalidOrder = 'InvalidOrder';
export const OutOfStock = 'OutOfStock';
export const PaymentDeclined = 'PaymentDeclined';
export const InvalidAddress = 'InvalidAddress';
export const OrderCancelled = 'OrderCancelled';
/** A retryable fault of a simulated service (outage, timeout). */
export const ServiceUnavailable = 'ServiceUnavailable';

/** Business failures: retrying cannot help, so the saga compensates at once. */
export const BUSINESS_FAILURE_TYPES = [OutOfStock, PaymentDeclined, InvalidAddress] as const;
export type BusinessFailureType = (typeof BUSINESS_FAILURE_TYPES)[number];
