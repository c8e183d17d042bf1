import { createHash } from 'node:crypto';

/** A host a program talks to; `weight` is relative among the program's destinations. */
export interface Destination {
  url: string;
  port: number;
  protocol?: 'Tcp' | 'Udp';
  weight?: number;
}

export function dest(url: string, weight = 1, port = 443): Destination {
  return { url, port, weight };
}

/**
 * Public address ranges by provider, so `RemoteIP` for a host looks like where that host really
 * lives (Microsoft 365 in 13.107/52.x, Google in 142.250, Zoom in 170.114 …). The address itself
 * is derived from the host name, so a host keeps one address across the whole estate.
 */
const PROVIDER_PREFIXES: readonly (readonly [RegExp, readonly string[]])[] = [
  [
    /(^|\.)(office|office365|outlook|sharepoint|skype|teams|microsoftonline|live|onedrive|windowsupdate|microsoft|msedge|visualstudio|bing|azureedge|msftconnecttest|linkedin)\.(com|net|io)$/,
    ['13.107', '20.190', '52.96', '52.113', '40.126', '20.42'],
  ],
  [/(^|\.)(google|googleapis|gstatic|youtube|googleusercontent)\.com$/, ['142.250', '172.217', '216.58']],
  [/(^|\.)zoom\.us$/, ['170.114', '144.195']],
  [/(^|\.)slack(-edge)?\.com$/, ['3.124', '54.192', '44.237']],
  [/(^|\.)adobe\.(com|io)$/, ['23.45', '52.6', '3.233']],
  [/(^|\.)(cloudsink\.net|crowdstrike\.com)$/, ['13.56', '52.40']],
  [/(^|\.)(mozilla\.(org|com|net)|firefox\.com)$/, ['34.107', '35.244']],
  [/(^|\.)github(usercontent)?\.com$/, ['140.82', '185.199']],
  [/(^|\.)server-eye\.de$/, ['85.13', '217.160']],
  [/(^|\.)kaseya\.(com|net)$/, ['18.184', '34.202']],
];
const FALLBACK_PREFIXES = ['104.16', '151.101', '172.64', '23.215'];

/** A stable public IPv4 address for a host name. */
export function publicIpFor(host: string): string {
  const h = createHash('sha1').update(`socfeed-demo-ip:${host}`).digest();
  const prefixes = PROVIDER_PREFIXES.find(([re]) => re.test(host))?.[1] ?? FALLBACK_PREFIXES;
  const prefix = prefixes[h[0]! % prefixes.length]!;
  return `${prefix}.${h[1]! % 256}.${1 + (h[2]! % 254)}`;
}

/** The bare host of a RemoteUrl value (which may carry a scheme or path). */
export function hostOf(url: string): string {
  return url
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/[/:].*$/, '')
    .toLowerCase();
}
