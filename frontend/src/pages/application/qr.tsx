/** A QR code of a short text (an application's reference) drawn as SVG: uqr (MIT, no
 * dependencies) makes the matrix; one path of dark squares, so it prints crisp at any size and
 * needs no inline style or script (strict CSP). uqr is loaded when a receipt is first drawn, not
 * with the application pages' code (on slow 3G every page before the receipt would carry it). */
import { useEffect, useState } from 'preact/hooks';

type Encode = (typeof import('uqr'))['encode'];

let loaded: Encode | undefined;

export function QrCode({ text, label, size = 160 }: { text: string; label: string; size?: number }) {
  const [encode, setEncode] = useState<Encode | undefined>(() => loaded);
  useEffect(() => {
    if (encode) return;
    let live = true;
    import('uqr')
      .then((module) => {
        loaded = module.encode;
        if (live) setEncode(() => module.encode);
      })
      .catch(() => undefined); // no connection: the reference stays written above it
    return () => {
      live = false;
    };
  }, []);
  // Until the code arrives, an empty square of the same size: the receipt does not move.
  if (!encode) return <svg class="ssp-qr ssp-qr--waiting" aria-hidden="true" viewBox="0 0 1 1" width={size} height={size} xmlns="http://www.w3.org/2000/svg" />;
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
