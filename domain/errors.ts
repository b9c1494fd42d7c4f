/** Failure types that cross the activity/workflow boundary as `ApplicationFailure.type`. */

export const InvalidOrder = 'InvalidOrder';
export const OutOfStock = 'OutOfStock';
export const PaymentDeclined = 'PaymentDeclined';
export const InvalidAddress = 'InvalidAddress';
export const OrderCancelled = 'OrderCancelled';
/** A retryable fault of a simulated service (outage, timeout). */
export const ServiceUnavailable = 'ServiceUnavailable';
/** The confirmation could not be delivered: recorded on the order, which still completes. */
export const NotificationFailed = 'NotificationFailed';
/** A forward effect arrived after its undo had run (a zombie attempt): refused, never applied. */
export const EffectVoided = 'EffectVoided';
/** An order failed for a reason that carried no type of its own. */
export const OrderFailed = 'OrderFailed';

/** Business failures: retrying cannot help, so the saga compensates at once. */
export const BUSINESS_FAILURE_TYPES = [OutOfStock, PaymentDeclined, InvalidAddress] as const;
export type BusinessFailureType = (typeof BUSINESS_FAILURE_TYPES)[number];
