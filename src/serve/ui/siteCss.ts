/**
 * The browser UI's style (served as /site.css). A few rules in place of upstream's w3.css, which the page fetched
 * from the internet: the UI is loopback-only and must work offline under a CSP that allows only its own origin.
 */
export const SITE_CSS = `:root {
  --ink: #1d2733;
  --muted: #5b6776;
  --line: #c9d1da;
  --page: #eef1f4;
  --blue: #2f6db5;
  --green: #2e7d32;
  --red: #c62828;
  --orange: #ff9900;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 15px;
  color: var(--ink);
}
[hidden] { display: none !important; }
* { box-sizing: border-box; }
body { margin: 0; padding: 2rem 1rem; background: var(--page); }
.card {
  position: relative;
  max-width: 42rem;
  margin: 0 auto;
  padding: 1.5rem 2rem 1.25rem;
  background: #fff;
  border-radius: 16px;
  border-top: 6px solid var(--orange);
  box-shadow: 0 2px 10px rgba(0, 0, 0, 0.08);
}
h1 { margin: 0 0 1.25rem; font-size: 1.35rem; font-weight: 600; text-align: center; }
label { display: block; margin-bottom: 0.25rem; font-weight: 600; }
input, select {
  width: 100%;
  padding: 0.45rem 0.6rem;
  font: inherit;
  color: inherit;
  background: #fff;
  border: 1px solid var(--line);
  border-radius: 6px;
}
input:focus, select:focus, button:focus-visible { outline: 2px solid var(--blue); outline-offset: 1px; }
.role-row { display: flex; align-items: center; gap: 0.75rem; }
.role-row label { margin: 0; }
.role-row select { flex: 1; }
.button {
  padding: 0.45rem 1rem;
  font: inherit;
  color: #fff;
  border: 1px solid transparent;
  border-radius: 8px;
  cursor: pointer;
  white-space: nowrap;
}
.button:hover { filter: brightness(1.1); }
.button:disabled { opacity: 0.6; cursor: progress; }
.button.primary { background: var(--blue); }
.button.success { background: var(--green); }
.button.danger { background: var(--red); }
.button.block { display: block; width: 100%; margin-top: 1rem; }
.active { margin: 1.25rem 0; padding: 0.75rem 1rem; background: #f7f9fb; border: 1px solid var(--line); border-radius: 8px; }
.active p { margin: 0; color: var(--muted); }
.active dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1rem; margin: 0; }
.active dt { font-weight: 600; }
.active dd { margin: 0; overflow-wrap: anywhere; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
body.busy .active { opacity: 0.6; }
.accordion {
  display: block;
  width: 100%;
  padding: 0.4rem 0;
  font: inherit;
  font-style: italic;
  text-align: left;
  color: var(--muted);
  background: none;
  border: none;
  border-bottom: 1px solid var(--line);
  cursor: pointer;
}
.accordion::before { content: "\\25B8  "; font-style: normal; }
.accordion[aria-expanded="true"]::before { content: "\\25BE  "; }
.advanced { padding-top: 0.75rem; }
.field { margin-bottom: 0.75rem; }
.actions { display: flex; gap: 0.5rem; margin-top: 1rem; }
.actions .spacer { flex: 1; }
.connect { margin-top: 1.25rem; color: var(--muted); font-size: 0.9rem; }
.connect p { margin: 0 0 0.25rem; }
.connect code { display: block; padding: 0.4rem 0.6rem; overflow-wrap: anywhere; background: #f7f9fb; border-radius: 6px; }
.close {
  position: absolute;
  top: 0.4rem;
  right: 0.6rem;
  padding: 0 0.4rem;
  font-size: 1.4rem;
  line-height: 1.4;
  color: inherit;
  background: none;
  border: none;
  cursor: pointer;
}
.alert { position: relative; margin-bottom: 1rem; padding: 0.75rem 2.5rem 0.75rem 1rem; color: #fff; border-radius: 8px; }
.alert.success { background: var(--green); }
.alert.error { background: var(--red); }
.alert strong { margin-right: 0.5rem; }
dialog {
  width: min(24rem, 92vw);
  padding: 1.5rem 1.5rem 1.25rem;
  border: none;
  border-radius: 12px;
  box-shadow: 0 8px 30px rgba(0, 0, 0, 0.25);
}
dialog::backdrop { background: rgba(0, 0, 0, 0.4); }
dialog form { position: relative; }
fieldset { margin: 0; padding: 0.5rem 0 0; border: none; }
fieldset label { margin-top: 0.5rem; }
legend { padding: 0; font-size: 1.1rem; font-weight: 600; }
.message { min-height: 1.2em; margin: 0; color: var(--red); font-weight: 600; }
`;
