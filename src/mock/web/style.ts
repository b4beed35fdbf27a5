/** The page's stylesheet: system fonts only (it must work offline), readable at phone width. */
export const STYLE = `
:root{--fg:#1d2330;--muted:#5b6475;--line:#e3e6ec;--bg:#f7f8fa;--card:#fff;--accent:#2457c5;--ok:#1b7f3b;--warn:#b45309;--bad:#b42318}
*{box-sizing:border-box}
body{margin:0;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:980px;margin:0 auto;padding:24px 16px 64px}
h1{font-size:1.6rem;margin:0 0 4px}h2{font-size:1.15rem;margin:32px 0 10px;padding-bottom:6px;border-bottom:1px solid var(--line)}
p.lead{color:var(--muted);margin:0 0 8px}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:.86rem}
a{color:var(--accent)}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px;margin:10px 0}
.ep-head{display:flex;flex-wrap:wrap;gap:8px;align-items:baseline}
.method{font-weight:700;font-size:.75rem;padding:2px 6px;border-radius:4px;background:#e8eefc;color:var(--accent)}
.method.POST{background:#fdf0e1;color:var(--warn)}
.path{font-weight:600;overflow-wrap:anywhere}
.summary{color:var(--muted);margin:4px 0}
.params{display:flex;flex-wrap:wrap;gap:6px;margin:6px 0}
.param{background:var(--bg);border:1px solid var(--line);border-radius:999px;padding:1px 9px;font-size:.8rem}
.try{display:inline-block;margin-top:4px;font-size:.9rem;overflow-wrap:anywhere}
.out{margin:8px 0 0;max-height:240px;overflow:auto;background:#0f1420;color:#dfe6f3;border-radius:8px;padding:10px;white-space:pre-wrap;overflow-wrap:anywhere}
.out:empty{display:none}
.badge{font-size:.72rem;border:1px solid var(--line);border-radius:4px;padding:0 5px;color:var(--muted)}
.cred{display:grid;grid-template-columns:max-content 1fr;gap:6px 14px;align-items:center}
.secret{cursor:pointer;border:1px dashed var(--line);border-radius:6px;padding:2px 8px;background:var(--bg);overflow-wrap:anywhere}
.flags{display:flex;flex-wrap:wrap;gap:6px}
.flag{border:1px solid var(--line);border-radius:6px;padding:2px 8px;background:var(--card)}
.flag.set{border-color:var(--accent)}
.log-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;background:var(--card);border:1px solid var(--line);border-radius:10px}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);font-size:.84rem;vertical-align:top}
td.target{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:.78rem;word-break:break-all;min-width:12em}
.s2{color:var(--ok)}.s4{color:var(--warn)}.s5{color:var(--bad)}
.fault{color:var(--bad);font-weight:600}
@media (min-width:1100px){main{max-width:1320px}.layout{display:grid;grid-template-columns:minmax(0,1fr) 440px;gap:28px}.side{position:sticky;top:0;align-self:start;max-height:100vh;overflow:auto}th.time,td.time{display:none}}
@media (max-width:600px){body{font-size:15px}main{padding:16px 10px 48px}th.ms,td.ms,th.time,td.time{display:none}}
`;
