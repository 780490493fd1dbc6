import type { paths } from "./schema";

type JsonOf<R> = R extends { content: { "application/json": infer T } } ? T : never;

export type Payment = JsonOf<paths["/api/invoices/{invoice_id}/payments"]["get"]["responses"][200]>[number];
export type PaymentInput = NonNullable<
  paths["/api/invoices/{invoice_id}/payments"]["post"]["requestBody"]
>["content"]["application/json"];
export type PaymentMethod = PaymentInput["method"];
export type InvoiceStatusFilter = "paid" | "pending" | "overdue";

export const PAYMENT_METHODS: { value: PaymentMethod; label: string }[] = [
  { value: "bank_transfer", label: "Bank transfer" },
  { value: "card", label: "Card" },
  { value: "cash", label: "Cash" },
  { value: "check", label: "Check" },
  { value: "other", label: "Other" },
];

export function methodLabel(method: string): string {
  return PAYMENT_METHODS.find((m) => m.value === method)?.label ?? method;
}
