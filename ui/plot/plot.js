// The dashboard's chart element: draws a plotly figure with plotly's basic bundle (bar, scatter, pie), which
// is served by this app from this folder, a third of the bytes of the full bundle and far less for a phone to
// compile. The figure arrives as JSON bytes made once per chart on the server: {figure: {data, layout}, config}.
const BUNDLE = new URL("./plotly-basic-4.1.1.min.js", import.meta.url).href;
let loading = null;

function plotly() {
  // One <script> for the page, however many charts ask. The page's HTML may have started it already
  // (webserver/preload.py): then this waits for that one, unless its download has failed.
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const add = () => {
        const s = document.createElement("script");
        s.src = BUNDLE;
        s.async = true;
        s.onload = () => resolve(window.Plotly);
        s.onerror = () => { loading = null; reject(new Error("plotly bundle failed to load")); };
        document.head.appendChild(s);
      };
      const started = document.querySelector("script[data-cy-plotly]");
      if (!started) return add();
      started.addEventListener("load", () => resolve(window.Plotly));
      started.addEventListener("error", add);
      const fetched = performance.getEntriesByName(started.src)[0];  // finished before this listened
      if (fetched && !(fetched.responseStatus >= 200 && fetched.responseStatus < 300)) add();
      else if (window.Plotly) resolve(window.Plotly);
    });
  }
  return loading;
}

function text(data) {
  if (data instanceof Uint8Array || data instanceof ArrayBuffer) return new TextDecoder().decode(data);
  return typeof data === "string" ? data : JSON.stringify(data);
}

export default function ({ parentElement, data }) {
  const el = parentElement.querySelector(".cy-plot");
  if (!el || data == null) return;
  const json = text(data);
  // A rerun hands the same figure over again: drawing it anew would only make the chart flicker.
  if (el.cyDrawn === json) return cleanup(el);
  const spec = JSON.parse(json);
  const draw = (Plotly) => {
    if (!el.isConnected) return;
    const layout = Object.assign({}, spec.figure.layout, { autosize: true });
    delete layout.width;  // the column decides the width, as st.plotly_chart does
    Plotly.react(el, spec.figure.data || [], layout, Object.assign({ responsive: true }, spec.config));
    el.cyDrawn = json;
  };
  plotly().then(draw, (e) => { el.textContent = String(e.message); });
  return cleanup(el);
}

function cleanup(el) {
  // Called before each new render as well as on unmount: only a chart that has left the page is purged
  // (plotly's resize listener would otherwise keep it alive).
  return () => setTimeout(() => { if (!el.isConnected && window.Plotly) window.Plotly.purge(el); }, 0);
}
