/**
 * Reading one header straight from undici's raw list ([name, value, name, value, …] as Buffers),
 * for what the session itself needs from every hop (Location, Set-Cookie): parsing the whole list
 * into an object is left to `r.headers`, which most tasks never read.
 */

function nameIs(name: Buffer, lowerName: string): boolean {
  return name.length === lowerName.length && name.toString('latin1').toLowerCase() === lowerName;
}

/** The first value of the header `lowerName`, or undefined. */
export function rawHeaderValue(raw: readonly Buffer[] | null, lowerName: string): string | undefined {
  if (raw === null) return undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (nameIs(raw[i] as Buffer, lowerName)) return (raw[i + 1] as Buffer).toString('latin1');
  }
  return undefined;
}

/** Every value of the header `lowerName`, in order (Set-Cookie comes once per cookie). */
export function rawHeaderValues(raw: readonly Buffer[] | null, lowerName: string): string[] {
  const out: string[] = [];
  if (raw === null) return out;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (nameIs(raw[i] as Buffer, lowerName)) out.push((raw[i + 1] as Buffer).toString('latin1'));
  }
  return out;
}

/** True when undici's raw header list has a Set-Cookie (checked on every response, so: lengths first). */
export function hasSetCookie(raw: readonly Buffer[]): boolean {
  for (let i = 0; i < raw.length; i += 2) {
    const n = raw[i] as Buffer;
    if (n.length === 10 && ((n[0] as number) | 0x20) === 0x73 && n.toString('latin1').toLowerCase() === 'set-cookie') return true;
  }
  return false;
}
