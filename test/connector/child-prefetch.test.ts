// The child stream's prefetch (connector/child-prefetch.ts): the next parent's first page is asked for while this
// parent's is handled, answered from that request when the next parent asks for exactly it, and never used otherwise.
import { describe, expect, test } from "bun:test";
import { ChildPrefetch } from "../../src/connector/child-prefetch";

/** A fake API recording each URL it was asked for; `/users/bad/...` fails as the network would. */
function api() {
  const asked: string[] = [];
  const fetch = async (request: Request) => {
    asked.push(request.url);
    if (request.url.includes("/users/bad/")) throw new Error("connection reset");
    return new Response(JSON.stringify({ url: request.url }));
  };
  return { asked, fetch };
}

const base = (id: string) => `http://api.test/users/${id}/orders`;
const get = (url: string, signal?: AbortSignal) => new Request(url, { headers: { Authorization: "Bearer t" }, signal });

describe("child prefetch", () => {
  test("each parent's first page is asked for once, the next parent's while this one is read; a second page is a plain fetch", async () => {
    const { asked, fetch } = api();
    const prefetch = new ChildPrefetch(fetch);
    const ids = ["a", "b", "c"];
    const bodies: string[] = [];
    for (const [i, id] of ids.entries()) {
      const next = ids[i + 1];
      prefetch.expect(base(id), next ? base(next) : null);
      bodies.push(await (await prefetch.fetchFn(get(`${base(id)}?page=1`))).text());
      if (id === "b") bodies.push(await (await prefetch.fetchFn(get(`${base(id)}?page=2`))).text());
    }
    expect(bodies.map((b) => JSON.parse(b).url)).toEqual([`${base("a")}?page=1`, `${base("b")}?page=1`, `${base("b")}?page=2`, `${base("c")}?page=1`]);
    expect(asked.sort()).toEqual([`${base("a")}?page=1`, `${base("b")}?page=1`, `${base("b")}?page=2`, `${base("c")}?page=1`]);
  });

  test("a prefetched failure is the next parent's to meet; a URL the next parent does not ask for is never used", async () => {
    const { asked, fetch } = api();
    const prefetch = new ChildPrefetch(fetch);
    prefetch.expect(base("a"), base("bad"));
    await prefetch.fetchFn(get(`${base("a")}?page=1`));
    prefetch.expect(base("bad"), base("c"));
    await expect(prefetch.fetchFn(get(`${base("bad")}?page=1`))).rejects.toThrow("connection reset");
    prefetch.expect(base("c"), null);
    await prefetch.fetchFn(get(`${base("c")}?page=1&per_page=5`)); // not the URL prefetched for c
    expect(asked.filter((url) => url.includes("/users/c/"))).toEqual([`${base("c")}?page=1`, `${base("c")}?page=1&per_page=5`]);
  });

  test("the asking request's own signal (its timeout) ends the wait for a prefetched answer", async () => {
    let release: (r: Response) => void = () => {};
    const prefetch = new ChildPrefetch(() => new Promise<Response>((resolve) => (release = resolve)));
    prefetch.expect(base("a"), base("b"));
    void prefetch.fetchFn(get(`${base("a")}?page=1`));
    prefetch.expect(base("b"), null);
    const timeout = new AbortController();
    const waiting = prefetch.fetchFn(get(`${base("b")}?page=1`, timeout.signal));
    timeout.abort(new Error("timed out"));
    await expect(waiting).rejects.toThrow("timed out");
    release(new Response("late"));
  });
});
