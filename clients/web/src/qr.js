// QR codes drawn here, in the browser, with qrcode-generator (vendored as an ES module, loaded only when a QR code
// is shown): what they carry, such as a second factor's secret, never leaves the page. Drawn as one SVG path, so
// no canvas, no image and no inline style.
import { html, useState, useEffect, useMemo } from './lib.js';
import { t } from './i18n.js';

let loading = null;

/** The library's `qrcode(typeNumber, errorCorrectionLevel)`, loaded once. */
export function qrLibrary() {
  if (!loading) {
    loading = import('../vendor/qrcode-generator/qrcode.module.js').then((m) => m.default);
    loading.catch(() => { loading = null; });
  }
  return loading;
}

/** The dark modules of a QR code of `text` (UTF-8, error correction M, the smallest version that holds it), as an
 *  SVG path in module units with a quiet zone of `margin` modules; and the side of the whole square. */
export function qrPath(qrcode, text, margin = 4) {
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
 *  the next), with `label` for screen readers; `failedText` if the library cannot be loaded. */
export function QrCode({ text, label, failedText, px = 220 }) {
  const [qrcode, setQrcode] = useState(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    qrLibrary().then((q) => live && setQrcode(() => q), () => live && setFailed(true));
    return () => { live = false; };
  }, []);
  const drawn = useMemo(() => (qrcode ? qrPath(qrcode, text) : null), [qrcode, text]);
  if (failed) return html`<p class="alert error" role="alert">${failedText || t('error.network')}</p>`;
  if (!drawn) return html`<p class="muted" role="status">${t('common.loading')}</p>`;
  const { d, size } = drawn;
  const side = size * Math.max(2, Math.round(px / size));
  return html`<svg class="qr" role="img" aria-label=${label} width=${side} height=${side} viewBox=${`0 0 ${size} ${size}`}
    shape-rendering="crispEdges" xmlns="http://www.w3.org/2000/svg">
    <rect width=${size} height=${size} fill="#fff" />
    <path d=${d} fill="#000" />
  </svg>`;
}
