import { isIP } from 'node:net';
import { ValidateBy } from 'class-validator';

/**
 * TRUST_PROXY: the reverse proxies whose forwarded client address (X-Forwarded-For) is believed, as
 * comma-separated IP addresses or CIDR ranges. Unset: none, and the client is the socket's peer.
 */
export function parseProxyList(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/** Whether `entry` is an IP address, or an address and a prefix length that fits it (10.0.0.0/8, fd00::/8). */
export function isAddressOrRange(entry: string): boolean {
  const [address, prefix, extra] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (version === 4 ? 32 : 128);
}

/** The entries of a TRUST_PROXY value that are neither an address nor a range. */
export function badProxyEntries(value: string): string[] {
  const entries = value.split(',').map((entry) => entry.trim());
  return entries.filter((entry) => !isAddressOrRange(entry));
}

/** Validates TRUST_PROXY, naming the entries at fault. */
export function IsProxyList(): PropertyDecorator {
  return ValidateBy({
    name: 'isProxyList',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && badProxyEntries(value).length === 0,
      defaultMessage: (args) => {
        const bad = typeof args?.value === 'string' ? badProxyEntries(args.value).map((entry) => `"${entry}"`).join(', ') : String(args?.value);
        return `TRUST_PROXY must be comma-separated IP addresses or CIDR ranges of the reverse proxies (e.g. 10.0.0.2,192.168.0.0/16); not an address or range: ${bad}`;
      },
    },
  });
}
