import * as v from "valibot";

// The response bodies as valibot schemas: /openapi.json is generated from them and test/mock/web.test.ts checks
// real responses against them, so the description cannot drift from what the routes send.
const timestamp = (what: string) => v.pipe(v.string(), v.isoTimestamp(), v.description(`${what}, UTC, YYYY-MM-DDTHH:MM:SSZ`));

export const UserSchema = v.strictObject({
  id: v.pipe(v.string(), v.uuid()),
  name: v.string(),
  email: v.pipe(v.string(), v.email()),
  address: v.string(),
  company: v.string(),
  job: v.string(),
  createdAt: timestamp("creation time"),
  updatedAt: timestamp("last change"),
});

export const CompanySchema = v.strictObject({
  id: v.pipe(v.number(), v.integer(), v.minValue(1)),
  name: v.string(),
  country: v.pipe(v.string(), v.description("ISO 3166-1 alpha-2 code")),
  employees: v.pipe(v.number(), v.integer(), v.minValue(1)),
  createdAt: timestamp("creation time"),
  updatedAt: timestamp("last change"),
});

export const OrderSchema = v.strictObject({
  id: v.pipe(v.number(), v.integer(), v.minValue(1)),
  userId: v.pipe(v.string(), v.uuid(), v.description("the id of the user who placed it")),
  status: v.picklist(["pending", "paid", "shipped", "delivered", "cancelled", "refunded"]),
  amount: v.pipe(v.number(), v.minValue(0), v.description("the sum of quantity * price, with cents")),
  items: v.array(v.strictObject({ sku: v.string(), quantity: v.pipe(v.number(), v.integer(), v.minValue(1)), price: v.pipe(v.number(), v.minValue(0)) })),
  createdAt: timestamp("creation time"),
  updatedAt: timestamp("last change"),
});

const users = v.array(UserSchema);
const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const nextUrl = v.nullable(v.pipe(v.string(), v.url()));

export const BODY_SCHEMAS = {
  offset: v.strictObject({ data: users, offset: count, limit: count, total: count }),
  page_number: v.strictObject({ data: users, page: count, page_size: count, total_pages: count, total_items: count }),
  keyset: v.strictObject({ data: users, scroll_param: v.nullable(v.string()) }),
  next_page_url: v.strictObject({ data: users, total_items: count, page: count, per_page: count, next_page_url: nextUrl }),
  link_header: users,
  companies: v.strictObject({ data: v.array(CompanySchema), total: count }),
  orders: v.strictObject({ data: v.array(OrderSchema), page: count, per_page: count, total_pages: count, total_items: count }),
  user_orders: v.strictObject({ data: v.array(OrderSchema), total_items: count, page: count, per_page: count, next_page_url: nextUrl }),
  login: v.strictObject({ token: v.string(), expires_in: count }),
  error: v.strictObject({ error: v.pipe(v.string(), v.description("what is wrong and what is allowed")) }),
};
