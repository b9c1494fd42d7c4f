/** The baseline's no-op activities. */

export async function step1(orderId: string): Promise<string> {
  return orderId;
}
export async function step2(orderId: string): Promise<string> {
  return orderId;
}
export async function step3(orderId: string): Promise<string> {
  return orderId;
}
export async function step4(orderId: string): Promise<string> {
  return orderId;
}
