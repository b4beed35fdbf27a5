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

const users = v.array(UserSchema);
const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const nextUrl = v.nullable(v.pipe(v.string(), v.url()));

export const BODY_SCHEMAS = {
  offset: v.strictObject({ data: users, offset: count, limit: count, total: count }),
  page_number: v.strictObject({ data: users, page: count, page_size: count, total_pages: count, total_items: count }),
  keyset: v.strictObject({ data: users, scroll_param: v.nullable(v.string()) }),
  next_page_url: v.strictObject({ data: users, total_items: count, page: count, per_page: count, next_page_url: nextUrl }),
  link_header: users,
  login: v.strictObject({ token: v.string(), expires_in: count }),
  error: v.strictObject({ error: v.pipe(v.string(), v.description("what is wrong and what is allowed")) }),
};
