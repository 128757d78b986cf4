/**
 * What staff read when the platform (or our own check of its rules) refuses a shipment: one table,
 * keyed by WeChat's errcode (shared notes shipping.md), so the check, the platform's answer and the
 * console say the same thing.
 */
export const SHIPPING_MESSAGES: Record<number, string> = {
  10060001: 'WeChat has not indexed this payment yet (it can take about a minute after payment). The shipment is kept and sent again automatically.',
  10060002: 'This order is already recorded as shipped.',
  10060003: 'This order was already re-shipped once; WeChat allows only one correction of the shipping information.',
  10060004: 'This order cannot be shipped in its current state (not paid, refunded, or already confirmed by the customer).',
  10060005: 'The logistics type does not fit this order.',
  10060006: 'Only express deliveries can be split into several parcels.',
  10060007: 'A split delivery must say whether all goods have now been shipped (allDelivered).',
  10060008: 'The item description is empty.',
  10060009: 'The item description is longer than 120 characters.',
  10060014: 'A shipping field is invalid; check the tracking numbers and contact.',
  10060023: 'The shipping information is unchanged.',
  10060024: 'WeChat accepts 1 to 15 parcels per order.',
  10060025: 'The express company code is too long (at most 128 bytes).',
  10060026: 'A tracking number is too long (at most 128 bytes).',
  10060028: 'The order is not in the shipped state, so the customer cannot be reminded yet.',
  10060030: 'The customer was already reminded to confirm receipt for this order (only once per order).',
  10060031: 'The payer does not match this order.',
  10060032: 'Only express deliveries can be reminded to confirm receipt.',
  268485226: 'Every parcel needs a tracking number for express delivery.',
  268485227: 'Every parcel needs an express company code (from get_delivery_list, e.g. SF, ZTO, YTO).',
  268485228: 'A unified delivery has exactly one parcel; send several parcels as a split delivery.',
  48001: 'This mini-program is not authorised for the shipping API: check trade management (发货信息管理) in the mp backend and permissions.openapi.',
  [-604101]: 'The function is not allowed to call this API: add it to permissions.openapi in its config.json and upload it again from DevTools.',
};

export const staffMessage = (errcode: number, fallback: string): string => SHIPPING_MESSAGES[errcode] ?? `WeChat refused the shipment (${errcode}): ${fallback}`;

export const MASKED_CONTACT_REQUIRED = 'SF Express needs the receiver\'s (or consignor\'s) masked phone number, e.g. 189****1234.';
export const NOT_STAFF = 'Only shop staff may ship orders. Ask an administrator to add your openid to SHIPPING_ADMIN_OPENIDS.';
export const NO_SUCH_ORDER = 'No such order. Check the order number.';
export const VIRTUAL_IS_AUTOMATIC = 'This order has only virtual goods; it is recorded as delivered automatically after payment.';
