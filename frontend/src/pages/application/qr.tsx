/** A QR code of a short text (an application's reference) drawn as SVG: uqr (MIT, no
 * dependencies) makes the matrix; one path of dark squares, so it prints crisp at any size and
 * needs no inline style or script (strict CSP). */
import { encode } from 'uqr';

export function QrCode({ text, label, size = 160 }: { text: string; label: string; size?: number }) {
  const { data } = encode(text, { ecc: 'M', border: 2 });
  const n = data.length;
  let path = '';
  data.forEach((row, y) => row.forEach((dark, x) => dark && (path += `M${x} ${y}h1v1h-1z`)));
  return (
    <svg class="ssp-qr" role="img" aria-label={label} viewBox={`0 0 ${n} ${n}`} width={size} height={size} shape-rendering="crispEdges" xmlns="http://www.w3.org/2000/svg">
      <rect width={n} height={n} fill="#fff" />
      <path d={path} fill="#0b0c0c" />
    </svg>
  );
}
