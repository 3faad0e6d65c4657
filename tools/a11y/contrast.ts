// WCAG 2.x contrast of CSS colours as the console's theme writes them: #rgb / #rrggbb and
// oklch(L% C H), Tailwind 4's notation. Out-of-gamut colours are clipped to sRGB, as browsers do.

type Rgb = [number, number, number];

/** Linear-light sRGB channels (0–1) of a colour string; throws on a notation it cannot read. */
export function linearRgb(color: string): Rgb {
  const value = color.trim().toLowerCase();
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/.exec(value);
  if (hex?.[1]) {
    const digits = hex[1].length === 3 ? [...hex[1]].map((d) => d + d) : hex[1].match(/../g);
    const [r, g, b] = (digits ?? []).map((d) => decode(parseInt(d, 16) / 255));
    return [r ?? 0, g ?? 0, b ?? 0];
  }
  const oklch = /^oklch\(\s*([\d.]+)%\s+([\d.]+)\s+([\d.]+)\s*\)$/.exec(value);
  if (oklch) {
    const [l, c, h] = [Number(oklch[1]) / 100, Number(oklch[2]), Number(oklch[3])];
    return oklabToLinearRgb(
      l,
      c * Math.cos((h * Math.PI) / 180),
      c * Math.sin((h * Math.PI) / 180),
    );
  }
  throw new Error(`unsupported colour notation: ${color}`);
}

// sRGB transfer function (IEC 61966-2-1).
const decode = (v: number) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);

// Björn Ottosson's OKLab -> linear sRGB matrices (CSS Color 4 §9).
function oklabToLinearRgb(l: number, a: number, b: number): Rgb {
  const l_ = (l + 0.3963377774 * a + 0.2158037573 * b) ** 3;
  const m_ = (l - 0.1055613458 * a - 0.0638541728 * b) ** 3;
  const s_ = (l - 0.0894841775 * a - 1.291485548 * b) ** 3;
  const clip = (v: number) => Math.min(1, Math.max(0, v));
  return [
    clip(4.0767416621 * l_ - 3.3077115913 * m_ + 0.2309699292 * s_),
    clip(-1.2684380046 * l_ + 2.6097574011 * m_ - 0.3413193965 * s_),
    clip(-0.0041960863 * l_ - 0.7034186147 * m_ + 1.707614701 * s_),
  ];
}

/** WCAG relative luminance. */
export function luminance(color: string): number {
  const [r, g, b] = linearRgb(color);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two colours (1–21). */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
}
