// Hand-drawn throughput plot for the subject monitor: messages per second over the last 60 s
// on a <canvas>, sized for the device pixel ratio. No chart library: a grid, a filled line and
// a label for the scale are all it needs.

/** Rounds `v` up to 1, 2 or 5 times a power of ten, so the scale reads well. */
function niceMax(v) {
  if (v <= 5) return 5;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}

const css = (el, name, fallback) => getComputedStyle(el).getPropertyValue(name).trim() || fallback;

/**
 * Draws `samples` (oldest first; the last one is the current, partial second).
 * @param {HTMLCanvasElement} canvas
 * @param {number[]} samples
 */
export function drawThroughput(canvas, samples) {
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  if (!w || !h) return;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  const g = canvas.getContext("2d");
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, w, h);

  const line = css(canvas, "--plot-line", "#2f6fde");
  const fill = css(canvas, "--plot-fill", "rgba(47,111,222,.15)");
  const grid = css(canvas, "--plot-grid", "rgba(0,0,0,.08)");
  const text = css(canvas, "--plot-text", "#667");

  const left = 4;
  const right = w - 4;
  const top = 14;
  const bottom = h - 14;
  const max = niceMax(Math.max(0, ...samples));
  const n = samples.length;
  const x = (i) => left + ((right - left) * i) / Math.max(1, n - 1);
  const y = (v) => bottom - ((bottom - top) * v) / max;

  // grid: quarters of the scale, and a tick every 10 s
  g.strokeStyle = grid;
  g.lineWidth = 1;
  g.beginPath();
  for (let q = 0; q <= 4; q++) {
    const yy = Math.round(top + ((bottom - top) * q) / 4) + 0.5;
    g.moveTo(left, yy);
    g.lineTo(right, yy);
  }
  for (let i = n - 1; i >= 0; i -= 10) {
    const xx = Math.round(x(i)) + 0.5;
    g.moveTo(xx, top);
    g.lineTo(xx, bottom);
  }
  g.stroke();

  // labels
  g.fillStyle = text;
  g.font = "11px system-ui, sans-serif";
  g.textBaseline = "top";
  g.textAlign = "left";
  g.fillText(`${max} msg/s`, left + 2, 1);
  g.textBaseline = "bottom";
  g.fillText(`-${n - 1}s`, left + 2, h);
  g.textAlign = "right";
  g.fillText("now", right - 2, h);

  if (n < 2) return;
  // the series: a filled area under a line
  g.beginPath();
  g.moveTo(x(0), y(samples[0]));
  for (let i = 1; i < n; i++) g.lineTo(x(i), y(samples[i]));
  g.strokeStyle = line;
  g.lineWidth = 1.5;
  g.lineJoin = "round";
  g.stroke();
  g.lineTo(x(n - 1), bottom);
  g.lineTo(x(0), bottom);
  g.closePath();
  g.fillStyle = fill;
  g.fill();
}
