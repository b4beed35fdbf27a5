/**
 * The page's script (plain browser JS, no libraries): "try it" fetches with the right credential and shows the
 * answer; a masked credential is revealed on click; the request log polls GET /_mock/requests every second.
 */
export const SCRIPT = `
const data = JSON.parse(document.getElementById("mock-data").textContent);
const creds = data.credentials;
async function session() {
  const res = await fetch("/auth/session_token/login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: creds.user, password: creds.password }) });
  return (await res.json()).token;
}
async function headersFor(kind) {
  if (!kind || !creds) return {};
  if (kind === "basic") return { authorization: "Basic " + btoa(creds.user + ":" + creds.password) };
  if (kind === "bearer") return { authorization: "Bearer " + creds.token };
  if (kind === "api_key") return { authorization: "apiKey " + creds.token };
  return { authorization: "Token " + (await session()) };
}
document.querySelectorAll("a.try").forEach((link) => link.addEventListener("click", async (event) => {
  event.preventDefault();
  const out = link.parentElement.querySelector(".out");
  out.textContent = "...";
  try {
    const res = await fetch(link.getAttribute("href"), { headers: await headersFor(link.dataset.auth) });
    const text = await res.text();
    let shown = text;
    try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch {}
    const extra = ["link", "x-total-count"].filter((h) => res.headers.has(h)).map((h) => h + ": " + res.headers.get(h) + "\\n").join("");
    out.dataset.status = String(res.status);
    out.textContent = "HTTP " + res.status + "\\n" + extra + shown.slice(0, 4000);
  } catch (error) {
    out.dataset.status = "error";
    out.textContent = String(error);
  }
}));
document.querySelectorAll(".secret").forEach((el) => el.addEventListener("click", () => {
  const shown = el.dataset.shown === "1";
  el.textContent = shown ? "\\u2022".repeat(10) + " (click to reveal)" : el.dataset.value;
  el.dataset.shown = shown ? "0" : "1";
}));
let after = 0;
const rows = document.getElementById("log-rows");
async function poll() {
  try {
    const res = await fetch("/_mock/requests?after=" + after);
    if (res.status === 401) { document.getElementById("log-empty").textContent = "The live log needs a credential (--require-auth)."; return; }
    const entries = await res.json();
    for (const e of entries) {
      after = e.seq;
      const tr = document.createElement("tr");
      const cells = [["time", e.time.slice(11, 23)], ["", e.method], ["target", e.target], ["s" + String(e.status)[0], e.status], ["ms", e.ms], ["fault", e.fault || ""]];
      for (const [cls, text] of cells) { const td = document.createElement("td"); td.className = cls; td.textContent = text; tr.appendChild(td); }
      rows.prepend(tr);
    }
    while (rows.children.length > 100) rows.lastChild.remove();
    document.getElementById("log-empty").hidden = rows.children.length > 0;
  } catch {}
  setTimeout(poll, 1000);
}
poll();
`;
