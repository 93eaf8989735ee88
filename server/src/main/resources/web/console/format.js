// Figures as people read them; the API sends plain integers (counts, milliseconds, bytes, minor units of money).

const count = new Intl.NumberFormat(undefined);

export function number(n) {
  return n == null ? '–' : count.format(n);
}

export function duration(ms) {
  if (ms == null) return '–';
  const s = Math.round(ms / 1000);
  if (s < 60) return s + ' s';
  const m = Math.floor(s / 60);
  if (m < 60) return m + ' min ' + (s % 60) + ' s';
  const h = Math.floor(m / 60);
  return h + ' h ' + (m % 60) + ' min';
}

export function bytes(n) {
  if (n == null) return '–';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return (i === 0 ? v : v.toFixed(1)) + ' ' + units[i];
}

/** Money in minor units of an ISO 4217 currency; Intl knows each currency's decimals. */
export function money(minor, currency) {
  try {
    const f = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    const digits = f.resolvedOptions().maximumFractionDigits;
    return f.format(minor / 10 ** digits);
  } catch {
    return count.format(minor) + ' ' + currency; // a code Intl does not know
  }
}

export function time(iso) {
  if (!iso) return '–';
  return new Date(iso).toLocaleString();
}
