/** A straight line through points by ordinary least squares, and how well it fits. */
export interface LineFit {
  slope: number;
  intercept: number;
  /** Coefficient of determination, 0..1 (1 when every point is on the line; 0 for a flat cloud). */
  r2: number;
  points: number;
}

/** The least-squares line through (x, y); null with fewer than 2 points or all x equal. */
export function fitLine(xs: readonly number[], ys: readonly number[]): LineFit | null {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return null;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += xs[i] as number;
    sy += ys[i] as number;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - mx;
    const dy = (ys[i] as number) - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  // A perfectly flat series (syy 0) is explained entirely by the line: r² 1, not 0/0.
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { slope, intercept: my - slope * mx, r2, points: n };
}
