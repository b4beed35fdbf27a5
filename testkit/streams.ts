// The README's worked example of several streams against the mock: three top-level resources and a child.
export const SHOP_STREAMS = [
  { name: "users", path: "/pagination/keyset" },
  { name: "companies", path: "/api/companies", strategy: "offset" },
  { name: "orders", path: "/api/orders" },
  { name: "user_orders", path: "/api/users/{users.id}/orders", parent: "users" },
] as const;
