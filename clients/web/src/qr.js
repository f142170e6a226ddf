// QR codes drawn here, in the browser, with qrcode-generator (vendored): what they carry, such as a second
// factor's secret, never leaves the page. Drawn as one SVG path, so no canvas, no image and no inline style.
import { html } from './lib.js';
import qrcode from '../vendor/qrcode-generator/qrcode.module.js';

/** The dark modules of a QR code of `text` (UTF-8, error correction M, the smallest version that holds it), as an
 *  SVG path in module units with a quiet zone of `margin` modules; and the side of the whole square. */
export function qrPath(text, margin = 4) {
  const qr = qrcode(0, 'M');
  // The library puts each char code of a string into one byte: hand it the UTF-8 bytes as such chars.
  qr.addData(String.fromCharCode(...new TextEncoder().encode(text)), 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  let d = '';
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      if (qr.isDark(row, col)) d += `M${col + margin} ${row + margin}h1v1h-1z`;
    }
  }
  return { d, size: n + 2 * margin };
}

/** A QR code of `text`, about `px` pixels wide (a whole number of pixels a module, so every module is as wide as
 *  the next), with `label` for screen readers. */
export function QrCode({ text, label, px = 220 }) {
  const { d, size } = qrPath(text);
  const side = size * Math.max(2, Math.round(px / size));
  return html`<svg class="qr" role="img" aria-label=${label} width=${side} height=${side} viewBox=${`0 0 ${size} ${size}`}
    shape-rendering="crispEdges" xmlns="http://www.w3.org/2000/svg">
    <rect width=${size} height=${size} fill="#fff" />
    <path d=${d} fill="#000" />
  </svg>`;
}
