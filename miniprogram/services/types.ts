// Shapes of the functions' answers (contracts in COMMON.md). No wx here, so node tests can import it.

export interface Product { _id: string; name: string; price: number; active: boolean }
export interface Amount { total: number; currency: string }
export interface PaymentParams { timeStamp: string; nonceStr: string; package: string; signType: 'RSA'; paySign: string }
export interface CreatedOrder { outTradeNo: string; amount: Amount; payment: PaymentParams }
export type OrderStatus = 'NOTPAY' | 'SUCCESS' | 'CLOSED' | 'PAYERROR' | 'REFUND';
export interface OrderState { outTradeNo: string; status: OrderStatus; amount: Amount; paidAt?: string | number }
export interface OrderLine { productId: string; name?: string; unitPrice?: number; quantity: number }
export type RefundStatus = 'PROCESSING' | 'SUCCESS' | 'CLOSED' | 'ABNORMAL';
export interface OrderRefund { amount: number; status: RefundStatus; requestedAt?: string }
export interface Order extends OrderState {
  items?: OrderLine[];
  createdAt?: string | number;
  refundedTotal?: number;
  /** Held for refunds not settled yet (in progress or stuck), fen. */
  refundPending?: number;
  refunds?: OrderRefund[];
}
export interface CartLine { productId: string; quantity: number }
export type CreateOrderInput = { items: CartLine[]; clientOrderKey?: string } | { outTradeNo: string };
