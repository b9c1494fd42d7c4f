/**
 * The customer notification's text. Builds carrying the `tracking-link` release feature (the demo's v3) add a link
 * to follow the parcel: the change the audience sees when v3 ships next to v2.
 */

import { hasReleaseFeature } from '../../config/release-features';
import { orderTotalCents, type Order } from '../../domain/order';

const TRACKING_PAGE = 'https://shopflow.example/track';
/** How the tracking-link line begins: the demo looks for it to tell v3's notifications from v2's. */
export const TRACKING_LINE = 'Track it:';

export function notificationMessage(order: Order): string {
  const items = order.items.reduce((sum, item) => sum + item.quantity, 0);
  const total = (orderTotalCents(order) / 100).toFixed(2);
  const message = `Order ${order.orderId} confirmed: ${items} item(s), $${total}.`;
  return hasReleaseFeature('tracking-link') ? `${message} ${TRACKING_LINE} ${TRACKING_PAGE}/${order.orderId}` : message;
}
