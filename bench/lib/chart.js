/** A hand-written SVG horizontal bar chart of the hit-path ratios. */
import { writeFileSync } from 'node:fs';

const esc = (/** @type {string} */ s) =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/**
 * Writes the chart: one bar per system, length = ratio vs the baseline (1.0 marked).
 * @param {string} path
 * @param {{ label: string, ratio: number, highlight?: boolean }[]} bars
 * @param {string} title
 */
export function writeBarChart(path, bars, title) {
  const rowH = 26;
  const labelW = 300;
  const plotW = 420;
  const top = 40;
  const width = labelW + plotW + 90;
  const height = top + bars.length * rowH + 36;
  const max = Math.max(1, ...bars.map((b) => b.ratio));
  const x = (/** @type {number} */ ratio) => labelW + (ratio / max) * plotW;
  const rows = bars.map((b, i) => {
    const y = top + i * rowH;
    const fill = b.highlight ? '#d9480f' : '#495057';
    return [
      `<text x="${labelW - 8}" y="${y + 17}" text-anchor="end">${esc(b.label)}</text>`,
      `<rect x="${labelW}" y="${y + 4}" width="${Math.max(1, x(b.ratio) - labelW).toFixed(1)}" height="${rowH - 8}" fill="${fill}"/>`,
      `<text x="${(x(b.ratio) + 6).toFixed(1)}" y="${y + 17}">${b.ratio.toFixed(2)}x</text>`,
    ].join('');
  });
  const one = x(1).toFixed(1);
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="13">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`,
    ...rows,
    `<line x1="${one}" y1="${top}" x2="${one}" y2="${top + bars.length * rowH}" stroke="#1c7ed6" stroke-dasharray="4 3"/>`,
    `<text x="${one}" y="${top + bars.length * rowH + 18}" text-anchor="middle" fill="#1c7ed6">baseline = 1.0x</text>`,
    '</svg>',
    '',
  ].join('\n');
  writeFileSync(path, svg);
}
