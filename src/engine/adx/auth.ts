import { KustoConnectionStringBuilder } from 'azure-kusto-data';
import { UserError } from '../../util/errors.js';

/**
 * Credentials for Azure Data Explorer / Log Analytics, from the environment only (never flags, so
 * they stay out of shell history):
 * - AZURE_CLIENT_ID + AZURE_CLIENT_SECRET + AZURE_TENANT_ID: an Entra application (CI, servers);
 * - SOCFEED_ADX_TOKEN: a bearer token fetched elsewhere (`az account get-access-token`);
 * - otherwise the device-code flow: a code is printed, the user signs in in a browser.
 */
export function adxConnection(
  cluster: string,
  env: NodeJS.ProcessEnv,
  note: (text: string) => void,
): { kcsb: KustoConnectionStringBuilder; method: string } {
  let url: URL;
  try {
    url = new URL(cluster);
  } catch {
    throw new UserError('SF-ADX-URL', `--cluster must be a URL (got '${cluster}')`, {
      hint: 'e.g. --cluster https://mycluster.westeurope.kusto.windows.net',
    });
  }
  const base = `${url.protocol}//${url.host}`;
  const id = env['AZURE_CLIENT_ID'];
  const secret = env['AZURE_CLIENT_SECRET'];
  const tenant = env['AZURE_TENANT_ID'];
  if (id && secret)
    return {
      kcsb: KustoConnectionStringBuilder.withAadApplicationKeyAuthentication(base, id, secret, tenant),
      method: 'application (AZURE_CLIENT_ID)',
    };
  const token = env['SOCFEED_ADX_TOKEN'];
  if (token)
    return {
      kcsb: KustoConnectionStringBuilder.withAccessToken(base, token),
      method: 'access token (SOCFEED_ADX_TOKEN)',
    };
  const kcsb = KustoConnectionStringBuilder.withAadDeviceAuthentication(base, tenant, (info) =>
    note(info.message),
  );
  return { kcsb, method: 'device code' };
}
