import type { JsonLike } from '../../../sql/ir/expr.js';

/**
 * Functions whose answer comes from a Microsoft cloud service socfeed does not have locally
 * (like the FileProfile() enrichment). They bind and run: each returns what Kusto returns for a
 * value the service does not know, and the query gets a warning saying so, never a silent guess.
 */
export interface CloudServiceFunction {
  /** The constant result (a dynamic value). */
  result: JsonLike;
  warning: string;
  hint: string;
}

export const CLOUD_SERVICE_FUNCTIONS: ReadonlyMap<string, CloudServiceFunction> = new Map([
  [
    'geo_info_from_ip_address',
    {
      // Kusto answers an address missing from its geolocation data with an empty property bag.
      result: {},
      warning:
        "geo_info_from_ip_address() uses Microsoft's IP geolocation data, which socfeed does not have: every address is treated as unknown (an empty bag)",
      hint: 'country/city/latitude fields read from the result are empty',
    },
  ],
]);
